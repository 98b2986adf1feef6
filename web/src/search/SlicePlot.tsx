/**
 * A slice plot (SVG): one hyperparameter against the objective, one dot per completed trial —
 * where a hyperparameter's effect shows in this study. Log axis for log-scaled ranges.
 */

import { useState } from "react";
import type { TrialSummary } from "../api/types";
import { formatNumber } from "../format";
import { formatObjective } from "./format";

interface Props {
  trials: TrialSummary[];
  params: string[];
  objective: string;
  help: Record<string, string>;
}

export function SlicePlot({ trials, params, objective, help }: Props) {
  const [chosen, setParam] = useState<string | null>(null);
  const param = chosen !== null && params.includes(chosen) ? chosen : (params[0] ?? "");
  const done = trials.filter((t) => t.values && param in t.params);
  if (!param || done.length < 2) return <p className="empty">The slice plot needs two completed trials.</p>;
  const raw = done.map((t) => t.params[param]);
  const numeric = raw.every((v) => typeof v === "number");
  const choices = numeric ? [] : [...new Set(raw.map(String))].sort();
  const nums = numeric ? (raw as number[]) : [];
  const log = numeric && Math.min(...nums) > 0 && Math.max(...nums) / Math.min(...nums) > 10;
  const f = (v: number) => (log ? Math.log10(v) : v);
  const [lo, hi] = numeric ? [f(Math.min(...nums)), f(Math.max(...nums))] : [0, Math.max(1, choices.length - 1)];
  const ys = done.map((t) => (t.values as number[])[0] as number);
  const [y0, y1] = [Math.min(...ys), Math.max(...ys)];
  const W = 360;
  const H = 220;
  const pad = 44;
  const sx = (v: unknown) => pad + (((numeric ? f(v as number) : choices.indexOf(String(v))) - lo) / (hi - lo || 1)) * (W - 2 * pad);
  const sy = (v: number) => H - pad - ((v - y0) / (y1 - y0 || 1)) * (H - 2 * pad);
  return (
    <div>
      <label className="search-help">
        Hyperparameter{" "}
        <select value={param} onChange={(e) => setParam(e.target.value)}>
          {params.map((p) => (
            <option key={p}>{p}</option>
          ))}
        </select>
      </label>
      {help[param] && <p className="search-help">{help[param]}</p>}
      <div className="search-scroll">
        <svg width={W} height={H} viewBox={`0 0 ${W} ${H}`} role="img" aria-label={`${objective} against ${param} for ${done.length} trials`} data-testid="slice-plot">
          <line x1={pad} x2={W - pad} y1={H - pad} y2={H - pad} stroke="#334155" />
          <line x1={pad} x2={pad} y1={pad / 2} y2={H - pad} stroke="#334155" />
          <text x={W / 2} y={H - 6} textAnchor="middle" className="search-axis-label">
            {param}
            {log ? " (log)" : ""}
          </text>
          <text x={pad - 4} y={H - pad} textAnchor="end" className="search-axis-tick">{formatObjective(objective, y0)}</text>
          <text x={pad - 4} y={pad / 2 + 8} textAnchor="end" className="search-axis-tick">{formatObjective(objective, y1)}</text>
          {(numeric ? [Math.min(...nums), Math.max(...nums)] : choices).map((v) => (
            <text key={String(v)} x={sx(v)} y={H - pad + 14} textAnchor="middle" className="search-axis-tick">
              {typeof v === "number" ? formatNumber(v) : v}
            </text>
          ))}
          {done.map((t, i) => (
            <circle key={t.number} cx={sx(raw[i])} cy={sy(ys[i] as number)} r={4} fill="#2563eb" fillOpacity={0.7}>
              <title>{`trial ${t.number}: ${param} ${String(raw[i])}, ${objective} ${formatObjective(objective, ys[i])}`}</title>
            </circle>
          ))}
        </svg>
      </div>
    </div>
  );
}
