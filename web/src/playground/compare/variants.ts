/**
 * Variants of the Playground's setup for a comparison: each one is a diff of the base form
 * (optimizer, learning rate, batch size, hidden layers, activation, L2, L1, dropout; a field
 * left empty keeps A's value, even if A changes later), applied to the base's run config, so every configuration shares the data and the seed
 * (``POST /api/runs/compare`` insists on it).
 */

import type { Activation, OptimizerName, RunCreate } from "../../api/types";
import { buildRunCreate, checkBatchSize, checkLearningRate, type Checked, type PlaygroundForm } from "../form";
import { checkNumber } from "../layers";

/** A run's config as the API takes it. */
export type RunConfig = NonNullable<RunCreate["config"]>;

/** The server compares two to four runs. */
export const MAX_CONFIGS = 4;
export const CONFIG_NAMES = ["A", "B", "C", "D"] as const;
/** One colour per configuration, in the order of CONFIG_NAMES (colour-blind safe, Okabe-Ito). */
export const CONFIG_COLORS = ["#0072b2", "#d55e00", "#009e73", "#cc79a7"] as const;

export interface Variant {
  /** Stable identity for React (never sent). */
  id: number;
  optimizer: OptimizerName;
  /** Numbers as typed; empty keeps A's. */
  learningRate: string;
  batchSize: string;
  /** Units of the hidden dense layers, e.g. "8, 8" (replaces the dense stack); empty keeps the base's. */
  hidden: string;
  /** Every dense layer's activation; "" keeps each layer's own. */
  activation: Activation | "";
  /** L2 penalty (weight decay), L1 penalty, dropout (-1: the spec's). */
  l2: string;
  l1: string;
  dropout: string;
}

let nextId = 1;

/** A variant that changes nothing yet but the optimizer (the other of sgd/adam). */
export function newVariant(form: PlaygroundForm, patch: Partial<Omit<Variant, "id">> = {}): Variant {
  return {
    id: nextId++,
    optimizer: form.optimizer === "adam" ? "sgd" : "adam",
    learningRate: "",
    batchSize: "",
    hidden: "",
    activation: "",
    l2: "",
    l1: "",
    dropout: "",
    ...patch,
  };
}

/** ``text``, or A's ``value`` when it is empty. */
function orBase(text: string, value: number | undefined, fallback: number): string {
  return text.trim() === "" ? String(value ?? fallback) : text;
}

function parseHidden(text: string, label: string): Checked<number[] | null> {
  if (text.trim() === "") return { ok: true, value: null };
  const units: number[] = [];
  for (const part of text.split(",")) {
    const n = checkNumber(part.trim(), `${label} hidden units`, 1, 1024, true);
    if (!n.ok) return n;
    units.push(n.value);
  }
  return { ok: true, value: units };
}

/** ``base`` with ``variant`` applied; ``label`` names the configuration in errors. */
export function applyVariant(base: RunConfig, variant: Variant, label: string): Checked<RunConfig> {
  const hp = base.hyperparameters;
  const lr = checkLearningRate(orBase(variant.learningRate, hp?.learning_rate, 0.03));
  if (!lr.ok) return { ok: false, error: `${label}: ${lr.error}` };
  const batch = checkBatchSize(orBase(variant.batchSize, hp?.batch_size, 10));
  if (!batch.ok) return { ok: false, error: `${label}: ${batch.error}` };
  const l2 = checkNumber(orBase(variant.l2, hp?.weight_decay, 0), `${label}: L2`, 0, 1, false);
  if (!l2.ok) return l2;
  const l1 = checkNumber(orBase(variant.l1, hp?.l1, 0), `${label}: L1`, 0, 1, false);
  if (!l1.ok) return l1;
  const dropout = checkNumber(orBase(variant.dropout, hp?.dropout, -1), `${label}: dropout`, -1, 0.99, false);
  if (!dropout.ok) return dropout;
  if (dropout.value < 0 && dropout.value !== -1) return { ok: false, error: `${label}: dropout: -1 (the net's own) or 0 to 0.99` };
  const hidden = parseHidden(variant.hidden, label);
  if (!hidden.ok) return hidden;

  let layers = base.spec?.layers ?? [];
  if (hidden.value) {
    // The dense stack (from the first dense layer on) is replaced; conv layers before it stay.
    const first = layers.findIndex((l) => l.type === "dense");
    const dense = layers[first];
    const activation = dense?.type === "dense" ? dense.activation : "tanh";
    layers = [
      ...(first < 0 ? layers : layers.slice(0, first)),
      ...hidden.value.map((units) => ({ type: "dense" as const, units, activation })),
    ];
  }
  if (variant.activation) {
    const activation = variant.activation;
    layers = layers.map((l) => (l.type === "dense" ? { ...l, activation } : l));
  }
  return {
    ok: true,
    value: {
      ...base,
      spec: { ...base.spec, layers },
      hyperparameters: {
        ...base.hyperparameters,
        optimizer: variant.optimizer,
        learning_rate: lr.value,
        batch_size: batch.value,
        weight_decay: l2.value,
        l1: l1.value,
        dropout: dropout.value,
      },
    },
  };
}

/** The configs to compare: the form itself (A), then each variant (B, C, D). */
export function comparisonConfigs(form: PlaygroundForm, variants: readonly Variant[]): Checked<RunConfig[]> {
  const base = buildRunCreate(form);
  if (!base.ok) return { ok: false, error: `A: ${base.error}` };
  const config = base.value.config;
  if (!config) return { ok: false, error: "A: no configuration" };
  const configs: RunConfig[] = [config];
  for (const [i, variant] of variants.entries()) {
    const applied = applyVariant(config, variant, CONFIG_NAMES[i + 1] ?? `#${i + 2}`);
    if (!applied.ok) return applied;
    configs.push(applied.value);
  }
  return { ok: true, value: configs };
}
