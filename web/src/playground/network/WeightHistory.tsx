/** Each layer's weight distribution over time: one column per snapshot, darker = more weights. */

import { useEffect, useRef } from "react";
import { context2d } from "../../components/canvas";
import { histogram } from "./weights";

export interface WeightSnapshot {
  step: number;
  /** Flattened weights per layer name. */
  layers: Record<string, number[]>;
}

const BINS = 24;
const CELL_W = 8;
const CELL_H = 4;

function LayerHistory({ name, history }: { name: string; history: readonly WeightSnapshot[] }) {
  const ref = useRef<HTMLCanvasElement>(null);
  const all = history.flatMap((s) => s.layers[name] ?? []);
  const m = Math.max(1e-6, ...all.map(Math.abs));
  useEffect(() => {
    const ctx = context2d(ref.current);
    if (!ctx) return;
    ctx.fillStyle = "#ffffff";
    ctx.fillRect(0, 0, history.length * CELL_W, BINS * CELL_H);
    history.forEach((snap, t) => {
      const counts = histogram(snap.layers[name] ?? [], -m, m, BINS);
      const peak = Math.max(1, ...counts);
      counts.forEach((c, b) => {
        ctx.fillStyle = `rgba(29, 78, 216, ${(c / peak).toFixed(3)})`;
        ctx.fillRect(t * CELL_W, (BINS - 1 - b) * CELL_H, CELL_W, CELL_H);
      });
    });
  }, [history, name, m]);
  const last = history[history.length - 1];
  return (
    <figure className="pg-weight-history">
      <canvas ref={ref} width={Math.max(1, history.length) * CELL_W} height={BINS * CELL_H} role="img" aria-label={`${name} weights from −${m.toPrecision(2)} (bottom) to ${m.toPrecision(2)} (top) over ${history.length} snapshots`} />
      <figcaption className="hint">
        {name}: ±{m.toPrecision(2)}, steps {history[0]?.step}–{last?.step}
      </figcaption>
    </figure>
  );
}

export function WeightHistory({ history }: { history: readonly WeightSnapshot[] }) {
  if (history.length === 0) return null;
  const names = Object.keys(history[history.length - 1]?.layers ?? {});
  return (
    <div className="pg-weight-histories" data-testid="pg-weight-history">
      {names.map((name) => (
        <LayerHistory key={name} name={name} history={history} />
      ))}
    </div>
  );
}
