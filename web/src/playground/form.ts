/**
 * The Playground's form: what the controls hold (numbers as typed, so a half-typed value is
 * not lost), and the translation to the API's RunCreate body and to mid-run updates.
 */

import type {
  Activation,
  DatasetName,
  Hyperparameters,
  HyperparameterUpdate,
  OptimizerName,
  RunCreate,
  SessionConfig,
} from "../api/types";

export const ACTIVATIONS: readonly Activation[] = ["relu", "tanh", "sigmoid", "linear", "gelu"];
export const OPTIMIZERS: readonly OptimizerName[] = ["sgd", "momentum", "nesterov", "adam", "adamw", "rmsprop", "adagrad"];

// The server's limits (nets/spec.py, training/config.py, data/synthetic.py).
export const MAX_LAYERS = 32;
export const MAX_UNITS = 1024;
export const MAX_NOISE = 0.5;
const MAX_LR = 10;
const MAX_BATCH = 100_000;
const MAX_STEPS = 10_000_000;
const MAX_SEED = 2 ** 31 - 1;

export interface LayerForm {
  units: string;
  activation: Activation;
}

export interface PlaygroundForm {
  dataset: DatasetName;
  noise: number;
  layers: LayerForm[];
  optimizer: OptimizerName;
  learningRate: string;
  batchSize: string;
  /** Empty: train until stopped. */
  maxSteps: string;
  seed: string;
}

/** Defaults of the server's SessionConfig, except the learner-facing max steps. */
export const DEFAULT_FORM: PlaygroundForm = {
  dataset: "spirals",
  noise: 0,
  layers: [
    { units: "8", activation: "tanh" },
    { units: "8", activation: "tanh" },
  ],
  optimizer: "sgd",
  learningRate: "0.03",
  batchSize: "10",
  maxSteps: "",
  seed: "0",
};

const N_SAMPLES = 500;
const VALIDATION_FRACTION = 0.5;
const MOMENTUM = 0.9;
const WEIGHT_DECAY = 0;

export type Checked<T> = { ok: true; value: T } | { ok: false; error: string };

function number(text: string, label: string, min: number, max: number, integer: boolean): Checked<number> {
  const value = Number(text.trim());
  if (text.trim() === "" || !Number.isFinite(value)) return { ok: false, error: `${label}: enter a number` };
  if (integer && !Number.isInteger(value)) return { ok: false, error: `${label}: enter a whole number` };
  if (value < min || value > max) return { ok: false, error: `${label}: must be between ${min} and ${max}` };
  return { ok: true, value };
}

export function checkLearningRate(text: string): Checked<number> {
  const checked = number(text, "Learning rate", 0, MAX_LR, false);
  if (checked.ok && checked.value <= 0) return { ok: false, error: "Learning rate: must be greater than 0" };
  return checked;
}

export function checkBatchSize(text: string): Checked<number> {
  return number(text, "Batch size", 1, MAX_BATCH, true);
}

/** The body of ``POST /api/runs`` for this form, or the first thing to fix. */
export function buildRunCreate(form: PlaygroundForm, start = true): Checked<RunCreate> {
  if (form.layers.length > MAX_LAYERS) return { ok: false, error: `At most ${MAX_LAYERS} hidden layers` };
  const layers: NonNullable<SessionConfig["spec"]>["layers"] = [];
  for (const [i, layer] of form.layers.entries()) {
    const units = number(layer.units, `Layer ${i + 1} units`, 1, MAX_UNITS, true);
    if (!units.ok) return units;
    layers.push({ type: "dense", units: units.value, activation: layer.activation });
  }
  const lr = checkLearningRate(form.learningRate);
  if (!lr.ok) return lr;
  const batch = checkBatchSize(form.batchSize);
  if (!batch.ok) return batch;
  const seed = number(form.seed, "Seed", 0, MAX_SEED, true);
  if (!seed.ok) return seed;
  let maxSteps: number | null = null;
  if (form.maxSteps.trim() !== "") {
    const steps = number(form.maxSteps, "Max steps", 1, MAX_STEPS, true);
    if (!steps.ok) return steps;
    maxSteps = steps.value;
  }
  return {
    ok: true,
    value: {
      config: {
        spec: { layers },
        data: {
          dataset: form.dataset,
          n_samples: N_SAMPLES,
          noise: form.noise,
          validation_fraction: VALIDATION_FRACTION,
          n_classes: 3,
        },
        hyperparameters: {
          optimizer: form.optimizer,
          learning_rate: lr.value,
          batch_size: batch.value,
          momentum: MOMENTUM,
          weight_decay: WEIGHT_DECAY,
          l1: 0,
          dropout: -1,
        },
        seed: seed.value,
        max_steps: maxSteps,
      },
      start,
    },
  };
}

/** The form showing a run's config, with its current (possibly changed) hyperparameters. */
export function formFromConfig(config: SessionConfig, current: Hyperparameters | null): PlaygroundForm {
  const hp = { ...config.hyperparameters, ...current };
  return {
    dataset: config.data?.dataset ?? DEFAULT_FORM.dataset,
    noise: config.data?.noise ?? DEFAULT_FORM.noise,
    layers: (config.spec?.layers ?? []).flatMap((l) =>
      l.type === "dense" ? [{ units: String(l.units), activation: l.activation }] : [],
    ),
    optimizer: hp.optimizer ?? DEFAULT_FORM.optimizer,
    learningRate: hp.learning_rate !== undefined ? String(hp.learning_rate) : DEFAULT_FORM.learningRate,
    batchSize: hp.batch_size !== undefined ? String(hp.batch_size) : DEFAULT_FORM.batchSize,
    maxSteps: config.max_steps ? String(config.max_steps) : "",
    seed: String(config.seed),
  };
}

/**
 * What to send with ``control`` action ``set``: the steerable fields whose valid form value
 * differs from the run's current one; null when nothing (valid) changed.
 */
export function hyperparameterUpdate(form: PlaygroundForm, current: Hyperparameters): HyperparameterUpdate | null {
  const update: HyperparameterUpdate = {};
  if (form.optimizer !== current.optimizer) update.optimizer = form.optimizer;
  const lr = checkLearningRate(form.learningRate);
  if (lr.ok && lr.value !== current.learning_rate) update.learning_rate = lr.value;
  const batch = checkBatchSize(form.batchSize);
  if (batch.ok && batch.value !== current.batch_size) update.batch_size = batch.value;
  return Object.keys(update).length ? update : null;
}
