/** Zoom into one module: its scores, what drives it, and its units, weights and activations. */

import { useState } from "react";
import { decodeCompactArray } from "../api/compact";
import type { ModulePreview, ModuleState } from "./types";
import { WhatIfPanel } from "./WhatIfPanel";
import { CLASS_COLOURS, divergingColour, functionLabel, greyColour, imageShape, moduleColour } from "./layout";

const UNITS_SHOWN = 32;

function fmt(v: number | null | undefined, digits = 2): string {
  return v === null || v === undefined || !Number.isFinite(v) ? "–" : v.toFixed(digits);
}

function list(values: number[]): string {
  return values.map((v) => v.toFixed(2)).join(", ");
}

/** Mean standardised activation per class: which classes drive the module. */
function ClassDrive({ module }: { module: ModuleState }) {
  const values = module.class_drive;
  if (values.length === 0) return <p className="muted">No classes (regression targets).</p>;
  const most = Math.max(0.1, ...values.map(Math.abs));
  return (
    <ul className="modmap-drive" aria-label="Mean activation per class">
      {values.map((v, k) => (
        <li key={k}>
          <span className="modmap-drive-label">class {k}</span>
          <span className="modmap-drive-track">
            <span
              className="modmap-drive-bar"
              style={{
                width: `${(50 * Math.abs(v)) / most}%`,
                left: v >= 0 ? "50%" : `${50 - (50 * Math.abs(v)) / most}%`,
                background: CLASS_COLOURS[k % CLASS_COLOURS.length],
              }}
            />
          </span>
          <span className="modmap-drive-value">{v.toFixed(2)}</span>
        </li>
      ))}
    </ul>
  );
}

/** Units x classes heatmap of per-unit drive (SVG cells, diverging colours). */
function UnitHeatmap({ module }: { module: ModuleState }) {
  if (!module.unit_drive) return null;
  const { shape, data } = decodeCompactArray(module.unit_drive);
  const [rows = 0, cols = 0] = shape;
  const shown = Math.min(rows, UNITS_SHOWN);
  const cell = 14;
  return (
    <figure className="modmap-figure">
      <figcaption>Per-unit drive by class (rows: units, columns: classes; red = above its mean)</figcaption>
      <svg
        width={cols * cell + 40}
        height={shown * cell + 16}
        role="img"
        aria-label={`Heatmap of ${shown} units by ${cols} classes`}
        data-testid="modmap-heatmap"
      >
        {Array.from({ length: cols }, (_, c) => (
          <text key={`c${c}`} x={40 + c * cell + cell / 2} y={10} fontSize={9} textAnchor="middle">
            {c}
          </text>
        ))}
        {Array.from({ length: shown }, (_, r) => (
          <g key={r}>
            <text x={36} y={16 + r * cell + 10} fontSize={9} textAnchor="end">
              {module.units[r]}
            </text>
            {Array.from({ length: cols }, (_, c) => (
              <rect
                key={c}
                x={40 + c * cell}
                y={14 + r * cell}
                width={cell - 1}
                height={cell - 1}
                fill={divergingColour(data[r * cols + c] ?? 0)}
              />
            ))}
          </g>
        ))}
      </svg>
      {rows > shown && <p className="muted">First {shown} of {rows} units.</p>}
    </figure>
  );
}

/** The mean input of the samples that drive the module hardest. */
function InputPattern({ module }: { module: ModuleState }) {
  if (!module.input_pattern) return null;
  const { shape, data } = decodeCompactArray(module.input_pattern);
  const values = Array.from(data);
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  const image = imageShape(shape);
  if (image) {
    const [h, w] = image;
    const px = Math.max(2, Math.floor(140 / Math.max(h, w)));
    return (
      <figure className="modmap-figure">
        <figcaption>Mean input of its top-driving samples</figcaption>
        <svg width={w * px} height={h * px} role="img" aria-label={`Input pattern ${h} by ${w}`}>
          {values.map((v, i) => (
            <rect key={i} x={(i % w) * px} y={Math.floor(i / w) * px} width={px} height={px} fill={greyColour(v, lo, hi)} />
          ))}
        </svg>
      </figure>
    );
  }
  return (
    <figure className="modmap-figure">
      <figcaption>Mean input of its top-driving samples (per input feature)</figcaption>
      <p className="modmap-mono">{values.slice(0, 16).map((v) => v.toFixed(2)).join("  ")}</p>
    </figure>
  );
}

