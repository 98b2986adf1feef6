/**
 * Plain-words explanations of one backprop step (``POST /api/runs/{id}/backprop``), in the
 * notation of the server's trace (Nielsen, *Neural Networks and Deep Learning*, ch. 2):
 * ``z = a_prev Wᵀ + b``, ``a = f(z)``; backwards ``dL/dz = dL/da · f'(z)``,
 * ``dL/dW = (dL/dz)ᵀ a_prev``, ``dL/da_prev = dL/dz W``.
 */

import type { BackpropTrace, LayerTrace } from "../../api/types";

export type Stage = "forward" | "loss" | "backward" | "update";
export const STAGES: readonly Stage[] = ["forward", "loss", "backward", "update"];
export const STAGE_TITLES: Record<Stage, string> = {
  forward: "1 · Forward pass",
  loss: "2 · Loss",
  backward: "3 · Gradients",
  update: "4 · Update",
};

/** Six significant digits: what the table shows (the cell's title has every digit). */
export function fmt(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (v === 0) return "0";
  return Number(v.toPrecision(6)).toString();
}

const ACTIVATION_WORDS: Record<string, string> = {
  relu: "ReLU keeps positive sums and turns negative ones into 0",
  tanh: "tanh squashes the sum into −1…1",
  sigmoid: "the sigmoid squashes the sum into 0…1",
  gelu: "GELU lets large sums through and damps small and negative ones",
  linear: "no squashing: a = z",
};

const DERIVATIVE_WORDS: Record<string, string> = {
  relu: "f′(z) is 1 where z > 0 and 0 elsewhere",
  tanh: "f′(z) = 1 − a²",
  sigmoid: "f′(z) = a(1 − a)",
  gelu: "f′(z) = Φ(z) + z·φ(z)",
  linear: "f′(z) = 1",
};

export function isOutput(layer: LayerTrace): boolean {
  return layer.name === "output";
}

export function forwardWords(layer: LayerTrace, inputs: number): string {
  const units = layer.bias.length;
  const who = isOutput(layer) ? "The output layer's" : `Each of ${layer.name}'s`;
  return `${who} ${units} unit${units === 1 ? "" : "s"} multiplies its ${inputs} input${inputs === 1 ? "" : "s"} by its weights, adds its bias (z = a·Wᵀ + b), then applies its activation: ${ACTIVATION_WORDS[layer.activation] ?? layer.activation}.`;
}

export function lossWords(trace: BackpropTrace): string {
  const n = trace.targets.length;
  const mean = `averaged over the batch of ${n}`;
  if (trace.task === "binary") return `Binary cross-entropy: the model says p = sigmoid(z) for class 1; the loss is −[y·log p + (1 − y)·log(1 − p)], ${mean}. Confident and right costs almost nothing; confident and wrong costs a lot.`;
  if (trace.task === "multiclass") return `Cross-entropy: softmax turns the outputs into class probabilities; the loss is −log(probability of the true class), ${mean}.`;
  return `Mean squared error: (z − y)², ${mean}.`;
}

export function outputGradientWords(trace: BackpropTrace): string {
  const n = trace.targets.length;
  if (trace.task === "binary") return `At the output, dL/dz = (p − y) / ${n}: how far the prediction is from the label, shared over the batch.`;
  if (trace.task === "multiclass") return `At the output, dL/dz = (softmax − one-hot label) / ${n} for each class.`;
  return `At the output, dL/dz = 2(z − y) / ${n}.`;
}

export function backwardWords(layer: LayerTrace): string {
  return `Going backwards through ${layer.name}: dL/dz = dL/da × f′(z), where ${DERIVATIVE_WORDS[layer.activation] ?? "f′ is the activation's slope"}. Each weight's gradient dL/dW adds up, over the batch, (dL/dz of its unit) × (the input it multiplies); each bias's gradient is the sum of its unit's dL/dz.`;
}

export function updateWords(trace: BackpropTrace): string {
  const lr = fmt(trace.learning_rate);
  switch (trace.optimizer) {
    case "sgd":
      return `Plain SGD: every weight moves against its gradient, ΔW = −${lr} × dL/dW.`;
    case "momentum":
    case "nesterov":
      return `SGD with ${trace.optimizer}: the step follows a running sum of past gradients (velocity), scaled by the learning rate ${lr}, so the update is not just −${lr} × dL/dW.`;
    case "adam":
    case "adamw":
      return `${trace.optimizer === "adam" ? "Adam" : "AdamW"}: each weight's step is its averaged gradient divided by the root of its averaged squared gradient, times ${lr}${trace.optimizer === "adamw" ? ", plus a pull towards 0 (decoupled weight decay)" : ""}. Early steps are about ${lr} in size whatever the gradient's scale.`;
    case "rmsprop":
      return `RMSprop: each gradient is divided by the root of a running average of its squares, times ${lr}.`;
    case "adagrad":
      return `Adagrad: each gradient is divided by the root of the sum of all its past squares, times ${lr}: often-updated weights slow down.`;
    default:
      return `The optimizer ${trace.optimizer} at learning rate ${lr} turns the gradients into these changes.`;
  }
}

/** What the model predicts from the output pre-activations of one sample. */
export function prediction(task: BackpropTrace["task"], z: readonly number[]): number[] {
  if (task === "binary") return z.map((v) => 1 / (1 + Math.exp(-v)));
  if (task === "multiclass") {
    const m = Math.max(...z);
    const e = z.map((v) => Math.exp(v - m));
    const s = e.reduce((a, b) => a + b, 0);
    return e.map((v) => v / s);
  }
  return [...z];
}

/** The per-sample loss of one sample (its mean over the batch is the trace's loss). */
export function sampleLoss(task: BackpropTrace["task"], z: readonly number[], target: number): number {
  const p = prediction(task, z);
  if (task === "binary") {
    const q = p[0] ?? 0.5;
    return -(target * Math.log(q) + (1 - target) * Math.log(1 - q));
  }
  if (task === "multiclass") return -Math.log(p[Math.round(target)] ?? 1);
  return ((z[0] ?? 0) - target) ** 2;
}

/** Names of the inputs of layer ``i``: x₁, x₂… for the first, the previous layer's units else. */
export function inputNames(trace: BackpropTrace, i: number): string[] {
  const previous = trace.layers[i - 1];
  const count = trace.layers[i]?.weight[0]?.length ?? 0;
  return Array.from({ length: count }, (_, k) => (previous ? `${previous.name}[${k}]` : `x${k + 1}`));
}
