/**
 * The module map (issue #7): functional modules of hidden layers across a run's snapshots.
 *
 * A graph of modules across layers (node size = units, colour = the class that drives it,
 * grey when uninformative; edges = connection strength by weight or by gradient flow, with an
 * animated flow overlay that stops under prefers-reduced-motion), a step slider over the
 * snapshots, a metrics table, alerts with evidence, recommendations and what-if previews, the
 * timeline of born/split/merged/dissolved modules, and a zoom into one module.
 */

import { useMemo, useState, type KeyboardEvent } from "react";
import { ModuleDetail } from "./ModuleDetail";
import type { ModuleLayerState, ModulesEvent, ModuleState } from "./types";
import {
  CLASS_COLOURS,
  describeChange,
  edgeWidth,
  functionLabel,
  layoutModules,
  moduleColour,
  timeline,
  type EdgeMode,
} from "./layout";

export interface ModuleMapProps {
  /** Recorded snapshots, oldest first (GET /api/runs/{id}/modules). */
  snapshots: ModulesEvent[];
  /** A one-off re-run to show instead of the recorded snapshot (not recorded). */
  explored?: ModulesEvent | null;
  onLeaveExplored?: () => void;
  /** The run whose model this server holds: offer what-if previews for any module. */
  runId?: string | null;
}

function Graph({
  snapshot,
  mode,
  selected,
  onSelect,
}: {
  snapshot: ModulesEvent;
  mode: EdgeMode;
  selected: string | null;
  onSelect: (id: string) => void;
}) {
  const p = snapshot.payload;
  const layout = useMemo(
    () => layoutModules(p.layers.map((l) => l.layer), p.modules),
    [p.layers, p.modules],
  );
  const at = new Map(layout.nodes.map((n) => [n.module.id, n]));
  const key = (e: KeyboardEvent, id: string) => {
    if (e.key === "Enter" || e.key === " ") {
      e.preventDefault();
      onSelect(id);
    }
  };
  return (
    <svg
      className="modmap-graph"
      viewBox={`0 0 ${layout.width} ${layout.height}`}
      role="group"
      aria-label="Modules across layers; choose one to zoom in"
      data-testid="modmap-graph"
    >
      {layout.columns.map((c) => (
        <text key={c.layer} x={c.x} y={16} textAnchor="middle" className="modmap-layer-label">
          {c.layer}
        </text>
      ))}
      {p.links.map((link) => {
        const a = at.get(link.source);
        const b = at.get(link.target);
        const w = edgeWidth(link, mode);
        if (!a || !b || w === 0) return null;
        const mid = (a.x + b.x) / 2;
        const d = `M${a.x + a.r},${a.y} C${mid},${a.y} ${mid},${b.y} ${b.x - b.r},${b.y}`;
        const flow = edgeWidth(link, "gradient");
        return (
          <g key={`${link.source}>${link.target}`} data-testid="modmap-edge">
            <path d={d} className="modmap-edge" strokeWidth={w}>
              <title>
                {link.source} → {link.target}: {(100 * link.weight).toFixed(1)}% of |W|
                {link.gradient === null ? "" : `, ${(100 * link.gradient).toFixed(1)}% of gradient flow`}
              </title>
            </path>
            {flow > 0 && <path d={d} className="modmap-flow" strokeWidth={Math.max(1.5, flow / 3)} />}
          </g>
        );
      })}
      {layout.nodes.map(({ module, x, y, r }) => (
        <g
          key={module.id}
          role="button"
          tabIndex={0}
          aria-label={`${module.id}: ${module.units.length} units, ${functionLabel(module)}`}
          aria-pressed={selected === module.id}
          className="modmap-node"
          data-testid="modmap-node"
          onClick={() => onSelect(module.id)}
          onKeyDown={(e) => key(e, module.id)}
        >
          <circle cx={x} cy={y} r={r} fill={moduleColour(module)} className={selected === module.id ? "modmap-node-selected" : undefined} />
          <text x={x} y={y + r + 13} textAnchor="middle" className="modmap-node-label">
            {module.id.split("/").pop()} · {module.units.length}
          </text>
        </g>
      ))}
    </svg>
  );
}