function Units({ module }: { module: ModuleState }) {
  const [all, setAll] = useState(false);
  const count = all ? module.units.length : Math.min(module.units.length, UNITS_SHOWN);
  const maxW = Math.max(1e-9, ...module.weight_in);
  return (
    <div className="modmap-table-wrap">
      <table className="modmap-table" aria-label="Units of the module">
        <thead>
          <tr>
            <th scope="col">Unit</th>
            <th scope="col">Mean act.</th>
            <th scope="col">Std</th>
            <th scope="col">‖w in‖</th>
          </tr>
        </thead>
        <tbody>
          {module.units.slice(0, count).map((u, i) => (
            <tr key={u}>
              <td>{u}</td>
              <td>{fmt(module.unit_mean[i], 3)}</td>
              <td>{fmt(module.unit_std[i], 3)}</td>
              <td>
                <span className="modmap-wbar" style={{ width: `${(60 * (module.weight_in[i] ?? 0)) / maxW}px` }} />{" "}
                {fmt(module.weight_in[i], 2)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {module.units.length > UNITS_SHOWN && (
        <button type="button" className="button button-quiet" onClick={() => setAll((a) => !a)}>
          {all ? "Show fewer units" : `Show all ${module.units.length} units`}
        </button>
      )}
    </div>
  );
}

export function ModuleDetail({
  module,
  previews,
  onClose,
  runId = null,
}: {
  module: ModuleState;
  previews: ModulePreview[];
  onClose: () => void;
  /** The run whose model this server holds (what-if previews on demand); null: none. */
  runId?: string | null;
}) {
  const s = module.scores;
  const mine = previews.filter((p) => p.module === module.id);
  return (
    <section className="modmap-detail" aria-label={`Module ${module.id}`} data-testid="modmap-detail">
      <header className="modmap-detail-header">
        <h3>
          <span className="modmap-swatch" style={{ background: moduleColour(module) }} aria-hidden="true" />
          {module.id} <span className="muted">({module.units.length} units of {module.layer})</span>
        </h3>
        <button type="button" className="button button-quiet" onClick={onClose}>
          Back to the map
        </button>
      </header>
      <p>{functionLabel(module)}</p>
      <dl className="modmap-facts">
        <dt>Importance (ablation)</dt>
        <dd>{s ? `${fmt(s.importance)} of the layer, beats ${fmt(s.percentile, 0)}% of random sets (step ${s.step})` : "not evaluated yet"}</dd>
        <dt>Taylor proxy now</dt>
        <dd>{module.taylor_share === null ? "–" : `${fmt(module.taylor_share)} of the layer (a proxy; vanishes at convergence)`}</dd>
        {s && (
          <>
            <dt>Keep-only accuracy</dt>
            <dd>{list(s.keep_only)}</dd>
            <dt>Ablated accuracy</dt>
            <dd>{list(s.ablate_only)}</dd>
            <dt>Linear probe vs chance</dt>
            <dd>
              {list(s.probe)} vs {list(s.chance)}
            </dd>
            <dt>Class selectivity</dt>
            <dd>{fmt(s.selectivity)}</dd>
          </>
        )}
      </dl>
      {mine.length > 0 && (
        <ul className="modmap-previews" aria-label="What-if previews">
          {mine.map((p) => (
            <li key={p.intervention}>
              What if we {p.intervention} it: loss {fmt(p.loss_before, 3)} → {fmt(p.loss_after, 3)}, accuracy{" "}
              {list(p.accuracy_before)} → {list(p.accuracy_after)}
            </li>
          ))}
        </ul>
      )}
      {runId ? (
        <WhatIfPanel key={module.id} runId={runId} moduleId={module.id} />
      ) : (
        <p className="muted" data-testid="modmap-whatif-off">
          What-if previews on demand need the run's model in this server (a Playground run started since the server
          started).
        </p>
      )}
      <div className="modmap-detail-grid">
        <div>
          <h4>Which inputs drive it</h4>
          <ClassDrive module={module} />
          <InputPattern module={module} />
        </div>
        <UnitHeatmap module={module} />
        <div>
          <h4>Units, weights and activations</h4>
          <Units module={module} />
        </div>
      </div>
    </section>
  );
}
