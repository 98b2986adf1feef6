import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { ApiContext } from "../../api/context";
import type { RunOut, SessionConfig } from "../../api/types";
import { fakeServer } from "../../test/fakeServer";
import { FakeWebSocket } from "../../test/fakeWebSocket";
import { renderWithApi } from "../../test/render";
import { DEFAULT_FORM } from "../form";
import { pg } from "../test/pgFixtures";
import { ComparePage } from "./ComparePage";
import { CompareSetup } from "./CompareSetup";
import { describeConfig } from "./describe";

beforeEach(() => {
  FakeWebSocket.reset();
  vi.stubGlobal("WebSocket", FakeWebSocket);
});
afterEach(() => vi.unstubAllGlobals());

/** Three real runs of a comparison (the fixture's two, and a third as C with adamw). */
function threeRuns(): RunOut[] {
  const [a, b] = pg.compare().runs as [RunOut, RunOut];
  const config = b.config as SessionConfig;
  const c: RunOut = { ...b, id: "cccc", config: { ...config, hyperparameters: { ...config.hyperparameters, optimizer: "adamw" } } };
  return [a, b, c];
}

/** Series of a run whose validation loss ends at ``last``. */
function series(last: number) {
  const steps = [0, 20, 40];
  return {
    "train/loss": { steps, values: [0.7, 0.6, last + 0.05] },
    "val/loss": { steps, values: [0.72, 0.62, last] },
    "train/accuracy": { steps, values: [0.5, 0.6, 0.7] },
    "val/accuracy": { steps, values: [0.5, 0.55, 1 - last] },
  };
}

describe("compare setup", () => {
  it("posts A and two variants on the same data and seed, each changed only where set", async () => {
    const out = pg.compare();
    const { api, requests } = fakeServer({ "POST /api/runs/compare": () => ({ status: 201, body: out }) });
    renderWithApi(<CompareSetup form={{ ...DEFAULT_FORM, optimizer: "sgd" }} />, api);
    expect(screen.getAllByTestId("pg-variant")).toHaveLength(1);
    expect((screen.getByTestId("pg-compare-optimizer") as HTMLSelectElement).value).toBe("adam");
    fireEvent.change(screen.getByTestId("pg-compare-lr"), { target: { value: "0.01" } });
    fireEvent.click(screen.getByTestId("pg-variant-add"));
    const c = within(screen.getAllByTestId("pg-variant")[1] as HTMLElement);
    fireEvent.change(c.getByTestId("pg-compare-hidden"), { target: { value: "16, 4" } });
    fireEvent.change(c.getByTestId("pg-compare-activation"), { target: { value: "relu" } });
    fireEvent.change(c.getByTestId("pg-compare-l2"), { target: { value: "0.001" } });
    expect(screen.getByTestId("pg-compare-button").textContent).toBe("Train A, B, C side by side");
    fireEvent.click(screen.getByTestId("pg-compare-button"));
    await waitFor(() => expect(window.location.hash).toBe(`#/compare/${out.runs.map((r) => r.id).join(",")}`));
    const body = requests[0]?.body as { configs: SessionConfig[]; start: boolean };
    const [a, b, cc] = body.configs as [SessionConfig, SessionConfig, SessionConfig];
    expect(body.configs).toHaveLength(3);
    expect(body.start).toBe(true);
    for (const other of [b, cc]) {
      expect(other.data).toEqual(a.data);
      expect(other.seed).toBe(a.seed);
    }
    expect(a.hyperparameters).toMatchObject({ optimizer: "sgd", learning_rate: 0.03, weight_decay: 0 });
    expect(b.hyperparameters).toMatchObject({ optimizer: "adam", learning_rate: 0.01 });
    expect(b.spec).toEqual(a.spec);
    expect(cc.hyperparameters).toMatchObject({ optimizer: "sgd", learning_rate: 0.03, weight_decay: 0.001 });
    expect(cc.spec.layers).toEqual([
      { type: "dense", units: 16, activation: "relu" },
      { type: "dense", units: 4, activation: "relu" },
    ]);
  });

  it("keeps A's value where a variant's field is empty, even after A changes", async () => {
    const out = pg.compare();
    const { api, requests } = fakeServer({ "POST /api/runs/compare": () => ({ status: 201, body: out }) });
    const { rerender } = renderWithApi(<CompareSetup form={{ ...DEFAULT_FORM, learningRate: "0.03" }} />, api);
    expect((screen.getByTestId("pg-compare-lr") as HTMLInputElement).placeholder).toBe("as A (0.03)");
    expect((screen.getByTestId("pg-compare-hidden") as HTMLInputElement).placeholder).toBe("as A (8, 8)");
    rerender(
      <ApiContext.Provider value={api}>
        <CompareSetup form={{ ...DEFAULT_FORM, learningRate: "0.1", batchSize: "32" }} />
      </ApiContext.Provider>,
    );
    fireEvent.click(screen.getByTestId("pg-compare-button"));
    await waitFor(() => expect(requests).toHaveLength(1));
    const [a, b] = (requests[0]?.body as { configs: SessionConfig[] }).configs as [SessionConfig, SessionConfig];
    expect(b.hyperparameters).toMatchObject({ optimizer: "adam", learning_rate: 0.1, batch_size: 32, weight_decay: 0, l1: 0, dropout: -1 });
    expect(b.spec).toEqual(a.spec);
  });

  it("adds up to three variants and removes them", () => {
    const { api } = fakeServer({});
    renderWithApi(<CompareSetup form={DEFAULT_FORM} />, api);
    const add = screen.getByTestId("pg-variant-add") as HTMLButtonElement;
    fireEvent.click(add);
    fireEvent.click(add);
    expect(screen.getAllByTestId("pg-variant")).toHaveLength(3);
    expect(add.disabled).toBe(true);
    fireEvent.click(screen.getByRole("button", { name: "Remove configuration C" }));
    expect(screen.getAllByTestId("pg-variant").map((v) => v.querySelector("legend")?.textContent?.[0])).toEqual(["B", "C"]);
    expect(add.disabled).toBe(false);
  });

  it("names the configuration and field to fix and sends nothing", () => {
    const { api, requests } = fakeServer({});
    renderWithApi(<CompareSetup form={DEFAULT_FORM} />, api);
    fireEvent.change(screen.getByTestId("pg-compare-hidden"), { target: { value: "8, x" } });
    fireEvent.click(screen.getByTestId("pg-compare-button"));
    expect(screen.getByTestId("error-banner").textContent).toContain("B hidden units: enter a number");
    expect(requests).toHaveLength(0);
  });
});

