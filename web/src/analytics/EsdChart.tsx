/** Log-log ESD of one layer with its power-law fit (a hint, not a verdict: HTSR, Martin & Mahoney 2021). */

import type { SpectralStats } from "../api/types";
import { esdPlot } from "./model";

const W = 300;
const H = 160;
const PAD = 28;

export function EsdChart({ spectrum }: { spectrum: SpectralStats }) {
  const plot = esdPlot(spectrum.evals, spectrum.n_evals, spectrum.xmin ?? null, spectrum.alpha ?? null);
  if (plot.points.length < 2) return <p className="empty">Too few eigenvalues to draw.</p>;
  const xs = plot.points.map((p) => p[0]);
  const ys = plot.points.map((p) => p[1]);
  const [x0, x1] = [Math.min(...xs), Math.max(...xs)];
  const [y0, y1] = [Math.min(...ys), 0];
  const sx = (x: number) => PAD + ((x - x0) / (x1 - x0 || 1)) * (W - PAD - 6);
  const sy = (y: number) => 6 + ((y1 - y) / (y1 - y0 || 1)) * (H - PAD - 6);
  const clampY = (y: number) => Math.max(6, Math.min(H - PAD, sy(y)));
  const fit = plot.fit;
  return (
    <figure className="an-esd">
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={`Eigenvalue spectrum of ${spectrum.name}, log-log, ${spectrum.alpha ? `power-law fit alpha ${spectrum.alpha.toFixed(2)}` : "no fit"}`}>
        <line x1={PAD} y1={H - PAD} x2={W - 6} y2={H - PAD} className="an-axis" />
        <line x1={PAD} y1={6} x2={PAD} y2={H - PAD} className="an-axis" />
        {plot.points.map(([x, y], i) => (
          <circle key={i} cx={sx(x)} cy={sy(y)} r={1.6} className="an-esd-point" />
        ))}
        {fit && <line x1={sx(fit[0][0])} y1={clampY(fit[0][1])} x2={sx(fit[1][0])} y2={clampY(fit[1][1])} className="an-esd-fit" />}
        <text x={PAD} y={H - 8} className="an-axis-label">log₁₀ λ</text>
        <text x={W - 6} y={14} textAnchor="end" className="an-axis-label">log₁₀ P(X≥λ)</text>
      </svg>
      <figcaption className="hint">
        {spectrum.evals.length < spectrum.n_evals ? `largest ${spectrum.evals.length} of ${spectrum.n_evals} eigenvalues; ` : ""}
        {spectrum.alpha ? `fit α = ${spectrum.alpha.toFixed(2)} above λ = ${spectrum.xmin?.toPrecision(3)} (KS ${spectrum.ks_distance?.toFixed(3)}); ` : ""}
        {spectrum.n_spikes} eigenvalue{spectrum.n_spikes === 1 ? "" : "s"} above the Marchenko–Pastur edge.
      </figcaption>
    </figure>
  );
}
