/** Number and label formatting shared by the views. */

import type { HyperparametersEvent, Marker } from "./api/liveState";

/** Up to 4 significant digits, no trailing zeros: 0.03 -> "0.03", 1234.5 -> "1235". */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (value !== 0 && (Math.abs(value) < 1e-4 || Math.abs(value) >= 1e6)) return value.toExponential(2);
  return String(Number(value.toPrecision(4)));
}

export function formatLoss(value: number | null | undefined): string {
  return value === null || value === undefined ? "—" : value.toFixed(4);
}

export function formatPercent(value: number | null | undefined): string {
  return value === null || value === undefined ? "—" : `${(value * 100).toFixed(1)}%`;
}

const SHORT_NAMES: Record<string, string> = {
  learning_rate: "lr",
  batch_size: "batch",
  optimizer: "optimizer",
  momentum: "momentum",
  weight_decay: "weight decay",
};

function formatValue(value: number | string): string {
  return typeof value === "number" ? formatNumber(value) : value;
}

/** "lr 0.03→0.1", one part per change, joined by commas. */
export function hyperparameterLabel(event: HyperparametersEvent): string {
  return event.payload.changes
    .map((c) => `${SHORT_NAMES[c.name] ?? c.name} ${formatValue(c.old)}→${formatValue(c.new)}`)
    .join(", ");
}

/** The short text a marker carries on the chart and in the markers list. */
export function markerLabel(marker: Marker): string {
  switch (marker.kind) {
    case "hyperparameters":
      return hyperparameterLabel(marker);
    case "status":
      return marker.payload.status;
    case "finding":
      return `${marker.payload.severity}: ${marker.payload.code.replaceAll("_", " ")}`;
  }
}