describe("compare page", () => {
  function serve(runs: RunOut[]) {
    const routes = Object.fromEntries(
      runs.flatMap((run, i) => [
        [`GET /api/runs/${run.id}/snapshot`, () => ({ body: { type: "snapshot", run, series: series(0.5 - i * 0.1), markers: [], latest: [] } })],
        [`GET /api/runs/${run.id}/data`, () => ({ body: pg.dataPlane() })],
      ]),
    );
    return fakeServer(routes).api;
  }

  it("overlays three runs' curves, tabulates their metrics and draws three boundaries", async () => {
    const runs = threeRuns();
    renderWithApi(<ComparePage runIds={runs.map((r) => r.id)} />, serve(runs));
    await waitFor(() => expect(screen.getAllByTestId("pg-compare-config")).toHaveLength(3));
    const texts = screen.getAllByTestId("pg-compare-config").map((e) => e.textContent);
    expect(texts).toEqual(runs.map((r) => describeConfig(r.config as SessionConfig)));
    expect(texts[2]).toContain("adamw");
    await waitFor(() => expect(screen.getByTestId("pg-overlay-chart").dataset.points).toBe("3"));
    expect(screen.getByTestId("pg-overlay-chart").dataset.lines).toBe("3");
    expect(screen.getAllByTestId("boundary-canvas")).toHaveLength(3);
    const rows = screen.getAllByTestId("pg-compare-summary-row");
    expect(rows).toHaveLength(3);
    // C has the lowest losses and the highest validation accuracy; all tie on train accuracy.
    const bold = (row: Element) => within(row as HTMLElement).getAllByRole("cell").filter((c) => c.className.includes("pg-compare-best")).map((c) => c.textContent);
    expect(bold(rows[2] as Element)).toEqual(["0.3500", "0.3000", "70.0%", "70.0%"]);
    expect(bold(rows[0] as Element)).toEqual(["70.0%"]);
  });

  it("switches the overlay between loss and accuracy, training and validation", async () => {
    const runs = threeRuns();
    renderWithApi(<ComparePage runIds={runs.map((r) => r.id)} />, serve(runs));
    const plot = () => screen.getByTestId("pg-overlay-chart").querySelector("[role=img]")?.getAttribute("aria-label");
    await waitFor(() => expect(screen.getByTestId("pg-overlay-chart").dataset.points).toBe("3"));
    expect(plot()).toContain("validation loss of A, B, C");
    fireEvent.click(screen.getByTestId("pg-compare-metric-accuracy"));
    fireEvent.click(screen.getByTestId("pg-compare-split-train"));
    expect(plot()).toContain("training accuracy of A, B, C");
  });

  it("explains a comparison of fewer than two runs", () => {
    const { api } = fakeServer({});
    renderWithApi(<ComparePage runIds={["only"]} />, api);
    expect(screen.getByRole("heading", { name: "Compare needs two to four runs" })).toBeTruthy();
  });
});
