/**
 * Parallel coordinates (SVG): one vertical axis per hyperparameter and one for the objective;
 * each completed trial is a line through its values, coloured by the objective (better = greener).
 * Numeric axes span the values seen (log scale where every value is positive and they span more
 * than a decade); categorical axes space their choices evenly.
 */

import type { TrialSummary } from "../api/types";
import { formatNumber } from "../format";
import { healthColor } from "./format";

type Scale = { pos(value: unknown): number; ticks: string[] };

function scaleFor(values: unknown[]): Scale {
  const nums = values.filter((v): v is number => typeof v === "number");
  if (nums.length === values.length && nums.length > 0) {
    let lo = Math.min(...nums);
    let hi = Math.max(...nums);
    const log = lo > 0 && hi / lo > 10;
    const f = (v: number) => (log ? Math.log10(v) : v);
    if (lo === hi) {
      lo -= 1;
      hi += 1;
    }
    return {
      pos: (v) => (f(v as number) - f(lo)) / (f(hi) - f(lo) || 1),
      ticks: [formatNumber(lo), formatNumber(hi)],
    };
  }
  const choices = [...new Set(values.map(String))].sort();
  return { pos: (v) => (choices.length > 1 ? choices.indexOf(String(v)) / (choices.length - 1) : 0.5), ticks: choices };
}

interface Props {
  trials: TrialSummary[];
  objective: string;
  maximize: boolean;
}

export function ParallelCoords({ trials, objective, maximize }: Props) {
  const done = trials.filter((t) => t.values && t.values.length > 0);
  if (done.length < 2) return <p className="empty">Parallel coordinates need two completed trials.</p>;
  const names = [...new Set(done.flatMap((t) => Object.keys(t.params)))];
  const axes = [...names, objective];
  const columns = axes.map((a, i) => (i < names.length ? done.map((t) => t.params[a]) : done.map((t) => (t.values as number[])[0])));
  const scales = columns.map(scaleFor);
  const W = Math.max(320, axes.length * 110);
  const H = 260;
  const top = 28;
  const bottom = 40;
  const x = (i: number) => 40 + (i * (W - 80)) / Math.max(1, axes.length - 1);
  const y = (s: Scale, v: unknown) => top + (1 - s.pos(v)) * (H - top - bottom);
  const objScale = scales[scales.length - 1] as Scale;
  return (
    <div className="search-scroll">
      <svg className="search-parallel" width={W} height={H} viewBox={`0 0 ${W} ${H}`} role="img" aria-label={`Parallel coordinates of ${done.length} completed trials over ${names.join(", ")} and ${objective}`} data-testid="parallel-coords">
        {done.map((t, row) => {
          const quality = objScale.pos((t.values as number[])[0]);
          const points = axes.map((_, i) => `${x(i)},${y(scales[i] as Scale, (columns[i] as unknown[])[row])}`).join(" ");
          return <polyline key={t.number} points={points} fill="none" stroke={healthColor(maximize ? quality : 1 - quality)} strokeOpacity={0.75} strokeWidth={1.5}><title>{`trial ${t.number}`}</title></polyline>;
        })}
        {axes.map((a, i) => (
          <g key={a}>
            <line x1={x(i)} x2={x(i)} y1={top} y2={H - bottom} stroke="#334155" />
            <text x={x(i)} y={top - 10} textAnchor="middle" className="search-axis-label">
              {a}
            </text>
            {(scales[i] as Scale).ticks.length <= 6 &&
              (scales[i] as Scale).ticks.map((tick, k, all) => (
                <text key={tick} x={x(i) + 4} y={all.length === 2 && typeof columns[i]?.[0] === "number" ? (k === 0 ? H - bottom + 14 : top + 10) : y(scales[i] as Scale, tick) + 4} className="search-axis-tick">
                  {tick}
                </text>
              ))}
          </g>
        ))}
      </svg>
    </div>
  );
}
