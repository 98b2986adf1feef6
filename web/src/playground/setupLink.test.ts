import { describe, expect, it } from "vitest";
import { buildRunCreate, DEFAULT_FORM, type PlaygroundForm } from "./form";
import { newLayer } from "./layers";
import { decodeSetup, encodeSetup } from "./setupLink";

const DATASETS = ["spirals", "moons", "digits", "blobs"];

function encoded(form: PlaygroundForm): string {
  const setup = encodeSetup(form);
  if (!setup.ok) throw new Error(setup.error);
  return setup.value;
}

const b64 = (json: unknown) => btoa(JSON.stringify(json)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");

describe("setup links", () => {
  it("round-trip a form: the same run config comes back", () => {
    const form: PlaygroundForm = {
      ...DEFAULT_FORM,
      dataset: "blobs",
      nClasses: 4,
      noise: 0.2,
      features: ["x1_x2"],
      layers: [newLayer("dense", { units: "5", activation: "relu" }), newLayer("dropout", { p: "0.2" }), newLayer("batchnorm")],
      optimizer: "adamw",
      learningRate: "0.005",
      maxSteps: "900",
      seed: "42",
    };
    const setup = encoded(form);
    expect(setup).toMatch(/^[A-Za-z0-9_-]+$/);
    const decoded = decodeSetup(setup, DATASETS);
    if (!decoded.ok) throw new Error(decoded.error);
    expect(buildRunCreate(decoded.value)).toEqual(buildRunCreate(form));
  });

  it("refuses what it did not write, with a reason", () => {
    const good = JSON.parse(atob(encoded(DEFAULT_FORM).replace(/-/g, "+").replace(/_/g, "/"))) as { v: number; config: Record<string, unknown> };
    const cases: [unknown, string][] = [
      ["%%%", "not a setup"],
      [{ v: 99, config: good.config }, "unknown format"],
      [{ ...good, config: { ...good.config, data: { ...(good.config.data as object), dataset: "nope" } } }, "unknown dataset"],
      [{ ...good, config: { ...good.config, spec: { layers: [{ type: "lstm" }] } } }, "spec.layers.0 is not a known layer"],
      [{ ...good, config: { ...good.config, spec: { layers: [{ type: "dense", units: "8" }] } } }, "spec.layers.0.units is not a number"],
      [{ ...good, config: { ...good.config, spec: { layers: [{ type: "dense", units: 5000, activation: "tanh" }] } } }, "Layer 1 units: must be between 1 and 1024"],
      [{ ...good, config: { ...good.config, hyperparameters: { optimizer: "lbfgs", learning_rate: 0.1, batch_size: 1 } } }, "unknown optimizer"],
    ];
    for (const [value, reason] of cases) {
      const text = typeof value === "string" ? value : b64(value);
      const decoded = decodeSetup(text, DATASETS);
      expect(decoded.ok).toBe(false);
      if (!decoded.ok) expect(decoded.error).toContain(reason);
    }
  });

  it("does not put an uploaded table in a link", () => {
    expect(encodeSetup({ ...DEFAULT_FORM, dataset: "csv" })).toMatchObject({ ok: false });
  });
});
