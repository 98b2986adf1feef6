/**
 * The architecture graph coloured by health: each node is a layer (name, type, output shape) or a
 * tensor op, filled by the worst Finding on that layer; skip connections are curves. Nodes are
 * focusable buttons: click, Enter or Space selects the layer, lists its Findings below and marks
 * its row in the layer table. Big graphs scroll inside the panel; zoom changes the drawing scale.
 */

import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from "react";
import type { ModelReport } from "../api/types";
import { SavePng } from "../components/ChartExport";
import { Panel } from "../components/Panel";
import { fitLabel, layoutGraph, worstSeverity } from "./graphLayout";

const ZOOMS = [0.5, 0.75, 1, 1.25];
/** How each graph source is named to the reader (``Architecture.method``). */
const METHOD_NAMES: Record<string, string> = {
  fx: "torch.fx",
  torchscript: "TorchScript",
  "torch.export": "torch.export",
};

interface Props {
  report: ModelReport;
  selected: string | null;
  onSelect: (layer: string | null) => void;
  onShowInTable?: (layer: string) => void;
}

export function ArchitectureGraph({ report, selected, onSelect, onShowInTable }: Props) {
  const arch = report.architecture;
  const layout = useMemo(() => layoutGraph(arch.nodes, arch.edges), [arch]);
  const [zoom, setZoom] = useState(1);
  const byId = useMemo(() => new Map(arch.nodes.map((n) => [n.id, n])), [arch]);
  const shapes = useMemo(() => new Map(report.cost.layers.map((c) => [c.name, c.output_shape])), [report]);
  const container = arch.method === "module_tree";
  const selectedFindings = selected ? report.findings.filter((f) => f.layer === selected || (container && f.layer?.startsWith(`${selected}.`))) : [];
  const skips = layout.edges.filter((e) => e.skip).length;
  const scroller = useRef<HTMLDivElement>(null);
  // A wide graph starts scrolled to its first node (on a phone the inputs may sit off to the right).
  useEffect(() => {
    const el = scroller.current;
    const first = layout.nodes[0];
    if (!el || !first) return;
    el.scrollLeft = Math.max(0, (first.x + first.w / 2) * zoom - el.clientWidth / 2);
  }, [layout, zoom]);

  if (arch.nodes.length === 0) {
    return (
      <Panel title="Architecture graph" className="panel-wide an-graph">
        <p className="empty">This file holds no layers to draw.</p>
      </Panel>
    );
  }

  const key = (layer: string | null | undefined) => (e: KeyboardEvent) => {
    if ((e.key === "Enter" || e.key === " ") && layer) {
      e.preventDefault();
      onSelect(layer === selected ? null : layer);
    }
  };

  return (
    <Panel
      title="Architecture graph"
      className="panel-wide an-graph"
      actions={
        <span className="an-graph-tools">
          <span className="an-zoom" role="group" aria-label="Zoom">
            <button type="button" className="button button-quiet" aria-label="Zoom out" disabled={zoom === ZOOMS[0]} onClick={() => setZoom(ZOOMS[Math.max(0, ZOOMS.indexOf(zoom) - 1)] ?? 1)}>
              −
            </button>
            <span className="an-zoom-value" aria-live="polite">{Math.round(zoom * 100)}%</span>
            <button type="button" className="button button-quiet" aria-label="Zoom in" disabled={zoom === ZOOMS[ZOOMS.length - 1]} onClick={() => setZoom(ZOOMS[Math.min(ZOOMS.length - 1, ZOOMS.indexOf(zoom) + 1)] ?? 1)}>
              +
            </button>
          </span>
          <SavePng name={`${report.source}-graph`} selector="svg.an-graph-svg" testId="an-graph-png" />
        </span>
      }
    >
      <p className="hint">
        {arch.method === "weights"
          ? "Layers in file order (weights only: the file has no graph, so connections are not known)."
          : `Read from the ${METHOD_NAMES[arch.method] ?? "module"} graph`}
        {arch.method !== "weights" && `; ${layout.nodes.length} nodes${skips ? `, ${skips} skip connection${skips === 1 ? "" : "s"} (curves)` : ""}.`}{" "}
        Colour: worst finding on the layer. Select a layer to see its findings.
      </p>
      <ul className="an-legend" aria-label="Colour legend">
        <li><span className="an-swatch an-node-ok" />no finding</li>
        <li><span className="an-swatch an-node-info" />info</li>
        <li><span className="an-swatch an-node-warning" />warning</li>
        <li><span className="an-swatch an-node-critical" />critical</li>
      </ul>
      <div className="an-graph-scroll" data-testid="an-graph" ref={scroller}>
        <svg
          className="an-graph-svg"
          width={layout.width * zoom}
          height={layout.height * zoom}
          viewBox={`0 0 ${layout.width} ${layout.height}`}
          role="group"
          aria-label={`Architecture graph: ${layout.nodes.length} nodes`}
        >
          <g className="an-edges" aria-hidden="true">
            {layout.edges.map((e, i) => (
              <path key={i} d={e.path} className={e.skip ? "an-edge an-edge-skip" : "an-edge"} data-skip={e.skip || undefined} />
            ))}
          </g>
          {layout.nodes.map((p) => {
            const n = byId.get(p.id);
            if (!n) return null;
            const layer = n.layer ?? null;
            const sev = worstSeverity(layer, report.findings, container);
            const shape = layer ? shapes.get(layer) : null;
            const title = layer ?? n.id;
            const sub = `${n.kind}${shape ? ` · ${shape.join("×")}` : ""}`;
            const isSel = layer !== null && layer === selected;
            const common = { transform: `translate(${p.x} ${p.y})`, className: `an-node an-node-${sev}${isSel ? " an-node-selected" : ""}${layer ? "" : " an-node-op"}` };
            if (!layer) {
              return (
                <g key={p.id} {...common} data-node={p.id}>
                  <title>{`${n.id} (${n.kind})`}</title>
                  <rect width={p.w} height={p.h} rx={p.h / 2} />
                  <text x={p.w / 2} y={p.h / 2 + 4} textAnchor="middle" className="an-node-sub">{fitLabel(n.kind, 26)}</text>
                </g>
              );
            }
            return (
              <g
                key={p.id}
                {...common}
                data-node={p.id}
                data-layer={layer}
                tabIndex={0}
                role="button"
                aria-pressed={isSel}
                aria-label={`${title}, ${sub}, ${sev === "ok" ? "no finding" : `worst finding ${sev}`}`}
                onClick={() => onSelect(isSel ? null : layer)}
                onKeyDown={key(layer)}
              >
                <title>{`${title}\n${sub}`}</title>
                <rect width={p.w} height={p.h} rx={6} />
                <text x={8} y={16} className="an-node-name">{fitLabel(title, 24)}</text>
                <text x={8} y={31} className="an-node-sub">{fitLabel(sub, 28)}</text>
              </g>
            );
          })}
        </svg>
      </div>
      <div className="an-graph-detail" aria-live="polite" data-testid="an-graph-detail">
        {selected === null ? (
          <p className="hint">No layer selected.</p>
        ) : (
          <>
            <p>
              <strong><code>{selected}</code></strong>: {selectedFindings.length === 0 ? "no finding on this layer." : `${selectedFindings.length} finding${selectedFindings.length === 1 ? "" : "s"}:`}{" "}
              {onShowInTable && (
                <button type="button" className="button button-quiet" onClick={() => onShowInTable(selected)}>
                  Show in layer table
                </button>
              )}
            </p>
            {selectedFindings.length > 0 && (
              <ul className="an-graph-findings">
                {selectedFindings.map((f, i) => (
                  <li key={i} className={`an-finding an-sev-${f.severity}`}>
                    <span className="an-badge">{f.severity}</span> <code>{f.code}</code>: {f.message} <span className="an-recommend">{f.recommendation}</span>
                  </li>
                ))}
              </ul>
            )}
          </>
        )}
      </div>
    </Panel>
  );
}
