import { describe, expect, it } from "vitest";
import { fromSpecLayer, insertLayer, layerIndexOf, moveLayer, newLayer, toSpecLayer, toSpecLayers } from "./layers";
import { dropIndexAt } from "./useLayerDrag";

describe("layers", () => {
  it("turns drafts into the API's layer union and back", () => {
    const specs = [
      { type: "dense", units: 8, activation: "relu" },
      { type: "conv2d", filters: 4, kernel_size: 5, stride: 2, padding: "same", activation: "gelu" },
      { type: "maxpool2d", pool_size: 2, stride: null },
      { type: "maxpool2d", pool_size: 3, stride: 1 },
      { type: "flatten" },
      { type: "dropout", p: 0.25 },
      { type: "batchnorm" },
    ] as const;
    const drafts = specs.map((s) => fromSpecLayer(s));
    expect(toSpecLayers(drafts)).toEqual({ ok: true, value: specs });
  });

  it("names the layer and field to fix", () => {
    expect(toSpecLayer(newLayer("conv2d", { kernelSize: "16" }), "Layer 3")).toEqual({
      ok: false,
      error: "Layer 3 kernel size: must be between 1 and 15",
    });
    expect(toSpecLayer(newLayer("dropout", { p: "1" }), "Layer 1")).toMatchObject({ ok: false });
    expect(toSpecLayers([newLayer("dense"), newLayer("dense", { units: "2.5" })])).toMatchObject({ ok: false, index: 1 });
  });

  it("inserts and moves", () => {
    const [a, b, c] = [newLayer("dense"), newLayer("flatten"), newLayer("dropout")];
    expect(insertLayer([a, b], 1, c)).toEqual([a, c, b]);
    expect(insertLayer([a, b], 99, c)).toEqual([a, b, c]);
    expect(moveLayer([a, b, c], 2, 0)).toEqual([c, a, b]);
    expect(moveLayer([a, b, c], 0, 2)).toEqual([b, c, a]);
  });

  it("reads the layer index out of a server field", () => {
    expect(layerIndexOf("layers.2.kernel_size")).toBe(2);
    expect(layerIndexOf("spec.layers.10.units")).toBe(10);
    expect(layerIndexOf("data.dataset")).toBeNull();
  });

  it("finds the drop index from item midpoints", () => {
    expect(dropIndexAt(5, [20, 60, 100])).toBe(0);
    expect(dropIndexAt(40, [20, 60, 100])).toBe(1);
    expect(dropIndexAt(500, [20, 60, 100])).toBe(3);
  });
});
