import { fireEvent, screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { fakeServer } from "../test/fakeServer";
import { renderWithApi } from "../test/render";
import { bars, frameSteps, histogramsAt, type HistogramFrame } from "./histograms";
import { WatchPage } from "./WatchPage";

const RUN = {
  id: "ab".repeat(16),
  name: "mnist-mlp",
  kind: "watch",
  status: "completed",
  config: { model: "Sequential", parameters: 10, layers: ["1"], optimizer: "SGD", watch: {} },
  created_at: "2026-01-01T00:00:00Z",
  updated_at: "2026-01-01T00:00:00Z",
  started_at: null,
  finished_at: null,
  last_step: 20,
  summary: {},
  error: null,
  live: false,
};

function frame(step: number, name: string, source: "weight" | "activation", counts: number[]): HistogramFrame {
  return {
    run_id: RUN.id,
    step,
    time: 0,
    kind: "histograms",
    payload: { histograms: [{ name, source, lo: -1, hi: 1, counts }] },
  };
}

const FRAMES = [frame(10, "0.weight", "weight", [1, 3]), frame(10, "1", "activation", [5, 0]), frame(20, "0.weight", "weight", [4, 0])];

describe("watch histogram helpers", () => {
  it("keeps each histogram's newest state at or before a step", () => {
    expect(frameSteps(FRAMES)).toEqual([10, 20]);
    const at20 = histogramsAt(FRAMES, 20);
    expect(at20.map((h) => [h.name, h.counts])).toEqual([
      ["1", [5, 0]],
      ["0.weight", [4, 0]],
    ]);
    expect(histogramsAt(FRAMES, 10).find((h) => h.name === "0.weight")?.counts).toEqual([1, 3]);
  });

  it("scales bars to the tallest bin", () => {
    expect(bars({ name: "w", source: "weight", lo: 0, hi: 1, counts: [1, 4] }, 100, 40)).toEqual([
      { x: 0, width: 50, height: 10 },
      { x: 50, width: 50, height: 40 },
    ]);
  });
});

describe("WatchPage", () => {
  it("shows the newest step and moves back with the slider", async () => {
    const { api } = fakeServer({
      [`GET /api/runs/${RUN.id}`]: () => ({ body: RUN }),
      [`GET /api/watch/runs/${RUN.id}/histograms`]: () => ({ body: { run_id: RUN.id, frames: FRAMES } }),
    });
    renderWithApi(<WatchPage runId={RUN.id} />, api);
    expect((await screen.findByTestId("watch-step")).textContent).toBe("20");
    expect(screen.getAllByTestId("watch-histogram")).toHaveLength(2);
    fireEvent.change(screen.getByRole("slider", { name: "Step" }), { target: { value: "0" } });
    expect(screen.getByTestId("watch-step").textContent).toBe("10");
  });

  it("lists only watched runs", async () => {
    const playground = { ...RUN, id: "cd".repeat(16), name: "spirals", kind: "playground" };
    const { api } = fakeServer({
      "GET /api/runs": () => ({ body: { items: [RUN, playground], total: 2, limit: 200, offset: 0 } }),
    });
    renderWithApi(<WatchPage runId={null} />, api);
    const rows = await screen.findAllByTestId("watch-run");
    expect(rows).toHaveLength(1);
    expect(rows[0]?.querySelector("a")?.getAttribute("href")).toBe(`#/watch/${RUN.id}`);
  });
});
