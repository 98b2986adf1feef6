/** Weight distributions (histogram per tensor, sparsity, anomalies) and α per layer. */

import { useState } from "react";
import type { ModelReport, WeightStats } from "../api/types";
import { SavePng } from "../components/ChartExport";
import { Panel } from "../components/Panel";
import { Bars } from "./Bars";
import { EsdChart } from "./EsdChart";
import { formatCount, formatNumber } from "./model";

function Histogram({ stats }: { stats: WeightStats }) {
  const counts = stats.histogram.counts;
  const top = Math.max(1, ...counts);
  const w = 100 / Math.max(1, counts.length);
  const lo = stats.histogram.edges[0] ?? stats.min;
  const hi = stats.histogram.edges[stats.histogram.edges.length - 1] ?? stats.max;
  return (
    <figure className="an-hist">
      <svg viewBox="0 0 100 40" preserveAspectRatio="none" role="img" aria-label={`Histogram of ${stats.name} from ${lo.toPrecision(3)} to ${hi.toPrecision(3)}`}>
        {counts.map((c, i) => (
          <rect key={i} x={i * w} width={Math.max(w - 0.3, 0.1)} y={40 - (38 * c) / top} height={(38 * c) / top} className="an-hist-bar" />
        ))}
      </svg>
      <figcaption>
        <span>{lo.toPrecision(3)}</span>
        <span>
          {stats.histogram.sampled < stats.numel ? `${formatCount(stats.histogram.sampled)} of ${formatCount(stats.numel)} values (strided sample)` : `${formatCount(stats.numel)} values`}
        </span>
        <span>{hi.toPrecision(3)}</span>
      </figcaption>
    </figure>
  );
}

export function WeightsPanel({ report }: { report: ModelReport }) {
  const tensors = report.weights.filter((w) => w.numel > 1);
  const [selected, setSelected] = useState(tensors[0]?.name ?? "");
  const stats = tensors.find((w) => w.name === selected) ?? tensors[0];
  const spectrum = report.spectral.find((s) => s.name === stats?.name);
  const alphas = report.spectral.map((s) => ({
    label: s.name.replace(/\.weight$/, ""),
    value: s.alpha ?? null,
    text: s.alpha === null || s.alpha === undefined ? "no fit" : `${s.alpha.toFixed(2)}${s.n_spikes === 0 ? " (random-like)" : ""}`,
    tone: s.alpha === null || s.alpha === undefined ? "" : s.alpha < 2 ? "an-tone-warn" : s.alpha > 6 ? "an-tone-muted" : "an-tone-ok",
  }));
  return (
    <Panel title="Weights" className="panel-wide an-weights">
      {stats ? (
        <div className="an-weights-grid">
          <div>
            <label className="field">
              <span>Tensor</span>
              <select value={stats.name} onChange={(e) => setSelected(e.target.value)}>
                {tensors.map((w) => (
                  <option key={w.name} value={w.name}>
                    {w.name} [{w.shape.join("×")}]
                  </option>
                ))}
              </select>
            </label>
            <div data-export-root className="an-export-block">
              <SavePng name={`${report.source}-${stats.name}-histogram`} selector=".an-hist svg" testId="an-hist-png" />
              <Histogram stats={stats} />
            </div>
            {spectrum && (
              <div data-export-root className="an-export-block">
                <SavePng name={`${report.source}-${stats.name}-esd`} selector=".an-esd svg" testId="an-esd-png" />
                <EsdChart spectrum={spectrum} />
              </div>
            )}
            <dl className="an-stats">
              <div><dt>mean</dt><dd>{stats.mean.toPrecision(3)}</dd></div>
              <div><dt>std</dt><dd>{stats.std.toPrecision(3)}</dd></div>
              <div><dt>exact zeros</dt><dd>{(100 * stats.exact_zero_frac).toFixed(1)}%</dd></div>
              <div><dt>near zero</dt><dd>{(100 * stats.near_zero_frac).toFixed(1)}%</dd></div>
              <div><dt>Hoyer sparsity</dt><dd>{formatNumber(stats.hoyer)}</dd></div>
              <div><dt>robust outliers</dt><dd>{stats.outlier_count}</dd></div>
              <div><dt>NaN / Inf</dt><dd>{stats.nan_count} / {stats.inf_count}</dd></div>
              <div><dt>duplicate row pairs</dt><dd>{stats.duplicate_rows.length}</dd></div>
            </dl>
          </div>
          <div>
            <h3 className="subheading">Power-law α per layer (HTSR hint)</h3>
            <p className="hint">α in [2, 4] is typical of well-trained layers; below 2 heavy-tailed; above 6 under-trained; meaningless for random-like layers (Martin &amp; Mahoney 2021).</p>
            <Bars bars={alphas} label="alpha per layer" empty="No layer has enough eigenvalues for a fit (needs 50)." max={Math.max(8, ...alphas.map((a) => a.value ?? 0))} />
          </div>
        </div>
      ) : (
        <p className="empty">This model has no weight tensors.</p>
      )}
    </Panel>
  );
}
