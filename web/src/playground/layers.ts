/**
 * The architecture builder's layers: drafts as the learner types them (numbers kept as text,
 * so a half-typed value is not lost), their translation to the API's layer union, and the
 * list edits the builder makes (insert, move, remove).
 */

import type { Activation, Layer, LayerType } from "../api/types";

// The server's limits (nets/spec.py).
export const MAX_LAYERS = 32;
export const MAX_UNITS = 1024;
export const MAX_FILTERS = 256;
export const MAX_KERNEL = 15;

export const ACTIVATIONS: readonly Activation[] = ["relu", "tanh", "sigmoid", "linear", "gelu"];
export const LAYER_TYPES: readonly LayerType[] = ["dense", "conv2d", "maxpool2d", "flatten", "dropout", "batchnorm"];

export const LAYER_TITLES: Record<LayerType, string> = {
  dense: "Dense",
  conv2d: "Conv2D",
  maxpool2d: "MaxPool",
  flatten: "Flatten",
  dropout: "Dropout",
  batchnorm: "BatchNorm",
};

export const LAYER_HELP: Record<LayerType, string> = {
  dense: "every unit sees every input",
  conv2d: "small filters slide over an image",
  maxpool2d: "keeps the largest value per window",
  flatten: "turns an image into a vector",
  dropout: "randomly silences inputs while training",
  batchnorm: "re-centres and re-scales each batch",
};

export interface LayerDraft {
  /** Stable identity for React while layers move (never sent). */
  id: number;
  type: LayerType;
  units: string;
  activation: Activation;
  filters: string;
  kernelSize: string;
  stride: string;
  padding: "valid" | "same";
  poolSize: string;
  /** Dropout probability. */
  p: string;
}

let lastId = 0;

export function newLayer(type: LayerType, patch: Partial<Omit<LayerDraft, "id" | "type">> = {}): LayerDraft {
  lastId += 1;
  return {
    id: lastId,
    type,
    units: "8",
    activation: type === "conv2d" ? "relu" : "tanh",
    filters: "8",
    kernelSize: "3",
    stride: type === "maxpool2d" ? "" : "1",
    padding: "valid",
    poolSize: "2",
    p: "0.5",
    ...patch,
  };
}

export type Checked<T> = { ok: true; value: T } | { ok: false; error: string };

export function checkNumber(text: string, label: string, min: number, max: number, integer: boolean): Checked<number> {
  const value = Number(text.trim());
  if (text.trim() === "" || !Number.isFinite(value)) return { ok: false, error: `${label}: enter a number` };
  if (integer && !Number.isInteger(value)) return { ok: false, error: `${label}: enter a whole number` };
  if (value < min || value > max) return { ok: false, error: `${label}: must be between ${min} and ${max}` };
  return { ok: true, value };
}

/** The API layer for a draft, or what to fix (``label`` names the layer, e.g. "Layer 2"). */
export function toSpecLayer(draft: LayerDraft, label: string): Checked<Layer> {
  const int = (text: string, field: string, max: number) => checkNumber(text, `${label} ${field}`, 1, max, true);
  switch (draft.type) {
    case "dense": {
      const units = int(draft.units, "units", MAX_UNITS);
      return units.ok ? { ok: true, value: { type: "dense", units: units.value, activation: draft.activation } } : units;
    }
    case "conv2d": {
      const filters = int(draft.filters, "filters", MAX_FILTERS);
      if (!filters.ok) return filters;
      const kernel = int(draft.kernelSize, "kernel size", MAX_KERNEL);
      if (!kernel.ok) return kernel;
      const stride = int(draft.stride, "stride", MAX_KERNEL);
      if (!stride.ok) return stride;
      const value = {
        type: "conv2d" as const,
        filters: filters.value,
        kernel_size: kernel.value,
        stride: stride.value,
        padding: draft.padding,
        activation: draft.activation,
      };
      return { ok: true, value };
    }
    case "maxpool2d": {
      const pool = int(draft.poolSize, "pool size", MAX_KERNEL);
      if (!pool.ok) return pool;
      if (draft.stride.trim() === "") return { ok: true, value: { type: "maxpool2d", pool_size: pool.value, stride: null } };
      const stride = int(draft.stride, "stride", MAX_KERNEL);
      return stride.ok ? { ok: true, value: { type: "maxpool2d", pool_size: pool.value, stride: stride.value } } : stride;
    }
    case "dropout": {
      const p = checkNumber(draft.p, `${label} rate`, 0, 0.99, false);
      return p.ok ? { ok: true, value: { type: "dropout", p: p.value } } : p;
    }
    case "flatten":
      return { ok: true, value: { type: "flatten" } };
    case "batchnorm":
      return { ok: true, value: { type: "batchnorm" } };
  }
}

