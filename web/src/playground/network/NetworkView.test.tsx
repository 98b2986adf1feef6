import { screen, waitFor } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { createApi } from "../../api/client";
import type { SessionConfig } from "../../api/types";
import { renderWithApi } from "../../test/render";
import { NetworkView } from "./NetworkView";
import { denseConfig, weightsApi, type NamedTensor } from "./testFixtures";

/** 2 inputs -> 3 tanh units -> 1 output, as torch's safetensors writer lays it out. */
const TENSORS: NamedTensor[] = [
  ["dense1.weight", [3, 2], [0.5, -1, 2, 0.1, -0.3, 0.7]],
  ["dense1.bias", [3], [0, 0.1, -0.2]],
  ["output.weight", [1, 3], [1, -2, 0.5]],
  ["output.bias", [1], [0.3]],
];

const CONFIG = denseConfig("circle", 3);

describe("NetworkView", () => {
  it("draws every weight as an edge and every unit as a node, from the run's safetensors", async () => {
    const { api, paths } = weightsApi(TENSORS);
    renderWithApi(<NetworkView runId="r" config={CONFIG} bounds={[-6, 6]} version="paused:5" step={5} />, api);
    await waitFor(() => expect(screen.getAllByTestId("pg-edge")).toHaveLength(2 * 3 + 3 * 1));
    expect(paths).toEqual(["/api/runs/r/export/safetensors"]);
    expect(screen.getAllByTestId("pg-node")).toHaveLength(4);
    const edges = screen.getAllByTestId("pg-edge");
    expect(edges[1]?.getAttribute("stroke")).toBe("#e8850c"); // w = -1: orange
    expect(edges[0]?.getAttribute("stroke")).toBe("#0b6fb3"); // w = 0.5: blue
    expect(Number(edges[2]?.getAttribute("stroke-width"))).toBeCloseTo(4.5); // the largest |w|
    expect(screen.getByTestId("pg-weight-history")).toBeTruthy();
  });

  it("says which nets it cannot draw", () => {
    const api = createApi({ baseUrl: "http://localhost:3000", token: null });
    const conv = { ...CONFIG, spec: { layers: [{ type: "conv2d" }, { type: "flatten" }] } } as unknown as SessionConfig;
    renderWithApi(<NetworkView runId="r" config={conv} bounds={null} version="x" step={0} />, api);
    expect(screen.getByText(/draws dense nets/)).toBeTruthy();
  });
});
