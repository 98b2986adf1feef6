/**
 * The metrics as CSV (RFC 4180, "\n" line ends): the per-step series in long form (one row per
 * split and logged step: ``step,split,loss,accuracy,...``) and the per-class table of one
 * evaluation (``split,class,precision,recall,f1,support``).
 */

import type { EvaluationOut, Series } from "../api/types";

/** Metric columns in this order first, then any other in alphabetical order. */
const ORDER = ["loss", "accuracy", "precision", "recall", "f1", "mse", "mae", "r2"];
const SPLITS = ["train", "val"] as const;

function cell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return "";
  const text = String(value);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function lines(rows: readonly (readonly (string | number | null | undefined)[])[]): string {
  return rows.map((row) => row.map(cell).join(",")).join("\n") + "\n";
}

/** ``split/metric`` series as one row per (split, step), steps ascending; empty where not logged. */
export function seriesCsv(series: Readonly<Record<string, Series>>): { text: string; rows: number } {
  const metrics = new Set<string>();
  for (const name of Object.keys(series)) {
    const [split, metric] = name.split("/");
    if (metric && (split === "train" || split === "val")) metrics.add(metric);
  }
  const columns = [...metrics].sort((a, b) => {
    const ia = ORDER.indexOf(a);
    const ib = ORDER.indexOf(b);
    return (ia < 0 ? ORDER.length : ia) - (ib < 0 ? ORDER.length : ib) || a.localeCompare(b);
  });
  const rows: (string | number | null)[][] = [];
  for (const split of SPLITS) {
    const bySteps = new Map<number, (number | null)[]>();
    columns.forEach((metric, j) => {
      const s = series[`${split}/${metric}`];
      s?.steps.forEach((step, i) => {
        const row = bySteps.get(step) ?? columns.map(() => null);
        row[j] = s.values[i] ?? null;
        bySteps.set(step, row);
      });
    });
    for (const step of [...bySteps.keys()].sort((a, b) => a - b)) rows.push([step, split, ...(bySteps.get(step) ?? [])]);
  }
  return { text: lines([["step", "split", ...columns], ...rows]), rows: rows.length };
}

/** Per-class precision/recall/F1 and support (true samples) of both splits; null for regression. */
export function perClassCsv(evaluation: EvaluationOut): string | null {
  if (evaluation.task === "regression") return null;
  const rows: (string | number | null | undefined)[][] = [["split", "class", "precision", "recall", "f1", "support"]];
  for (const split of SPLITS) {
    const report = evaluation.splits[split];
    if (!report) continue;
    evaluation.class_names.forEach((name, k) => {
      const support = report.confusion?.[k]?.reduce((a, b) => a + b, 0);
      rows.push([split, name, report.per_class_precision?.[k], report.per_class_recall?.[k], report.per_class_f1?.[k], support]);
    });
  }
  return lines(rows);
}
