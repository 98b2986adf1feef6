import { fireEvent, screen, waitFor } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { SessionConfig } from "../../api/types";
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

describe("compare", () => {
  it("posts this setup and its variant on the same data and seed, then opens the comparison", async () => {
    const out = pg.compare();
    const { api, requests } = fakeServer({ "POST /api/runs/compare": () => ({ status: 201, body: out }) });
    renderWithApi(<CompareSetup form={{ ...DEFAULT_FORM, optimizer: "sgd" }} />, api);
    expect((screen.getByTestId("pg-compare-optimizer") as HTMLSelectElement).value).toBe("adam");
    fireEvent.change(screen.getByTestId("pg-compare-lr"), { target: { value: "0.01" } });
    fireEvent.click(screen.getByTestId("pg-compare-button"));
    await waitFor(() => expect(window.location.hash).toBe(`#/compare/${out.runs.map((r) => r.id).join(",")}`));
    const body = requests[0]?.body as { configs: SessionConfig[]; start: boolean };
    const [a, b] = body.configs;
    expect(body.start).toBe(true);
    expect(a?.data).toEqual(b?.data);
    expect(a?.seed).toBe(b?.seed);
    expect(a?.hyperparameters).toMatchObject({ optimizer: "sgd", learning_rate: 0.03 });
    expect(b?.hyperparameters).toMatchObject({ optimizer: "adam", learning_rate: 0.01 });
  });

  it("shows a column per run with its setup", async () => {
    const out = pg.compare();
    const routes = Object.fromEntries(
      out.runs.flatMap((run) => [
        [`GET /api/runs/${run.id}/snapshot`, () => ({ body: { type: "snapshot", run, series: {}, markers: [], latest: [] } })],
        [`GET /api/runs/${run.id}/data`, () => ({ body: pg.dataPlane() })],
      ]),
    );
    const { api } = fakeServer(routes);
    renderWithApi(<ComparePage runIds={out.runs.map((r) => r.id)} />, api);
    await waitFor(() => expect(screen.getAllByTestId("pg-compare-config")).toHaveLength(2));
    const texts = screen.getAllByTestId("pg-compare-config").map((e) => e.textContent);
    expect(texts).toEqual(out.runs.map((r) => describeConfig(r.config as SessionConfig)));
    expect(texts[1]).toContain("adam");
  });

  it("explains a comparison of fewer than two runs", () => {
    const { api } = fakeServer({});
    renderWithApi(<ComparePage runIds={["only"]} />, api);
    expect(screen.getByRole("heading", { name: "Compare needs two to four runs" })).toBeTruthy();
  });
});
