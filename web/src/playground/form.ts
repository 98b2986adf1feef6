/**
 * The Playground's form: what the controls hold (numbers as typed, so a half-typed value is
 * not lost), and the translation to the API's RunCreate body and to mid-run updates.
 */

import type {
  DatasetName,
  FeatureName,
  Hyperparameters,
  HyperparameterUpdate,
  OptimizerName,
  RunCreate,
  SessionConfig,
  TableRef,
} from "../api/types";
import { checkNumber, fromSpecLayer, newLayer, toSpecLayers, type Checked, type LayerDraft } from "./layers";

export type { Checked };
export const OPTIMIZERS: readonly OptimizerName[] = ["sgd", "momentum", "nesterov", "adam", "adamw", "rmsprop", "adagrad"];
export const FEATURES: readonly FeatureName[] = ["x1_squared", "x2_squared", "x1_x2", "sin_x1", "sin_x2"];
export const FEATURE_TITLES: Record<FeatureName, string> = {
  x1_squared: "x₁²",
  x2_squared: "x₂²",
  x1_x2: "x₁·x₂",
  sin_x1: "sin x₁",
  sin_x2: "sin x₂",
};

// The server's limits (training/config.py, data/registry.py).
export const MAX_NOISE = 0.5;
const MAX_LR = 10;
const MAX_BATCH = 100_000;
const MAX_STEPS = 10_000_000;
const MAX_SEED = 2 ** 31 - 1;

export interface PlaygroundForm {
  dataset: DatasetName;
  noise: number;
  /** For blobs and spirals_multi. */
  nClasses: number;
  /** Derived inputs (2-D sets only). */
  features: FeatureName[];
  /** For dataset "csv": the upload (POST /api/datasets/csv). */
  table: TableRef | null;
  layers: LayerDraft[];
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
  nClasses: 3,
  features: [],
  table: null,
  layers: [newLayer("dense"), newLayer("dense")],
  optimizer: "sgd",
  learningRate: "0.03",
  batchSize: "10",
  maxSteps: "",
  seed: "0",
};

const N_SAMPLES = 500;
/** For uploads: use every row (the server's cap on n_samples). */
const MAX_TABLE_ROWS = 100_000;
const VALIDATION_FRACTION = 0.5;
const MOMENTUM = 0.9;
const WEIGHT_DECAY = 0;

const number = checkNumber;

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
  const layers = toSpecLayers(form.layers);
  if (!layers.ok) return { ok: false, error: layers.error };
  if (form.dataset === "csv" && form.table === null) return { ok: false, error: "Upload a CSV file first" };
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
        spec: { layers: layers.value },
        data: dataConfig(form),
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

/** The ``data`` of a run (and of ``POST /api/nets/shapes``) for this form. */
export function dataConfig(form: PlaygroundForm): NonNullable<RunCreate["config"]>["data"] {
  return {
    dataset: form.dataset,
    n_samples: form.dataset === "csv" ? MAX_TABLE_ROWS : N_SAMPLES,
    noise: form.noise,
    validation_fraction: VALIDATION_FRACTION,
    n_classes: form.nClasses,
    ...(form.features.length ? { features: form.features } : {}),
    ...(form.dataset === "csv" && form.table ? { table: form.table } : {}),
  };
}

/** The form showing a run's config, with its current (possibly changed) hyperparameters. */
export function formFromConfig(config: SessionConfig, current: Hyperparameters | null): PlaygroundForm {
  const hp = { ...config.hyperparameters, ...current };
  return {
    dataset: config.data?.dataset ?? DEFAULT_FORM.dataset,
    noise: config.data?.noise ?? DEFAULT_FORM.noise,
    nClasses: config.data?.n_classes ?? DEFAULT_FORM.nClasses,
    features: [...(config.data?.features ?? [])],
    table: config.data?.table ?? null,
    layers: (config.spec?.layers ?? []).map(fromSpecLayer),
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
