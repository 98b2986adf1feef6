/** Pure helpers of the Analytics page: number formats, the merged layer table, sorting, chart scales. */

import type { ModelFinding, ModelReport } from "../api/types";

export function formatCount(n: number | null | undefined): string {
  if (n === null || n === undefined) return "—";
  const abs = Math.abs(n);
  if (abs >= 1e9) return `${(n / 1e9).toFixed(2)}G`;
  if (abs >= 1e6) return `${(n / 1e6).toFixed(2)}M`;
  if (abs >= 1e3) return `${(n / 1e3).toFixed(1)}k`;
  return String(n);
}

export function formatBytes(n: number | null | undefined): string {
  if (n === null || n === undefined) return "—";
  if (n >= 1 << 30) return `${(n / (1 << 30)).toFixed(2)} GiB`;
  if (n >= 1 << 20) return `${(n / (1 << 20)).toFixed(1)} MiB`;
  if (n >= 1 << 10) return `${(n / (1 << 10)).toFixed(1)} KiB`;
  return `${n} B`;
}

export function formatMs(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return "—";
  if (ms < 0.1) return `${(ms * 1000).toFixed(1)} µs`;
  return `${ms.toFixed(ms < 10 ? 2 : 1)} ms`;
}

export function formatNumber(x: number | null | undefined, digits = 2): string {
  return x === null || x === undefined ? "—" : x.toFixed(digits);
}

/** One row of the layer insights table: a layer with its cost, spectrum and findings. */
export interface LayerRow {
  name: string;
  kind: string;
  role: string | null;
  params: number;
  flops: number | null;
  timeMs: number | null;
  outputShape: string;
  stableRank: number | null;
  alpha: number | null;
  hint: string;
  tier: string | null;
  findings: number;
}

export function layerRows(report: ModelReport): LayerRow[] {
  const costs = new Map(report.cost.layers.map((c) => [c.name, c]));
  const spectra = new Map(report.spectral.map((s) => [s.name.replace(/\.weight$/, ""), s]));
  const tiers = new Map((report.efficiency?.layers ?? []).map((t) => [t.name, t.tier]));
  const counts = new Map<string, number>();
  for (const f of report.findings) {
    if (f.layer !== null && f.layer !== undefined) counts.set(f.layer, (counts.get(f.layer) ?? 0) + 1);
  }
  return report.layers.map((layer) => {
    const cost = costs.get(layer.name);
    const spec = spectra.get(layer.name);
    return {
      name: layer.name,
      kind: layer.kind,
      role: layer.role ?? null,
      params: layer.params,
      flops: cost?.flops ?? null,
      timeMs: cost?.time_ms ?? null,
      outputShape: cost?.output_shape ? cost.output_shape.join("×") : "—",
      stableRank: spec?.stable_rank ?? null,
      alpha: spec?.alpha ?? null,
      hint: spec?.hint ?? "",
      tier: tiers.get(layer.name) ?? null,
      findings: counts.get(layer.name) ?? 0,
    };
  });
}

export type SortKey = "name" | "params" | "flops" | "timeMs" | "stableRank" | "alpha" | "findings";

/** Sorted copy; missing values always last; ``name`` keeps the model's order when ascending. */
export function sortRows(rows: LayerRow[], key: SortKey, ascending: boolean): LayerRow[] {
  if (key === "name") return ascending ? [...rows] : [...rows].reverse();
  const sign = ascending ? 1 : -1;
  return [...rows].sort((a, b) => {
    const x = a[key];
    const y = b[key];
    if (x === null && y === null) return 0;
    if (x === null) return 1;
    if (y === null) return -1;
    return sign * (x - y);
  });
}

/** Width in percent of ``value`` on a 0..max scale (0 for missing values). */
export function barWidth(value: number | null, max: number): number {
  if (value === null || !(max > 0) || value <= 0) return 0;
  return Math.min(100, (100 * value) / max);
}

export interface PenaltyRow {
  index: number;
  points: number;
  finding: ModelFinding;
}

/** Every point lost, each with the Finding it comes from (health.breakdown → findings). */
export function penalties(report: ModelReport): PenaltyRow[] {
  return report.health.breakdown
    .map((p) => ({ index: p.finding_index, points: p.points, finding: report.findings[p.finding_index] }))
    .filter((p): p is PenaltyRow => p.finding !== undefined);
}

