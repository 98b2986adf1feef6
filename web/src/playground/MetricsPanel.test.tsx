import { fireEvent, screen, waitFor } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import type { EvaluationOut } from "../api/types";
import { formatPercent } from "../format";
import { fakeServer } from "../test/fakeServer";
import { renderWithApi } from "../test/render";
import { MetricsPanel } from "./MetricsPanel";
import { pg } from "./test/pgFixtures";

function show(evaluation: EvaluationOut) {
  const { api, requests } = fakeServer({ "GET /api/runs/r/evaluation": () => ({ body: evaluation }) });
  renderWithApi(<MetricsPanel runId="r" version="paused:3" series={{}} runName="r" />, api);
  return requests;
}

const text = (id: string) => screen.getByTestId(id).textContent;

describe("MetricsPanel", () => {
  it("shows the validation split first, then the training split on request", async () => {
    const evaluation = pg.evaluationMulticlass();
    show(evaluation);
    await screen.findByTestId("pg-metric-cards");
    const { val, train } = evaluation.splits;
    expect(text("pg-metric-accuracy")).toBe(formatPercent(val?.accuracy));
    expect(text("pg-metric-F1")).toBe(formatPercent(val?.f1));
    fireEvent.click(screen.getByTestId("pg-split-train"));
    expect(text("pg-metric-precision")).toBe(formatPercent(train?.precision));
    const rows = screen.getByTestId("pg-per-class").querySelectorAll("tbody tr");
    expect(rows).toHaveLength(evaluation.class_names.length);
    expect(rows[2]?.textContent).toContain(formatPercent(train?.per_class_recall?.[2]));
    const confusion = [...screen.getByTestId("pg-confusion").querySelectorAll("tbody tr")].map((tr) =>
      [...tr.querySelectorAll("td")].map((td) => Number(td.textContent)),
    );
    expect(confusion).toEqual(train?.confusion);
  });

  it("shows MSE, MAE and R² for regression, without a class table", async () => {
    const evaluation = pg.evaluationRegression();
    show(evaluation);
    await screen.findByTestId("pg-metric-cards");
    expect(screen.getByTestId("pg-metric-R²")).toBeTruthy();
    expect(screen.queryByTestId("pg-confusion")).toBeNull();
    expect(Number(text("pg-metric-MSE"))).toBeCloseTo(evaluation.splits.val?.mse ?? NaN, 3);
  });

  it("asks again on Refresh and says what went wrong", async () => {
    const { api, requests } = fakeServer({
      "GET /api/runs/r/evaluation": () => ({ status: 409, body: { error: { code: "conflict", message: "run r is stopped and no longer live" } } }),
    });
    renderWithApi(<MetricsPanel runId="r" version="x" series={{}} runName="r" />, api);
    await waitFor(() => expect(screen.getByTestId("error-banner").textContent).toContain("no longer live"));
    fireEvent.click(screen.getByRole("button", { name: "Refresh" }));
    await waitFor(() => expect(requests).toHaveLength(2));
  });
});
