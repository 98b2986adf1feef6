/**
 * The "Data" panel of a table run: a three-feature table as a 3-D scatter that turns by
 * pointer drag, touch or arrow keys (orthographic, see projection.ts), a wider one as the 2-D
 * scatter of its first two principal components (computed by the server), labelled as a
 * projection. Loading, empty and error states as the other panels.
 */

import { useEffect, useRef, useState, type KeyboardEvent, type PointerEvent } from "react";
import type { DatasetPoints } from "../../api/types";
import { context2d } from "../../components/canvas";
import { ErrorBanner } from "../../components/ErrorBanner";
import { classColor } from "../../components/fieldImage";
import { labelColor, paint2d, paint3d, SIZE, targetRange } from "./paint";
import { DEFAULT_VIEW, DRAG_RATE, keyTurn, turn, type View } from "./projection";

interface Props {
  points: DatasetPoints | null;
  error: string | null;
  /** Retry after an error. */
  onRetry?: () => void;
}

const fmt = (v: number) => String(Number(v.toPrecision(3)));
const percent = (f: number | undefined) => `${((f ?? 0) * 100).toFixed(0)}%`;

function Legend({ points }: { points: DatasetPoints }) {
  const note = <span className="legend-note">filled: training · hollow: validation</span>;
  if (points.task === "regression") {
    const [low, high] = targetRange(points);
    const stops = [0, 0.25, 0.5, 0.75, 1].map((t) => labelColor("regression", low + (high - low) * t, [low, high]));
    return (
      <figcaption className="legend" data-testid="pg-scatter-legend">
        <span>target {fmt(low)}</span>
        <span className="pg-scatter-scale" style={{ background: `linear-gradient(to right, ${stops.join(", ")})` }} aria-hidden="true" />
        <span>{fmt(high)}</span> {note}
      </figcaption>
    );
  }
  const labels = [...points.train_y, ...points.val_y];
  const count = Math.max(points.class_names.length, points.task === "binary" ? 2 : labels.length ? Math.max(...labels) + 1 : 0);
  return (
    <figcaption className="legend" data-testid="pg-scatter-legend">
      {Array.from({ length: count }, (_, k) => (
        <span key={k} className="legend-class">
          <span className="swatch" style={{ background: classColor(k) }} aria-hidden="true" /> {points.class_names[k] ?? `class ${k}`}
        </span>
      ))}
      {note}
    </figcaption>
  );
}

function Shown({ points }: { points: DatasetPoints }) {
  if (points.n_shown >= points.n_total) return null;
  return (
    <p className="hint" data-testid="pg-scatter-capped">
      Showing {points.n_shown.toLocaleString()} of {points.n_total.toLocaleString()} points (an evenly spaced subset).
    </p>
  );
}

function Scatter3d({ points }: { points: DatasetPoints }) {
  const ref = useRef<HTMLCanvasElement>(null);
  const [view, setView] = useState<View>(DEFAULT_VIEW);
  const drag = useRef<{ x: number; y: number } | null>(null);

  useEffect(() => {
    const ctx = context2d(ref.current);
    if (ctx) paint3d(ctx, points, view);
  }, [points, view]);

  const onKeyDown = (e: KeyboardEvent) => {
    const step = keyTurn(e.key);
    if (!step) return;
    e.preventDefault();
    setView((v) => turn(v, step[0], step[1]));
  };
  const onPointerDown = (e: PointerEvent<HTMLCanvasElement>) => {
    drag.current = { x: e.clientX, y: e.clientY };
    e.currentTarget.setPointerCapture?.(e.pointerId);
  };
  const onPointerMove = (e: PointerEvent<HTMLCanvasElement>) => {
    const from = drag.current;
    if (!from) return;
    drag.current = { x: e.clientX, y: e.clientY };
    setView((v) => turn(v, -(e.clientX - from.x) * DRAG_RATE, (e.clientY - from.y) * DRAG_RATE));
  };
  const onPointerUp = () => {
    drag.current = null;
  };
  const names = points.axis_names.join(", ");
  const deg = (r: number) => Math.round((r * 180) / Math.PI);
  return (
    <figure className="boundary pg-scatter" data-testid="pg-scatter" data-dims="3">
      <canvas
        ref={ref}
        width={SIZE}
        height={SIZE}
        className="boundary-canvas pg-scatter-canvas"
        data-testid="pg-scatter-canvas"
        data-view={`${deg(view.yaw)},${deg(view.pitch)}`}
        tabIndex={0}
        role="img"
        aria-label={`3-D scatter of ${names}: ${points.n_shown} points, turned ${deg(view.yaw)}° round and ${deg(view.pitch)}° down. Arrow keys turn it.`}
        onKeyDown={onKeyDown}
        onPointerDown={onPointerDown}
        onPointerMove={onPointerMove}
        onPointerUp={onPointerUp}
        onPointerCancel={onPointerUp}
      />
      <div className="pg-scatter-bar">
        <span className="hint">Drag or use arrow keys to turn</span>
        <button type="button" className="button button-quiet" data-testid="pg-scatter-reset" onClick={() => setView(DEFAULT_VIEW)}>
          Reset view
        </button>
      </div>
      <Legend points={points} />
      <p className="hint pg-scatter-axes" data-testid="pg-scatter-axes">
        {points.axis_names.map((n, k) => {
          const [lo = 0, hi = 0] = points.axis_bounds[k] ?? points.bounds;
          return <span key={n + k}>{`${n}: ${fmt(lo)} to ${fmt(hi)}`}</span>;
        })}
      </p>
      <Shown points={points} />
    </figure>
  );
}

function ScatterPca({ points }: { points: DatasetPoints }) {
  const ref = useRef<HTMLCanvasElement>(null);
  const titles: [string, string] = [`PC1 (${percent(points.explained_variance[0])} of variance)`, `PC2 (${percent(points.explained_variance[1])} of variance)`];
  useEffect(() => {
    const ctx = context2d(ref.current);
    if (ctx) paint2d(ctx, points, titles);
  });
  return (
    <figure className="boundary pg-scatter" data-testid="pg-scatter" data-dims="2">
      <p className="hint" data-testid="pg-scatter-projection">
        A projection: the table has more features than a picture can hold, so this shows its first two principal components (PCA of the standardised
        training inputs), which keep {percent((points.explained_variance[0] ?? 0) + (points.explained_variance[1] ?? 0))} of the variance.
      </p>
      <canvas
        ref={ref}
        width={SIZE}
        height={SIZE}
        className="boundary-canvas"
        data-testid="pg-scatter-canvas"
        role="img"
        aria-label={`Scatter of the data's first two principal components: ${titles.join(" against ")}, ${points.n_shown} points`}
      />
      <Legend points={points} />
      <Shown points={points} />
    </figure>
  );
}

export function DataScatter({ points, error, onRetry }: Props) {
  if (error) {
    return (
      <>
        <ErrorBanner message={`The data could not be loaded: ${error}`} />
        {onRetry && (
          <button type="button" className="button" onClick={onRetry}>
            Try again
          </button>
        )}
      </>
    );
  }
  if (!points) return <p className="loading">Loading the data…</p>;
  if (points.n_shown === 0) return <p className="empty">This table has no points to show.</p>;
  return points.dims === 3 ? <Scatter3d points={points} /> : <ScatterPca points={points} />;
}
