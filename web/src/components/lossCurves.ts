/** Pure helpers of the loss chart: aligning series on one x axis, marker styling. */

import type { Marker } from "../api/liveState";
import type { Series } from "../api/types";

/** uPlot's data layout: x values, then one y array per series (null where missing). */
export type Aligned = [number[], ...(number | null)[][]];

/**
 * Put several series on the union of their steps. The server emits train and validation
 * loss in the same metrics event, so the usual case is already aligned and costs one check.
 */
export function alignSeries(series: readonly (Series | undefined)[]): Aligned {
  const present = series.map((s) => s ?? { steps: [], values: [] });
  const first = present[0] as Series;
  const sameSteps = present.every(
    (s) => s.steps.length === first.steps.length && s.steps.every((step, i) => step === first.steps[i]),
  );
  if (sameSteps) return [first.steps, ...present.map((s) => s.values)];
  const steps = [...new Set(present.flatMap((s) => s.steps))].sort((a, b) => a - b);
  const columns = present.map((s) => {
    const byStep = new Map(s.steps.map((step, i) => [step, s.values[i] ?? null]));
    return steps.map((step) => byStep.get(step) ?? null);
  });
  return [steps, ...columns];
}

export const MARKER_COLORS: Record<Marker["kind"], string> = {
  hyperparameters: "#7c3aed",
  status: "#6b7280",
  finding: "#dc2626",
};
