/**
 * A dense net's weights in the browser: parse the run's safetensors export
 * (``GET /api/runs/{id}/export/safetensors``; format: 8-byte little-endian header length, a
 * JSON header of ``{name: {dtype, shape, data_offsets}}``, then the raw little-endian data),
 * and run the net forward over the plane to get what every unit computes there, as
 * TensorFlow Playground's per-neuron pictures do.
 */

import type { Activation, FeatureName, SessionConfig } from "../../api/types";

export interface Tensor {
  shape: number[];
  data: Float32Array;
}

export function parseSafetensors(buffer: ArrayBuffer): Map<string, Tensor> {
  const view = new DataView(buffer);
  const headerLength = Number(view.getBigUint64(0, true));
  const header = JSON.parse(new TextDecoder().decode(new Uint8Array(buffer, 8, headerLength))) as Record<
    string,
    { dtype: string; shape: number[]; data_offsets: [number, number] } | Record<string, string>
  >;
  const start = 8 + headerLength;
  const out = new Map<string, Tensor>();
  for (const [name, entry] of Object.entries(header)) {
    if (name === "__metadata__" || !("dtype" in entry) || entry.dtype !== "F32") continue;
    const [from, to] = entry.data_offsets as [number, number];
    // Copy: the slice may not be 4-byte aligned inside the file.
    const bytes = new Uint8Array(buffer.slice(start + from, start + to));
    out.set(name, { shape: entry.shape as number[], data: new Float32Array(bytes.buffer) });
  }
  return out;
}

export interface DenseLayerWeights {
  name: string;
  /** [unit][input] */
  weight: number[][];
  bias: number[];
  activation: Activation;
}

/** The dense layers of a dense-only spec, in order (the output layer last, linear). */
export function denseLayers(tensors: Map<string, Tensor>, config: SessionConfig): DenseLayerWeights[] | null {
  if (!config.spec.layers.every((l) => l.type === "dense")) return null;
  const names = [...config.spec.layers.map((_, i) => `dense${i + 1}`), "output"];
  const out: DenseLayerWeights[] = [];
  for (const [i, name] of names.entries()) {
    const w = tensors.get(`${name}.weight`);
    const b = tensors.get(`${name}.bias`);
    if (!w || !b || w.shape.length !== 2) return null;
    const [units = 0, inputs = 0] = w.shape;
    const weight = Array.from({ length: units }, (_, u) => Array.from(w.data.subarray(u * inputs, (u + 1) * inputs)));
    const layer = config.spec.layers[i];
    out.push({ name, weight, bias: Array.from(b.data), activation: layer?.type === "dense" ? layer.activation : "linear" });
  }
  return out;
}

const ERF_P = 0.3275911;
const ERF_A = [0.254829592, -0.284496736, 1.421413741, -1.453152027, 1.061405429];

/** Abramowitz & Stegun 7.1.26 (|error| < 1.5e-7): enough for a picture. */
function erf(x: number): number {
  const t = 1 / (1 + ERF_P * Math.abs(x));
  const poly = ERF_A.reduceRight((acc, a) => acc * t + a, 0) * t;
  const y = 1 - poly * Math.exp(-x * x);
  return x >= 0 ? y : -y;
}

export function activate(name: Activation, z: number): number {
  switch (name) {
    case "relu":
      return z > 0 ? z : 0;
    case "tanh":
      return Math.tanh(z);
    case "sigmoid":
      return 1 / (1 + Math.exp(-z));
    case "gelu":
      return 0.5 * z * (1 + erf(z / Math.SQRT2));
    default:
      return z;
  }
}

const FEATURE_FNS: Record<FeatureName, (a: number, b: number) => number> = {
  x1_squared: (a) => a * a,
  x2_squared: (_, b) => b * b,
  x1_x2: (a, b) => a * b,
  sin_x1: (a) => Math.sin(a),
  sin_x2: (_, b) => Math.sin(b),
};

/** x1, x2, then each derived feature (data/features.py). */
export function inputsAt(x: number, y: number, features: readonly FeatureName[]): number[] {
  return [x, y, ...features.map((f) => FEATURE_FNS[f](x, y))];
}

/** Every layer's activations for one input vector: [layer][unit]. */
export function forward(layers: readonly DenseLayerWeights[], input: readonly number[]): number[][] {
  const out: number[][] = [];
  let a: readonly number[] = input;
  for (const layer of layers) {
    const prev = a;
    const next = layer.weight.map((row, u) => activate(layer.activation, row.reduce((s, w, k) => s + w * (prev[k] ?? 0), layer.bias[u] ?? 0)));
    out.push(next);
    a = next;
  }
  return out;
}

/**
 * What every unit computes over a ``res`` × ``res`` grid of the plane (row 0 at the top, as
 * the boundary): maps[layer][unit] is a row-major Float32Array.
 */
export function unitMaps(layers: readonly DenseLayerWeights[], features: readonly FeatureName[], bounds: readonly number[], res: number): Float32Array[][] {
  const [lo = -6, hi = 6] = bounds;
  const maps = layers.map((l) => l.bias.map(() => new Float32Array(res * res)));
  const step = (hi - lo) / res;
  for (let i = 0; i < res; i++) {
    const y = hi - (i + 0.5) * step;
    for (let j = 0; j < res; j++) {
      const acts = forward(layers, inputsAt(lo + (j + 0.5) * step, y, features));
      acts.forEach((units, l) => units.forEach((v, u) => ((maps[l]?.[u] as Float32Array)[i * res + j] = v)));
    }
  }
  return maps;
}

/**
 * What every unit computes along a 1-D input (the sine set): curves[layer][unit] holds its
 * output at ``n`` evenly spaced x over ``bounds`` (cell centres, left to right).
 */
export function unitCurves(layers: readonly DenseLayerWeights[], bounds: readonly number[], n: number): Float32Array[][] {
  const [lo = -6, hi = 6] = bounds;
  const curves = layers.map((l) => l.bias.map(() => new Float32Array(n)));
  const step = (hi - lo) / n;
  for (let j = 0; j < n; j++) {
    forward(layers, [lo + (j + 0.5) * step]).forEach((units, l) => units.forEach((v, u) => ((curves[l]?.[u] as Float32Array)[j] = v)));
  }
  return curves;
}

/** Counts of ``values`` in ``bins`` equal bins over [lo, hi] (values outside go to the ends). */
export function histogram(values: readonly number[], lo: number, hi: number, bins: number): number[] {
  const counts = new Array<number>(bins).fill(0);
  for (const v of values) {
    const k = Math.min(bins - 1, Math.max(0, Math.floor(((v - lo) / (hi - lo || 1)) * bins)));
    counts[k] = (counts[k] ?? 0) + 1;
  }
  return counts;
}

/** The inputs themselves over the same grid (x₁, x₂, then derived features). */
export function inputMaps(features: readonly FeatureName[], bounds: readonly number[], res: number): Float32Array[] {
  const [lo = -6, hi = 6] = bounds;
  const maps = [0, 1, ...features.map(() => 0)].map(() => new Float32Array(res * res));
  const step = (hi - lo) / res;
  for (let i = 0; i < res; i++) {
    for (let j = 0; j < res; j++) {
      inputsAt(lo + (j + 0.5) * step, hi - (i + 0.5) * step, features).forEach((v, k) => ((maps[k] as Float32Array)[i * res + j] = v));
    }
  }
  return maps;
}
