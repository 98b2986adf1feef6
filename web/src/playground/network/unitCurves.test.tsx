import { screen, waitFor } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { createApi } from "../../api/client";
import type { SessionConfig } from "../../api/types";
import { renderWithApi } from "../../test/render";
import { curvePath } from "./NetworkGraph";
import { NetworkView } from "./NetworkView";
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

/** A safetensors file of LAYERS (1 input -> 2 tanh -> 1). */
function file(): ArrayBuffer {
  const tensors: [string, number[], number[]][] = [
    ["dense1.weight", [2, 1], [0.5, -2]],
    ["dense1.bias", [2], [0.1, 0]],
    ["output.weight", [1, 2], [1, -1]],
    ["output.bias", [1], [0.2]],
  ];
  let offset = 0;
  const header: Record<string, unknown> = {};
  for (const [name, shape, data] of tensors) {
    header[name] = { dtype: "F32", shape, data_offsets: [offset, offset + data.length * 4] };
    offset += data.length * 4;
  }
  const json = new TextEncoder().encode(JSON.stringify(header));
  const buffer = new ArrayBuffer(8 + json.length + offset);
  const view = new DataView(buffer);
  view.setBigUint64(0, BigInt(json.length), true);
  new Uint8Array(buffer, 8).set(json);
  let at = 8 + json.length;
  for (const [, , data] of tensors) {
    for (const v of data) {
      view.setFloat32(at, v, true);
      at += 4;
    }
  }
  return buffer;
}

describe("NetworkView of a 1-D set", () => {
  it("draws every unit's output over x as a curve", async () => {
    const fetch = async () => new Response(file(), { status: 200, headers: { "content-type": "application/octet-stream" } });
    const api = createApi({ baseUrl: "http://localhost:3000", token: null, fetch });
    const config = {
      spec: { layers: [{ type: "dense", units: 2, activation: "tanh" }] },
      data: { dataset: "sine", features: [], n_classes: 3, n_samples: 500, noise: 0, validation_fraction: 0.5, table: null },
    } as unknown as SessionConfig;
    renderWithApi(<NetworkView runId="r" config={config} bounds={[-6, 6]} line version="paused:5" step={5} />, api);
    await waitFor(() => expect(screen.getAllByTestId("pg-unit-curve")).toHaveLength(1 + 3)); // x, 2 hidden, output
    expect(screen.getByTestId("pg-network-view").textContent).toContain("output over x");
  });
});
