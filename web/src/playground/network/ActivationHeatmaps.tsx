/**
 * Activation heatmaps, live: for every hidden layer, what each unit (column) outputs on each
 * sample (row) of a fixed probe batch of validation samples, sorted by class (a coloured band
 * on the left marks the class). Colour: orange below 0, blue above, on each layer's own
 * symmetric scale. Hover or focus a map and use the arrow keys to read a cell's value. With
 * ``byClass`` (inputs that have no plane: images, tables) each unit also gets a strip of its
 * mean activation per class (ClassMeans.tsx).
 */

import { useEffect, useMemo, useRef, useState, type KeyboardEvent, type PointerEvent } from "react";
import { decodeCompactArray } from "../../api/compact";
import type { ActivationsEvent } from "../../api/types";
import { context2d } from "../../components/canvas";
import { CLASS_RGB, classColor, regressionToImageData, symmetricRange } from "../../components/fieldImage";
import { ClassMeans, classMeans } from "./ClassMeans";

interface LayerMap {
  layer: string;
  units: number;
  rows: number;
  cols: number;
  values: Float32Array;
  scale: number;
}

function decode(event: ActivationsEvent): LayerMap[] {
  return event.payload.layers.map((l) => {
    const { shape, data } = decodeCompactArray(l.values);
    const values = data instanceof Float32Array ? data : Float32Array.from(data);
    return { layer: l.layer, units: l.units, rows: shape[0] ?? 0, cols: shape[1] ?? 0, values, scale: symmetricRange(values) };
  });
}

function paint(canvas: HTMLCanvasElement | null, width: number, height: number, rgba: Uint8ClampedArray<ArrayBuffer>): void {
  const ctx = context2d(canvas);
  if (!ctx || width === 0 || height === 0) return;
  ctx.putImageData(new ImageData(rgba, width, height), 0, 0);
}

/** One RGBA pixel per sample in its class colour. */
export function bandPixels(labels: readonly number[]): Uint8ClampedArray<ArrayBuffer> {
  const out = new Uint8ClampedArray(labels.length * 4);
  labels.forEach((k, i) => {
    const rgb = CLASS_RGB[k % CLASS_RGB.length] ?? [0, 0, 0];
    out.set([...rgb, 255], i * 4);
  });
  return out;
}

const KEYS: Record<string, [number, number]> = { ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1] };

function Heatmap({ map, labels, byClass }: { map: LayerMap; labels: readonly number[]; byClass: boolean }) {
  const cells = useRef<HTMLCanvasElement>(null);
  const bands = useRef<HTMLCanvasElement>(null);
  const [cursor, setCursor] = useState<[number, number] | null>(null);
  const { rows, cols, values, scale } = map;

  useEffect(() => paint(cells.current, cols, rows, regressionToImageData(values, scale)), [values, rows, cols, scale]);
  useEffect(() => paint(bands.current, 1, labels.length, bandPixels(labels)), [labels]);

  const at = cursor && cursor[0] < rows && cursor[1] < cols ? cursor : null;
  const onPointer = (e: PointerEvent<HTMLDivElement>) => {
    const box = e.currentTarget.getBoundingClientRect();
    if (box.width === 0 || box.height === 0) return;
    const col = Math.floor(((e.clientX - box.left) / box.width) * cols);
    const row = Math.floor(((e.clientY - box.top) / box.height) * rows);
    if (row >= 0 && row < rows && col >= 0 && col < cols) setCursor([row, col]);
  };
  const onKey = (e: KeyboardEvent<HTMLDivElement>) => {
    const move = KEYS[e.key];
    if (!move) return;
    e.preventDefault();
    const [r, c] = at ?? [0, 0];
    setCursor(at ? [Math.max(0, Math.min(rows - 1, r + move[0])), Math.max(0, Math.min(cols - 1, c + move[1]))] : [0, 0]);
  };
  const value = at ? values[at[0] * cols + at[1]] : undefined;
  const readout =
    at && value !== undefined
      ? `sample ${at[0] + 1}${labels.length ? ` (class ${labels[at[0]]})` : ""} · unit ${at[1] + 1} → ${value.toPrecision(3)}`
      : "hover or focus and use the arrow keys to read a value";
  const m = Number(scale.toPrecision(2));
  const classes = [...new Set(labels)];
  return (
    <figure className="pg-heatmap" data-testid="pg-heatmap" data-layer={map.layer}>
      <figcaption>
        <strong>{map.layer}</strong> · {cols < map.units ? `first ${cols} of ${map.units}` : map.units} units × {rows} samples
      </figcaption>
      <div className="pg-heatmap-body">
        {labels.length > 0 && <canvas ref={bands} className="pg-heatmap-bands" width={1} height={labels.length} aria-hidden="true" />}
        <div
          className="pg-heatmap-cells"
          tabIndex={0}
          role="img"
          aria-label={`${map.layer}: activations of ${cols} units (columns) on ${rows} samples (rows), orange below 0, blue above, scale ±${m}`}
          style={{ width: `min(100%, ${Math.max(96, cols * 18)}px)` }}
          onPointerMove={onPointer}
          onPointerLeave={() => setCursor(null)}
          onKeyDown={onKey}
          onFocus={() => setCursor((c) => c ?? [0, 0])}
          onBlur={() => setCursor(null)}
          data-testid="pg-heatmap-cells"
        >
          <canvas ref={cells} width={cols} height={rows} />
          {at && (
            <span
              className="pg-heatmap-cursor"
              aria-hidden="true"
              style={{ left: `${(at[1] / cols) * 100}%`, top: `${(at[0] / rows) * 100}%`, width: `${100 / cols}%`, height: `${100 / rows}%` }}
            />
          )}
        </div>
      </div>
      <p className="pg-heatmap-readout" aria-live="polite" data-testid="pg-heatmap-readout">
        {readout}
      </p>
      <div className="pg-heatmap-scale" aria-hidden="true">
        <span>−{m}</span>
        <span className="pg-heatmap-ramp" />
        <span>+{m}</span>
      </div>
      {byClass && classes.length > 1 && (
        <>
          <p className="pg-heatmap-readout">mean per class, unit by unit:</p>
          <ClassMeans layer={map.layer} means={classMeans(values, rows, cols, labels, classes)} classes={classes} />
        </>
      )}
    </figure>
  );
}

export function ActivationHeatmaps({ event, byClass = false }: { event: ActivationsEvent | null; byClass?: boolean }) {
  const maps = useMemo(() => (event ? decode(event) : null), [event]);
  if (!event || !maps) return <p className="empty">Activation heatmaps appear once the run has a model with hidden layers.</p>;
  if (maps.length === 0) return <p className="empty">This net has no hidden dense layers to show.</p>;
  const labels = event.payload.labels;
  const classes = [...new Set(labels)];
  return (
    <div className="pg-heatmaps" data-testid="pg-heatmaps" data-step={event.step}>
      <p className="panel-note">
        at step {event.step}, on {event.payload.probe}; rows are samples{labels.length ? ", grouped by class (left band)" : ""}, columns units.
      </p>
      {classes.length > 0 && (
        <p className="legend">
          {classes.map((k) => (
            <span key={k} className="legend-class">
              <span className="swatch" style={{ background: classColor(k) }} aria-hidden="true" /> class {k}
            </span>
          ))}
        </p>
      )}
      <div className="pg-heatmap-grid">
        {maps.map((map) => (
          <Heatmap key={map.layer} map={map} labels={labels} byClass={byClass} />
        ))}
      </div>
    </div>
  );
}
