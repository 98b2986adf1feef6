import { describe, expect, it } from "vitest";
import type { SessionConfig } from "../../api/types";
import { pg } from "../test/pgFixtures";
import { safetensorsFile, type NamedTensor } from "./testFixtures";
import { activate, denseLayers, forward, histogram, inputMaps, inputsAt, parseSafetensors, unitMaps, type DenseLayerWeights } from "./weights";

/** A safetensors file as torch writes it (with metadata), its data off 4-byte alignment. */
const safetensors = (tensors: NamedTensor[]) => safetensorsFile(tensors, { metadata: { format: "pt" }, padding: 2 });

describe("network weights", () => {
  it("parses safetensors, even at offsets that are not 4-byte aligned", () => {
    const file = safetensors([
      ["dense1.weight", [2, 2], [1, -2, 3, 0.5]],
      ["dense1.bias", [2], [0.25, -1]],
    ]);
    const tensors = parseSafetensors(file);
    expect(tensors.get("dense1.weight")?.shape).toEqual([2, 2]);
    expect([...(tensors.get("dense1.weight")?.data ?? [])]).toEqual([1, -2, 3, 0.5]);
    expect([...(tensors.get("dense1.bias")?.data ?? [])]).toEqual([0.25, -1]);
    const config = { spec: { layers: [] } } as unknown as SessionConfig;
    const withOutput = safetensors([
      ["output.weight", [1, 2], [2, 3]],
      ["output.bias", [1], [1]],
    ]);
    expect(denseLayers(parseSafetensors(withOutput), config)).toEqual([{ name: "output", weight: [[2, 3]], bias: [1], activation: "linear" }]);
  });

  it("computes what the server computed: the backprop trace's forward values (oracle)", () => {
    const trace = pg.backprop();
    const layers: DenseLayerWeights[] = trace.layers.map((l) => ({
      name: l.name,
      weight: l.weight,
      bias: l.bias,
      activation: l.activation as DenseLayerWeights["activation"],
    }));
    trace.inputs.forEach((x, s) => {
      const acts = forward(layers, x);
      acts.forEach((units, l) => units.forEach((v, u) => expect(v).toBeCloseTo(trace.layers[l]?.activation_value[s]?.[u] ?? NaN, 5)));
    });
  });

  it("maps each unit over the plane, row 0 at the top", () => {
    // One unit that is just y: the top row is positive, the bottom negative.
    const layers: DenseLayerWeights[] = [{ name: "dense1", weight: [[0, 1]], bias: [0], activation: "linear" }];
    const [[map]] = unitMaps(layers, [], [-6, 6], 4) as [[Float32Array]];
    expect(map[0]).toBeCloseTo(4.5);
    expect(map[15]).toBeCloseTo(-4.5);
    const [x1, x2, square] = inputMaps(["x1_squared"], [-6, 6], 4) as [Float32Array, Float32Array, Float32Array];
    expect([x1[0], x2[0], square[0]]).toEqual([-4.5, 4.5, 20.25]);
  });

  it("derives inputs and activations as the engine does", () => {
    expect(inputsAt(2, 3, ["x1_squared", "x1_x2", "sin_x2"])).toEqual([2, 3, 4, 6, Math.sin(3)]);
    expect(activate("relu", -1)).toBe(0);
    expect(activate("gelu", 1)).toBeCloseTo(0.8413447, 6);
    expect(activate("sigmoid", 0)).toBe(0.5);
    expect(histogram([-1, 0, 0.5, 1, 5], -1, 1, 4)).toEqual([1, 0, 1, 3]);
  });
});
