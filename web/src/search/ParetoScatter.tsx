/** The Pareto front (SVG): accuracy against health, every completed trial, the front joined. */

import type { ParetoFront } from "../api/types";
import { formatObjective } from "./format";

export function ParetoScatter({ pareto, onSelect }: { pareto: ParetoFront; onSelect(n: number): void }) {
  if (pareto.points.length === 0) return <p className="empty">The front appears with the first completed trial.</p>;
  const W = 360;
  const H = 260;
  const pad = 40;
  const xs = pareto.points.map((p) => p[1] as number);
  const ys = pareto.points.map((p) => (p.length > 2 ? (p[2] as number) : (p[1] as number)));
  const [x0, x1] = [Math.min(...xs), Math.max(...xs)];
  const [y0, y1] = [Math.min(...ys), Math.max(...ys)];
  const sx = (v: number) => pad + ((v - x0) / (x1 - x0 || 1)) * (W - 2 * pad);
  const sy = (v: number) => H - pad - ((v - y0) / (y1 - y0 || 1)) * (H - 2 * pad);
  const front = new Set(pareto.front.map((t) => t.number));
  const frontPoints = pareto.points.filter((p) => front.has(p[0] as number)).sort((a, b) => (a[1] as number) - (b[1] as number));
  const [xName, yName] = [pareto.objectives[0] ?? "x", pareto.objectives[1] ?? pareto.objectives[0] ?? "y"];
  return (
    <div className="search-scroll">
      <svg width={W} height={H} viewBox={`0 0 ${W} ${H}`} role="img" aria-label={`Pareto front: ${front.size} of ${pareto.points.length} trials are not dominated`} data-testid="pareto">
        <line x1={pad} x2={W - pad} y1={H - pad} y2={H - pad} stroke="#334155" />
        <line x1={pad} x2={pad} y1={pad} y2={H - pad} stroke="#334155" />
        <text x={W / 2} y={H - 8} textAnchor="middle" className="search-axis-label">{xName} →</text>
        <text x={pad} y={H - pad + 14} className="search-axis-tick">{formatObjective(xName, x0)}</text>
        <text x={W - pad} y={H - pad + 14} textAnchor="end" className="search-axis-tick">{formatObjective(xName, x1)}</text>
        <text x={pad - 4} y={H - pad} textAnchor="end" className="search-axis-tick">{formatObjective(yName, y0)}</text>
        <text x={pad - 4} y={pad + 4} textAnchor="end" className="search-axis-tick">{formatObjective(yName, y1)}</text>
        <text x={12} y={pad - 12} className="search-axis-label">↑ {yName}</text>
        <polyline points={frontPoints.map((p) => `${sx(p[1] as number)},${sy(p.length > 2 ? (p[2] as number) : (p[1] as number))}`).join(" ")} fill="none" stroke="#16a34a" strokeWidth={1.5} />
        {pareto.points.map((p) => {
          const n = p[0] as number;
          const on = front.has(n);
          return (
            <circle key={n} cx={sx(p[1] as number)} cy={sy(p.length > 2 ? (p[2] as number) : (p[1] as number))} r={on ? 6 : 4} fill={on ? "#16a34a" : "#94a3b8"} tabIndex={on ? 0 : -1} onClick={() => onSelect(n)} onKeyDown={(e) => e.key === "Enter" && onSelect(n)}>
              <title>{`trial ${n}: ${p.slice(1).map((v) => Number(v.toPrecision(4))).join(" · ")}`}</title>
            </circle>
          );
        })}
      </svg>
    </div>
  );
}
