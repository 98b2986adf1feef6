import { screen, waitFor } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { renderWithApi } from "../../test/render";
import { curvePath } from "./NetworkGraph";
import { NetworkView } from "./NetworkView";
import { denseConfig, weightsApi, type NamedTensor } from "./testFixtures";
import { unitCurves, type DenseLayerWeights } from "./weights";

const LAYERS: DenseLayerWeights[] = [
  { name: "dense1", activation: "tanh", weight: [[0.5], [-2]], bias: [0.1, 0] },
  { name: "output", activation: "linear", weight: [[1, -1]], bias: [0.2] },
];

describe("unitCurves", () => {
  it("is each unit's output at evenly spaced x, checked against the formula", () => {
    const curves = unitCurves(LAYERS, [-6, 6], 4); // x = -4.5, -1.5, 1.5, 4.5
    const xs = [-4.5, -1.5, 1.5, 4.5];
    xs.forEach((x, j) => {
      const h = [Math.tanh(0.5 * x + 0.1), Math.tanh(-2 * x)];
      expect(curves[0]?.[0]?.[j]).toBeCloseTo(h[0] as number, 6);
      expect(curves[0]?.[1]?.[j]).toBeCloseTo(h[1] as number, 6);
      expect(curves[1]?.[0]?.[j]).toBeCloseTo((h[0] as number) - (h[1] as number) + 0.2, 5);
    });
  });

  it("draws a curve on its own symmetric scale, 0 in the middle", () => {
    expect(curvePath([0, 1, -1, 0.5], 40)).toBe("M5.0,20.0 L15.0,3.0 L25.0,37.0 L35.0,11.5");
    expect(curvePath([0, 0], 40)).toBe("M10.0,20.0 L30.0,20.0");
  });
});

/** LAYERS as the run's safetensors file. */
const TENSORS: NamedTensor[] = [
  ["dense1.weight", [2, 1], [0.5, -2]],
  ["dense1.bias", [2], [0.1, 0]],
  ["output.weight", [1, 2], [1, -1]],
  ["output.bias", [1], [0.2]],
];

describe("NetworkView of a 1-D set", () => {
  it("draws every unit's output over x as a curve", async () => {
    const { api } = weightsApi(TENSORS);
    renderWithApi(<NetworkView runId="r" config={denseConfig("sine", 2)} bounds={[-6, 6]} line version="paused:5" step={5} />, api);
    await waitFor(() => expect(screen.getAllByTestId("pg-unit-curve")).toHaveLength(1 + 3)); // x, 2 hidden, output
    expect(screen.getByTestId("pg-network-view").textContent).toContain("output over x");
  });
});