function MetricsTable({ modules, onSelect }: { modules: ModuleState[]; onSelect: (id: string) => void }) {
  return (
    <div className="modmap-table-wrap">
      <table className="modmap-table" data-testid="modmap-metrics">
        <caption>Module metrics (importance: mean ablation at the last evaluation)</caption>
        <thead>
          <tr>
            <th scope="col">Module</th>
            <th scope="col">Units</th>
            <th scope="col">Function</th>
            <th scope="col">Importance</th>
            <th scope="col">vs random sets</th>
            <th scope="col">Taylor now</th>
            <th scope="col">Probe</th>
          </tr>
        </thead>
        <tbody>
          {modules.map((m) => (
            <tr key={m.id}>
              <th scope="row">
                <button type="button" className="modmap-link" onClick={() => onSelect(m.id)}>
                  {m.id}
                </button>
              </th>
              <td>{m.units.length}</td>
              <td>{functionLabel(m)}</td>
              <td>{m.scores ? `${m.scores.importance.toFixed(2)} (step ${m.scores.step})` : "–"}</td>
              <td>{m.scores ? `${m.scores.percentile.toFixed(0)}%` : "–"}</td>
              <td>{m.taylor_share === null ? "–" : m.taylor_share.toFixed(2)}</td>
              <td>{m.scores ? m.scores.probe.map((v) => v.toFixed(2)).join(", ") : "–"}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Layers({ layers }: { layers: ModuleLayerState[] }) {
  return (
    <ul className="modmap-verdicts">
      {layers.map((l) => (
        <li key={l.layer}>
          <strong>{l.layer}</strong> ({l.units} units, {l.method}): {l.verdict}
          {l.dead_units.length > 0 && `; ${l.dead_units.length} dead units`}
          {l.caveat && <span className="muted"> Caveat: {l.caveat}</span>}
        </li>
      ))}
    </ul>
  );
}

function Alerts({ snapshot }: { snapshot: ModulesEvent }) {
  const { findings } = snapshot.payload;
  if (findings.length === 0) return <p className="muted">No alerts on these modules.</p>;
  return (
    <ul className="modmap-alerts" data-testid="modmap-alerts">
      {findings.map((f, i) => (
        <li key={i} className={`modmap-alert modmap-alert-${f.severity}`}>
          <strong>{f.code.replaceAll("_", " ")}</strong>: {f.message}
          <div>
            <em>Recommendation:</em> {f.recommendation}
          </div>
          <div className="muted modmap-mono">
            {Object.entries(f.evidence)
              .map(([k, v]) => `${k} = ${Array.isArray(v) ? `[${v.length} values]` : String(v)}`)
              .join(" · ")}
          </div>
        </li>
      ))}
    </ul>
  );
}

function Timeline({ snapshots, onStep }: { snapshots: ModulesEvent[]; onStep: (i: number) => void }) {
  const entries = timeline(snapshots);
  if (entries.length === 0) return <p className="muted">No modules born, split, merged or dissolved yet.</p>;
  return (
    <ol className="modmap-timeline" data-testid="modmap-timeline">
      {entries.map((e, i) => (
        <li key={i} className={`modmap-change modmap-change-${e.change.type}`}>
          <button type="button" className="modmap-link" onClick={() => onStep(snapshots.findIndex((s) => s.step === e.step))}>
            step {e.step}
          </button>{" "}
          {describeChange(e.change)} <span className="muted">(Jaccard {e.change.jaccard.toFixed(2)})</span>
        </li>
      ))}
    </ol>
  );
}

export function ModuleMap({ snapshots, explored = null, onLeaveExplored, runId = null }: ModuleMapProps) {
  const [chosen, setChosen] = useState<number | null>(null);
  const [mode, setMode] = useState<EdgeMode>("gradient");
  const [selected, setSelected] = useState<string | null>(null);
  const index = chosen === null ? snapshots.length - 1 : Math.min(chosen, snapshots.length - 1);
  const snapshot = explored ?? snapshots[index];
  if (!snapshot) return <p data-testid="modmap-empty">No module snapshots yet.</p>;
  const p = snapshot.payload;
  const module = p.modules.find((m) => m.id === selected) ?? null;
  const classes = Math.max(0, ...p.modules.map((m) => m.class_drive.length));
  return (
    <div className="modmap" data-testid="modmap">
      {explored ? (
        <p className="modmap-explored" role="status">
          Showing a re-run ({p.layers[0]?.method ?? "?"}) of step {explored.step}, not recorded.{" "}
          <button type="button" className="button button-quiet" onClick={onLeaveExplored}>
            Back to the recorded snapshots
          </button>
        </p>
      ) : (
        snapshots.length > 1 && (
          <label className="modmap-slider">
            Step <strong data-testid="modmap-step">{snapshot.step}</strong>
            <input
              type="range"
              min={0}
              max={snapshots.length - 1}
              value={index}
              aria-label="Module snapshot step"
              onChange={(e) => setChosen(Number(e.target.value))}
            />
          </label>
        )
      )}
      <p className="muted">
        Step {snapshot.step} · {p.probe} · {p.evaluated ? "ablation evaluated here" : "identification + Taylor proxy"} ·{" "}
        {p.seconds.toFixed(2)} s
      </p>
      <Layers layers={p.layers} />
      <div className="modmap-toolbar">
        <fieldset className="modmap-edges">
          <legend>Edges</legend>
          <label>
            <input type="radio" name="modmap-edge" checked={mode === "gradient"} onChange={() => setMode("gradient")} /> gradient flow
          </label>
          <label>
            <input type="radio" name="modmap-edge" checked={mode === "weight"} onChange={() => setMode("weight")} /> |W|
          </label>
        </fieldset>
        {classes > 0 && (
          <ul className="modmap-legend" aria-label="Colour: the class that drives a module">
            {Array.from({ length: Math.min(classes, 10) }, (_, k) => (
              <li key={k}>
                <span className="modmap-swatch" style={{ background: CLASS_COLOURS[k] }} aria-hidden="true" />
                class {k}
              </li>
            ))}
            <li>
              <span className="modmap-swatch modmap-swatch-neutral" aria-hidden="true" />
              uninformative
            </li>
          </ul>
        )}
      </div>
      <Graph snapshot={snapshot} mode={mode} selected={selected} onSelect={setSelected} />
      {module && <ModuleDetail module={module} previews={p.previews} onClose={() => setSelected(null)} runId={runId} />}
      <h3>Metrics</h3>
      <MetricsTable modules={p.modules} onSelect={setSelected} />
      <h3>Alerts</h3>
      <Alerts snapshot={snapshot} />
      <h3>Module evolution</h3>
      <Timeline snapshots={snapshots} onStep={(i) => setChosen(Math.max(0, i))} />
    </div>
  );
}
