/** Cost and latency per layer (bars), efficiency tiers, architecture and optimization opportunities. */

import type { ModelReport } from "../api/types";
import { SavePng } from "../components/ChartExport";
import { Panel } from "../components/Panel";
import { Bars } from "./Bars";
import { formatBytes, formatCount, formatMs } from "./model";

export function CostPanel({ report }: { report: ModelReport }) {
  const cost = report.cost;
  const eff = report.efficiency;
  const tierOf = new Map((eff?.layers ?? []).map((l) => [l.name, l.tier]));
  const tone = (name: string) => (tierOf.get(name) === "memory-bound" ? "an-tone-muted" : tierOf.get(name) === "compute-bound" ? "an-tone-ok" : "");
  const timed = cost.layers.map((c) => ({ label: c.name, value: c.time_ms ?? null, text: formatMs(c.time_ms), tone: tone(c.name) }));
  const flops = cost.layers.map((c) => ({ label: c.name, value: c.flops ?? null, text: formatCount(c.flops), tone: tone(c.name) }));
  return (
    <Panel title="Cost and latency" className="panel-wide an-cost">
      <dl className="an-stats an-cost-stats">
        <div><dt>parameters</dt><dd>{formatCount(cost.total_params)} ({formatCount(cost.trainable_params)} trainable)</dd></div>
        <div><dt>weights</dt><dd>{formatBytes(cost.weight_bytes)}</dd></div>
        <div><dt>FLOPs</dt><dd>{formatCount(cost.flops)}{cost.estimated ? " (estimate)" : ""}</dd></div>
        <div><dt>MACs</dt><dd>{formatCount(cost.macs)}</dd></div>
        <div><dt>activations</dt><dd>{formatBytes(cost.activation_bytes)}</dd></div>
        {cost.latency.map((l) => (
          <div key={l.batch_size}>
            <dt>latency, batch {l.batch_size}</dt>
            <dd>p50 {formatMs(l.p50_ms)} · p95 {formatMs(l.p95_ms)}</dd>
          </div>
        ))}
      </dl>
      <p className={cost.estimated ? "an-estimate" : "hint"} data-testid="an-flops-note">{cost.flops_note}</p>
      {cost.tied.length > 0 && <p className="hint">Tied weights counted once: {cost.tied.map((t) => t.join(" = ")).join("; ")}</p>}
      <div className="an-two">
        <div data-export-root>
          <div className="an-chart-head">
            <h3 className="subheading">Time per layer</h3>
            <SavePng name={`${report.source}-latency`} selector=".an-bars" testId="an-latency-png" />
          </div>
          <Bars bars={timed} label="time per layer" empty="No per-layer timing (give an example input shape for an executable model)." />
        </div>
        <div data-export-root>
          <div className="an-chart-head">
            <h3 className="subheading">FLOPs per layer</h3>
            <SavePng name={`${report.source}-flops`} selector=".an-bars" testId="an-flops-png" />
          </div>
          <Bars bars={flops} label="FLOPs per layer" empty="No per-layer FLOPs." />
        </div>
      </div>
      {eff && (
        <>
          <h3 className="subheading">Efficiency tier: {eff.model_tier ?? "—"}</h3>
          <p className="hint">
            {eff.advice} Roofline tiers by FLOPs per weight byte ({Object.entries(eff.thresholds).map(([k, v]) => `${k}: ${v}`).join("; ")}); source: {eff.source}.
          </p>
          <p className="hint">
            Share of FLOPs: {Object.entries(eff.flop_share).map(([k, v]) => `${k} ${(100 * v).toFixed(0)}%`).join(", ")}.
          </p>
        </>
      )}
    </Panel>
  );
}

export function ArchitecturePanel({ report }: { report: ModelReport }) {
  const arch = report.architecture;
  const patterns = Object.entries(arch.patterns).filter(([, n]) => n > 0);
  return (
    <Panel title="Architecture" className="an-arch">
      <p>
        <strong data-testid="an-arch-primary">{arch.primary}</strong>
        {arch.types.length > 1 ? ` (${arch.types.join(" + ")})` : ""}
      </p>
      {patterns.length > 0 ? (
        <ul className="an-chips" aria-label="Patterns">
          {patterns.map(([name, n]) => (
            <li key={name}>
              {name} × {n}
            </li>
          ))}
        </ul>
      ) : (
        <p className="empty">No residual, bottleneck or attention pattern.</p>
      )}
      <p className="hint">
        {arch.method}; {arch.nodes.length} graph nodes, {arch.edges.length} edges; {report.layers.length} layers.
      </p>
    </Panel>
  );
}

const PRIORITY: Record<string, number> = { high: 0, medium: 1, low: 2 };

export function OptimizationPanel({ report }: { report: ModelReport }) {
  const ops = [...report.optimization.opportunities].sort((a, b) => (PRIORITY[a.priority] ?? 3) - (PRIORITY[b.priority] ?? 3));
  return (
    <Panel title="Optimization opportunities" className="an-opt">
      {ops.length === 0 ? (
        <p className="empty">No opportunity worth its cost.</p>
      ) : (
        <ul className="an-opps">
          {ops.map((o, i) => (
            <li key={i} className={`an-opp an-prio-${o.priority}`}>
              <p>
                <span className="an-badge">{o.priority}</span> <strong>{o.kind.replace(/_/g, " ")}</strong> on {o.layers.length} tensor{o.layers.length === 1 ? "" : "s"}
              </p>
              <p>
                saves {formatBytes(o.memory_saving_bytes)}
                {o.param_reduction > 0 ? `, ${formatCount(o.param_reduction)} parameters` : ""}
                {o.flop_reduction_fraction !== null && o.flop_reduction_fraction !== undefined ? `, ${(100 * o.flop_reduction_fraction).toFixed(1)}% of FLOPs` : ""}
                {o.measured_output_change !== null && o.measured_output_change !== undefined ? `; measured output change ${o.measured_output_change.toPrecision(2)}` : " (estimate)"}
              </p>
              <p className="hint">{o.note}</p>
            </li>
          ))}
        </ul>
      )}
    </Panel>
  );
}