/** A draft showing an API layer. */
export function fromSpecLayer(layer: Layer): LayerDraft {
  switch (layer.type) {
    case "dense":
      return newLayer("dense", { units: String(layer.units), activation: layer.activation });
    case "conv2d":
      return newLayer("conv2d", {
        filters: String(layer.filters),
        kernelSize: String(layer.kernel_size),
        stride: String(layer.stride),
        padding: layer.padding,
        activation: layer.activation,
      });
    case "maxpool2d":
      return newLayer("maxpool2d", { poolSize: String(layer.pool_size), stride: layer.stride == null ? "" : String(layer.stride) });
    case "dropout":
      return newLayer("dropout", { p: String(layer.p) });
    default:
      return newLayer(layer.type);
  }
}

/** Every layer as the API takes it, or the first thing to fix with the layer's index. */
export function toSpecLayers(drafts: readonly LayerDraft[]): Checked<Layer[]> & { index?: number } {
  if (drafts.length > MAX_LAYERS) return { ok: false, error: `At most ${MAX_LAYERS} layers` };
  const layers: Layer[] = [];
  for (const [i, draft] of drafts.entries()) {
    const layer = toSpecLayer(draft, `Layer ${i + 1}`);
    if (!layer.ok) return { ...layer, index: i };
    layers.push(layer.value);
  }
  return { ok: true, value: layers };
}

export function insertLayer(layers: readonly LayerDraft[], index: number, layer: LayerDraft): LayerDraft[] {
  const at = Math.max(0, Math.min(layers.length, index));
  return [...layers.slice(0, at), layer, ...layers.slice(at)];
}

/** Move the layer at ``from`` so it ends up at index ``to`` (of the list after the move). */
export function moveLayer(layers: readonly LayerDraft[], from: number, to: number): LayerDraft[] {
  if (from < 0 || from >= layers.length) return [...layers];
  const rest = layers.filter((_, i) => i !== from);
  return insertLayer(rest, to, layers[from] as LayerDraft);
}

export function removeLayer(layers: readonly LayerDraft[], index: number): LayerDraft[] {
  return layers.filter((_, i) => i !== index);
}

/** The layer index a server field such as ``spec.layers.2.kernel_size`` points at. */
export function layerIndexOf(field: string): number | null {
  const match = /(?:^|\.)layers\.(\d+)/.exec(field);
  return match ? Number(match[1]) : null;
}

/** A one-line summary: "Dense 8 tanh", "Conv2D 8×3×3 relu", "Dropout 0.5". */
export function layerSummary(draft: LayerDraft): string {
  switch (draft.type) {
    case "dense":
      return `${draft.units} units, ${draft.activation}`;
    case "conv2d":
      return `${draft.filters} filters ${draft.kernelSize}×${draft.kernelSize}, ${draft.activation}`;
    case "maxpool2d":
      return `${draft.poolSize}×${draft.poolSize}`;
    case "dropout":
      return `p = ${draft.p}`;
    default:
      return "";
  }
}
