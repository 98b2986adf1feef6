/**
 * Pure helpers of the module map: where modules sit, their colours, edge widths, and the
 * timeline of module lifecycle changes across snapshots.
 */

import type { ModuleChange, ModuleLink, ModulesEvent, ModuleState } from "../api/types";

/** Colours for "drives class k" (k mod 10; Tableau 10, distinguishable on white). */
export const CLASS_COLOURS = [
  "#4e79a7",
  "#f28e2b",
  "#59a14f",
  "#e15759",
  "#76b7b2",
  "#edc948",
  "#b07aa1",
  "#ff9da7",
  "#9c755f",
  "#79706e",
];
export const NEUTRAL = "#8a94a3";

export interface NodePos {
  module: ModuleState;
  x: number;
  y: number;
  r: number;
}

export interface Layout {
  width: number;
  height: number;
  nodes: NodePos[];
  columns: { layer: string; x: number }[];
}

/** Layers as columns (in payload order), modules stacked in each, radius by sqrt(units).
 * The drawing is as wide as its columns need (so one layer stays legible on a phone). */
export function layoutModules(layers: string[], modules: ModuleState[], maxWidth = 720): Layout {
  const width = Math.min(maxWidth, Math.max(300, 220 * layers.length));
  const perLayer = layers.map((layer) => modules.filter((m) => m.layer === layer));
  const most = Math.max(1, ...perLayer.map((m) => m.length));
  const maxUnits = Math.max(1, ...modules.map((m) => m.units.length));
  const rMax = 34;
  const height = Math.max(160, most * (2 * rMax + 26) + 40);
  const margin = 70;
  const columns = layers.map((layer, i) => ({
    layer,
    x: layers.length === 1 ? width / 2 : margin + (i * (width - 2 * margin)) / (layers.length - 1),
  }));
  const nodes: NodePos[] = [];
  perLayer.forEach((mods, i) => {
    const x = columns[i]?.x ?? width / 2;
    mods.forEach((module, j) => {
      const y = 30 + ((j + 0.5) * (height - 40)) / mods.length;
      const r = 8 + (rMax - 8) * Math.sqrt(module.units.length / maxUnits);
      nodes.push({ module, x, y, r });
    });
  });
  return { width, height, nodes, columns };
}

/** The class that drives the module: named by its evaluated label ("detects class 3",
 * "strongest drive: class 1", on its best task), else the class of the first task whose
 * samples drive it hardest (null for regression or no data). */
export function preferredClass(module: ModuleState): number | null {
  const named = module.scores?.label.match(/class (\d+)/);
  if (named) return Number(named[1]);
  if (module.class_drive.length === 0) return null;
  let best = 0;
  module.class_drive.forEach((v, i) => {
    if (v > (module.class_drive[best] ?? -Infinity)) best = i;
  });
  return best;
}

/** The function label: the last evaluation's words, or what drives it before any. */
export function functionLabel(module: ModuleState): string {
  if (module.scores) return module.scores.label;
  const k = preferredClass(module);
  return k === null ? "not evaluated yet" : `strongest drive: class ${k} (not evaluated yet)`;
}

/** Node colour: grey when uninformative, else the colour of the class that drives it. */
export function moduleColour(module: ModuleState): string {
  if (module.scores?.label.startsWith("uninformative")) return NEUTRAL;
  const k = preferredClass(module);
  return k === null ? NEUTRAL : (CLASS_COLOURS[k % CLASS_COLOURS.length] as string);
}

export type EdgeMode = "weight" | "gradient";

/** Stroke width of a link (share 0..1) in px; 0 hides it. */
export function edgeWidth(link: ModuleLink, mode: EdgeMode): number {
  const share = mode === "weight" ? link.weight : (link.gradient ?? 0);
  return share <= 0.005 ? 0 : 1 + 11 * Math.min(1, share);
}

export interface TimelineEntry {
  step: number;
  change: ModuleChange;
}

/** Every lifecycle change of every snapshot, oldest first. */
export function timeline(snapshots: ModulesEvent[]): TimelineEntry[] {
  return snapshots.flatMap((s) => s.payload.changes.map((change) => ({ step: s.step, change })));
}

/** Words for one change: "act1/M3 split into act1/M5, act1/M6". */
export function describeChange(change: ModuleChange): string {
  const [first, ...rest] = change.modules;
  switch (change.type) {
    case "born":
      return `${first} was born`;
    case "dissolved":
      return `${first} dissolved`;
    case "split":
      return `${first} split into ${rest.join(", ")}`;
    case "merged":
      return `${rest.join(" + ")} merged into ${first}`;
  }
}

/** Diverging colour for a standardised value (blue negative, white 0, red positive). */
export function divergingColour(value: number, scale = 1.5): string {
  const t = Math.max(-1, Math.min(1, value / scale));
  const a = Math.round(255 * (1 - Math.abs(t)));
  return t >= 0 ? `rgb(255,${a},${a})` : `rgb(${a},${a},255)`;
}

/** Grey level for a value in [lo, hi]. */
export function greyColour(value: number, lo: number, hi: number): string {
  const t = hi > lo ? (value - lo) / (hi - lo) : 0.5;
  const g = Math.round(255 * (1 - Math.max(0, Math.min(1, t))));
  return `rgb(${g},${g},${g})`;
}

/** Shape of an input pattern as an image (rows, cols), or null when it is not one. */
export function imageShape(shape: number[]): [number, number] | null {
  const dims = shape.filter((d) => d > 1);
  if (dims.length === 2) return [dims[0] as number, dims[1] as number];
  return null;
}
