import { describe, expect, it } from "vitest";
import { fixtures } from "../test/fixtures";
import { buildRunCreate, DEFAULT_FORM, formFromConfig, hyperparameterUpdate } from "./form";
import { newLayer } from "./layers";

describe("buildRunCreate", () => {
  it("turns the default form into the server's default Playground run, started", () => {
    const built = buildRunCreate(DEFAULT_FORM);
    expect(built).toEqual({
      ok: true,
      value: {
        config: {
          spec: {
            layers: [
              { type: "dense", units: 8, activation: "tanh" },
              { type: "dense", units: 8, activation: "tanh" },
            ],
          },
          data: { dataset: "spirals", n_samples: 500, noise: 0, validation_fraction: 0.5, n_classes: 3 },
          hyperparameters: { optimizer: "sgd", learning_rate: 0.03, batch_size: 10, momentum: 0.9, weight_decay: 0, l1: 0, dropout: -1 },
          seed: 0,
          max_steps: null,
        },
        start: true,
      },
    });
  });

  it("says what to fix", () => {
    expect(buildRunCreate({ ...DEFAULT_FORM, learningRate: "0" })).toEqual({
      ok: false,
      error: "Learning rate: must be greater than 0",
    });
    expect(buildRunCreate({ ...DEFAULT_FORM, batchSize: "2.5" })).toMatchObject({ ok: false, error: "Batch size: enter a whole number" });
    expect(buildRunCreate({ ...DEFAULT_FORM, layers: [newLayer("dense", { units: "", activation: "relu" })] })).toMatchObject({
      ok: false,
      error: "Layer 1 units: enter a number",
    });
    expect(buildRunCreate({ ...DEFAULT_FORM, maxSteps: "0" })).toMatchObject({ ok: false });
  });

  it("round-trips a real run's config", () => {
    const { run } = fixtures.snapshot();
    const form = formFromConfig(run.config, null);
    const built = buildRunCreate(form);
    if (!built.ok) throw new Error(built.error);
    expect(built.value.config?.spec).toEqual(run.config.spec);
    expect(built.value.config?.hyperparameters).toEqual(run.config.hyperparameters);
    expect(built.value.config?.seed).toBe(run.config.seed);
    expect(built.value.config?.max_steps).toBe(run.config.max_steps);
  });
});

describe("hyperparameterUpdate", () => {
  const current = {
    optimizer: "sgd",
    learning_rate: 0.03,
    batch_size: 10,
    momentum: 0.9,
    weight_decay: 0,
    l1: 0,
    dropout: -1,
  } as const;

  it("sends only what changed", () => {
    expect(hyperparameterUpdate(DEFAULT_FORM, current)).toBeNull();
    expect(hyperparameterUpdate({ ...DEFAULT_FORM, learningRate: "0.1" }, current)).toEqual({ learning_rate: 0.1 });
    expect(hyperparameterUpdate({ ...DEFAULT_FORM, optimizer: "adam", batchSize: "32" }, current)).toEqual({
      optimizer: "adam",
      batch_size: 32,
    });
  });

  it("waits while a value is half-typed or invalid", () => {
    expect(hyperparameterUpdate({ ...DEFAULT_FORM, learningRate: "" }, current)).toBeNull();
    expect(hyperparameterUpdate({ ...DEFAULT_FORM, learningRate: "0.030" }, current)).toBeNull();
    expect(hyperparameterUpdate({ ...DEFAULT_FORM, batchSize: "0" }, current)).toBeNull();
  });
});
