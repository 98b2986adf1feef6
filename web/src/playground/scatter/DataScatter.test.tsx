import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { DatasetPoints, PlaygroundSnapshot } from "../../api/types";
import { fakeServer } from "../../test/fakeServer";
import { FakeWebSocket } from "../../test/fakeWebSocket";
import { fixtures } from "../../test/fixtures";
import { renderWithApi } from "../../test/render";
import { PlaygroundPage } from "../PlaygroundPage";
import { pg } from "../test/pgFixtures";

beforeEach(() => {
  FakeWebSocket.reset();
  vi.stubGlobal("WebSocket", FakeWebSocket);
});
afterEach(() => vi.unstubAllGlobals());

/** The fixture run, as if it had trained on an uploaded table of ``n`` features. */
function tableRun(n: number, task: "binary" | "regression" = "binary"): PlaygroundSnapshot {
  const snapshot = fixtures.snapshot();
  const config = snapshot.run.config;
  const table = { id: "a".repeat(64), n_features: n, task, n_classes: task === "binary" ? 2 : 0 };
  const data = { ...config.data, dataset: "csv" as const, table };
  return { ...snapshot, run: { ...snapshot.run, config: { ...config, data } } } as PlaygroundSnapshot;
}

function points(over: Partial<DatasetPoints>): DatasetPoints {
  return {
    run_id: "r",
    dataset: "csv",
    task: "binary",
    bounds: [-2, 12],
    train_x: [
      [0, 1],
      [1, 2],
      [2, 0],
    ],
    train_y: [0, 1, 1],
    val_x: [[1, 1]],
    val_y: [0],
    dims: 3,
    train_z: [5, 6, 7],
    val_z: [6],
    axis_names: ["width", "height", "depth"],
    axis_bounds: [
      [-0.1, 2.1],
      [-0.1, 2.1],
      [4.9, 7.1],
    ],
    projection: null,
    explained_variance: [],
    class_names: ["small", "big"],
    n_shown: 4,
    n_total: 4,
    ...over,
  };
}

function serve(snapshot: PlaygroundSnapshot, data: () => { status?: number; body: unknown }) {
  const id = snapshot.run.id;
  return fakeServer({
    "GET /api/datasets": () => ({ body: fixtures.datasets() }),
    [`GET /api/runs/${id}/snapshot`]: () => ({ body: snapshot }),
    [`GET /api/runs/${id}/data`]: data,
    "POST /api/nets/shapes": () => ({ body: pg.shapes() }),
    [`GET /api/runs/${id}/evaluation`]: () => ({ body: pg.evaluation() }),
  });
}

const dataPanel = () => screen.getByRole("region", { name: "Data" });

describe("the Data panel of a table run", () => {
  it("draws three features as a 3-D scatter that turns by keyboard and resets", async () => {
    const snapshot = tableRun(3);
    const { api, requests } = serve(snapshot, () => ({ body: points({}) }));
    renderWithApi(<PlaygroundPage runId={snapshot.run.id} />, api);

    const canvas = await within(await screen.findByRole("region", { name: "Data" })).findByTestId("pg-scatter-canvas");
    expect(requests.some((r) => r.path === `/api/runs/${snapshot.run.id}/data`)).toBe(true);
    expect(canvas.getAttribute("aria-label")).toContain("3-D scatter of width, height, depth: 4 points");
    expect(canvas.tabIndex).toBe(0);
    expect(within(dataPanel()).getByText("Drag or use arrow keys to turn")).toBeTruthy();
    expect(within(dataPanel()).getByText(/big/)).toBeTruthy(); // the legend names the classes
    expect(byTestIdIn("pg-scatter-axes").textContent).toContain("depth: 4.9 to 7.1");
    expect(within(dataPanel()).getByRole("button", { name: /^Save .*-data as PNG$/ })).toBeTruthy();

    const start = canvas.getAttribute("data-view");
    fireEvent.keyDown(canvas, { key: "ArrowRight" });
    fireEvent.keyDown(canvas, { key: "ArrowUp" });
    expect(canvas.getAttribute("data-view")).not.toBe(start);
    fireEvent.keyDown(canvas, { key: "a" }); // other keys do nothing
    const turned = canvas.getAttribute("data-view");
    fireEvent.pointerDown(canvas, { clientX: 10, clientY: 10, pointerId: 1 });
    fireEvent.pointerMove(canvas, { clientX: 60, clientY: 10, pointerId: 1 });
    fireEvent.pointerUp(canvas, { pointerId: 1 });
    expect(canvas.getAttribute("data-view")).not.toBe(turned);
    fireEvent.click(within(dataPanel()).getByTestId("pg-scatter-reset"));
    expect(canvas.getAttribute("data-view")).toBe(start);
  });

  it("draws a wider table as its PCA projection, labelled as one, and says when capped", async () => {
    const snapshot = tableRun(5, "regression");
    const pca = points({
      task: "regression",
      dims: 2,
      train_z: null,
      val_z: null,
      train_y: [1.5, 2.5, 9],
      axis_names: ["PC1", "PC2"],
      axis_bounds: [
        [-3, 3],
        [-2, 2],
      ],
      projection: "pca",
      explained_variance: [0.612, 0.2],
      class_names: [],
      n_total: 2500,
    });
    const { api } = serve(snapshot, () => ({ body: pca }));
    renderWithApi(<PlaygroundPage runId={snapshot.run.id} />, api);

    const canvas = await within(await screen.findByRole("region", { name: "Data" })).findByTestId("pg-scatter-canvas");
    expect(canvas.getAttribute("aria-label")).toContain("PC1 (61% of variance) against PC2 (20% of variance)");
    expect(byTestIdIn("pg-scatter-projection").textContent).toContain("A projection");
    expect(byTestIdIn("pg-scatter-projection").textContent).toContain("81% of the variance");
    expect(byTestIdIn("pg-scatter-capped").textContent).toContain("Showing 4 of 2,500 points");
    const legend = byTestIdIn("pg-scatter-legend");
    expect(legend.textContent).toContain("target 0"); // the lowest target (a validation point)…
    expect(within(legend).getByText("9")).toBeTruthy(); // …to the highest
  });

  it("shows the server's message in the panel and loads again on request", async () => {
    const snapshot = tableRun(3);
    let calls = 0;
    const { api } = serve(snapshot, () => {
      calls += 1;
      return calls === 1 ? { status: 409, body: { error: { code: "conflict", message: "the run's table cannot be read" } } } : { body: points({}) };
    });
    renderWithApi(<PlaygroundPage runId={snapshot.run.id} />, api);

    const panel = await screen.findByRole("region", { name: "Data" });
    await waitFor(() => expect(within(panel).getByRole("alert").textContent).toContain("the run's table cannot be read"));
    fireEvent.click(within(panel).getByRole("button", { name: "Try again" }));
    expect(await within(panel).findByTestId("pg-scatter-canvas")).toBeTruthy();
  });
});

function byTestIdIn(id: string): HTMLElement {
  return within(dataPanel()).getByTestId(id);
}