const SEVERITY_ORDER: Record<string, number> = { critical: 0, warning: 1, info: 2 };

export function findingsBySeverity(findings: ModelFinding[]): { finding: ModelFinding; index: number }[] {
  return findings
    .map((finding, index) => ({ finding, index }))
    .sort((a, b) => (SEVERITY_ORDER[a.finding.severity] ?? 3) - (SEVERITY_ORDER[b.finding.severity] ?? 3) || a.index - b.index);
}

export function evidenceText(value: unknown): string {
  if (Array.isArray(value)) return value.length > 12 ? `${value.slice(0, 12).join(", ")}, … (${value.length})` : value.join(", ");
  if (typeof value === "number") return Number.isInteger(value) ? String(value) : value.toPrecision(4);
  return String(value);
}

/** The health gauge: an arc of ``score`` percent, as an SVG path on a 100×60 box. */
export function gaugeArc(score: number): string {
  const t = Math.max(0, Math.min(100, score)) / 100;
  const angle = Math.PI * (1 - t);
  const x = 50 + 40 * Math.cos(angle);
  const y = 52 - 40 * Math.sin(angle);
  return `M 10 52 A 40 40 0 0 1 ${x.toFixed(2)} ${y.toFixed(2)}`;
}

export function scoreClass(score: number): string {
  if (score >= 90) return "an-good";
  if (score >= 60) return "an-fair";
  return "an-poor";
}

/** The message for a failed upload: the server's own words when it gave any. */
export function uploadError(status: number, body: unknown, limitHint = ""): string {
  const detail =
    typeof body === "object" && body !== null && "error" in body
      ? ((body as { error: { code?: string; message?: string } }).error ?? {})
      : {};
  const message = detail.message ?? "";
  switch (detail.code) {
    case "too_large":
      return `The file is too large: ${message}.${limitHint} Save only the weights (state_dict or safetensors) or raise the server's upload limit.`;
    case "unsafe_model":
      return `Refused for safety — ${message}`;
    case "corrupt_model":
      return `The file is damaged or incomplete: ${message}. Save it again and retry.`;
    case "unsupported_format":
      return `This is not a model format neuralscope reads: ${message}`;
    case "empty_model":
      return `The file holds no weights: ${message}`;
    default:
      if (status === 0) return "The upload did not reach the server. Is it running?";
      return message || `The server answered ${status}.`;
  }
}

/** CSV of the layer table, for export. */
export function layersCsv(rows: LayerRow[]): string {
  const head = "name,kind,role,params,flops,time_ms,output_shape,stable_rank,alpha,tier,findings";
  const quote = (s: string) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  const lines = rows.map((r) =>
    [r.name, r.kind, r.role ?? "", r.params, r.flops ?? "", r.timeMs ?? "", r.outputShape, r.stableRank ?? "", r.alpha ?? "", r.tier ?? "", r.findings]
      .map((v) => quote(String(v)))
      .join(","),
  );
  return [head, ...lines].join("\n") + "\n";
}

export interface EsdPlot {
  /** Empirical complementary CDF: (log10 λ, log10 P(X ≥ λ)) for the listed eigenvalues. */
  points: [number, number][];
  /** The fitted power law on λ ≥ xmin, as a segment in the same coordinates; null without a fit. */
  fit: [[number, number], [number, number]] | null;
}

/** Log-log ESD of one layer (largest eigenvalues first, as the report lists them). */
export function esdPlot(evals: number[], nEvals: number, xmin: number | null, alpha: number | null): EsdPlot {
  const points: [number, number][] = [];
  const floor = 1e-6 * (evals[0] ?? 0); // numerically zero eigenvalues would stretch the axis
  evals.forEach((lam, i) => {
    if (lam > floor && lam > 0) points.push([Math.log10(lam), Math.log10((i + 1) / nEvals)]);
  });
  if (xmin === null || alpha === null || !(xmin > 0) || evals.length === 0) return { points, fit: null };
  const nTail = evals.filter((l) => l >= xmin).length;
  const top = evals[0] as number;
  const ccdf = (lam: number) => Math.log10(nTail / nEvals) + (1 - alpha) * Math.log10(lam / xmin);
  return { points, fit: [[Math.log10(xmin), ccdf(xmin)], [Math.log10(top), ccdf(top)]] };
}
