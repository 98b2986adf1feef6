/** Pure helpers for the watched-run page: histogram frames by step, and bar geometry. */

import type { components } from "../api/schema.gen";

export type HistogramFrames = components["schemas"]["HistogramFrames"];
export type HistogramFrame = HistogramFrames["frames"][number];
export type Histogram = HistogramFrame["payload"]["histograms"][number];

/** The newest histogram of each (source, name) at or before ``step``: parameters and activations
 * are recorded at different cadences, so each keeps its last known state. */
export function histogramsAt(frames: readonly HistogramFrame[], step: number): Histogram[] {
  const latest = new Map<string, Histogram>();
  for (const frame of frames) {
    if (frame.step > step) break;
    for (const h of frame.payload.histograms) latest.set(`${h.source}|${h.name}`, h);
  }
  return [...latest.values()].sort((a, b) => a.source.localeCompare(b.source) || a.name.localeCompare(b.name));
}

/** The distinct steps that have a frame, ascending. */
export function frameSteps(frames: readonly HistogramFrame[]): number[] {
  return [...new Set(frames.map((f) => f.step))].sort((a, b) => a - b);
}

export interface Bar {
  x: number;
  width: number;
  height: number;
}

/** Bars of a histogram in a ``width`` x ``height`` box, heights as shares of the tallest bin. */
export function bars(h: Histogram, width: number, height: number): Bar[] {
  const n = h.counts.length;
  const top = Math.max(1, ...h.counts);
  return h.counts.map((c, i) => ({ x: (i * width) / n, width: width / n, height: (c / top) * height }));
}
