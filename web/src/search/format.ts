/** Labels and colours of the search pages (objective names, values, health). */

import type { StudySummary, TrialSummary } from "../api/types";
import { formatNumber } from "../format";

export const OBJECTIVE_LABELS: Record<string, string> = {
  accuracy: "validation accuracy",
  health: "health score (0–100)",
  pareto: "accuracy · health · parameters",
};

/** Names of a study's objectives, in ``values`` order. */
export function objectiveNames(study: Pick<StudySummary, "objective" | "directions">): string[] {
  if (study.objective === "pareto") return ["accuracy", "health", "params"];
  if (study.objective) return [study.objective];
  return study.directions.map((_, i) => `objective ${i}`);
}

export function formatObjective(name: string, value: number | null | undefined): string {
  if (value === null || value === undefined) return "—";
  if (name === "accuracy") return `${(value * 100).toFixed(1)}%`;
  if (name === "params") return Math.round(value).toLocaleString("en");
  return formatNumber(value);
}

/** "91.0% · 72.5 · 17,258" */
export function formatValues(study: Pick<StudySummary, "objective" | "directions">, values: number[] | null | undefined): string {
  if (!values) return "—";
  const names = objectiveNames(study);
  return values.map((v, i) => formatObjective(names[i] ?? "", v)).join(" · ");
}

/** Red (0) through amber (0.5) to green (1): the same scale as the 3-D layout. */
export function healthColor(share: number | null | undefined): string {
  if (share === null || share === undefined || !Number.isFinite(share)) return "#8a94a6";
  const v = Math.min(1, Math.max(0, share));
  const red = [220, 38, 38];
  const amber = [217, 119, 6];
  const green = [22, 163, 74];
  const [a, b, t] = v < 0.5 ? [red, amber, v * 2] : [amber, green, (v - 0.5) * 2];
  return `#${a.map((x, i) => Math.round(x + ((b[i] as number) - x) * t).toString(16).padStart(2, "0")).join("")}`;
}

/** The trial's health score as a share (metrics.health is 0–100). */
export function trialHealth(trial: TrialSummary): number | null {
  return trial.metrics ? trial.metrics.health / 100 : null;
}

export function formatDuration(seconds: number): string {
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ${Math.round(seconds % 60)} s`;
  return `${(seconds / 3600).toFixed(1)} h`;
}

export function formatParams(n: number): string {
  if (n >= 1e6) return `${(n / 1e6).toFixed(2)} M`;
  if (n >= 1e4) return `${(n / 1e3).toFixed(1)} k`;
  return n.toLocaleString("en");
}
