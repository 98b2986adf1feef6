/**
 * The decision boundary: the model's output over the plane (binary P(class 1) as a diverging
 * orange/blue image; multi-class as class colours with confidence as strength; regression as
 * a diverging heat) or, for a 1-D set, the model's curve f(x) over the data. Training points
 * are filled, validation points hollow.
 */

import { useEffect, useMemo, useRef } from "react";
import type { BoundaryEvent, DatasetPoints } from "../api/types";
import { ticks, toCanvas, type Range, type Rect } from "./boundaryImage";
import { decodeField, fieldKind, lineRange, paintCurve, paintField, paintPoints, type Field } from "./boundaryPaint";
import { context2d } from "./canvas";
import { classColor } from "./fieldImage";

const SIZE = 600; // drawing-buffer pixels; CSS scales the canvas to its column
const MARGIN = { left: 52, bottom: 34, top: 10, right: 10 };
const DEFAULT_RANGE: Range = [-6, 6];

interface Props {
  boundary: BoundaryEvent | null;
  points: DatasetPoints | null;
  /** Classes of a multi-class set (sets chance level and the legend); from the run's config. */
  nClasses?: number;
  classNames?: readonly string[];
  /** A 1-D set (x against f(x)), known before the first frame arrives. */
  line?: boolean;
}

function plotRect(): Rect {
  const side = SIZE - Math.max(MARGIN.left + MARGIN.right, MARGIN.top + MARGIN.bottom);
  return { left: MARGIN.left, top: MARGIN.top, width: side, height: side };
}

/** About six ticks over ``span`` (-6..6 by 2 on the plane): 1, 2 or 5 times a power of ten. */
export function tickStep(span: number): number {
  const raw = span / 6;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].find((m) => m * power >= raw) ?? 10;
  return step * power;
}

function paintAxes(ctx: CanvasRenderingContext2D, xRange: Range, yRange: Range, rect: Rect): void {
  ctx.strokeStyle = "#9aa3ad";
  ctx.lineWidth = 1;
  ctx.strokeRect(rect.left, rect.top, rect.width, rect.height);
  ctx.fillStyle = "#4a5560";
  ctx.font = "20px system-ui, sans-serif";
  const [x0 = -6, x1 = 6] = xRange;
  const [y0 = -6, y1 = 6] = yRange;
  const label = (t: number) => String(Number(t.toPrecision(3)));
  for (const t of ticks(x0, x1, tickStep(x1 - x0))) {
    const [px] = toCanvas(t, 0, xRange, yRange, rect);
    ctx.beginPath();
    ctx.moveTo(px, rect.top + rect.height);
    ctx.lineTo(px, rect.top + rect.height + 6);
    ctx.stroke();
    ctx.textAlign = "center";
    ctx.textBaseline = "top";
    ctx.fillText(label(t), px, rect.top + rect.height + 8);
  }
  for (const t of ticks(y0, y1, tickStep(y1 - y0))) {
    const [, py] = toCanvas(0, t, xRange, yRange, rect);
    ctx.beginPath();
    ctx.moveTo(rect.left - 6, py);
    ctx.lineTo(rect.left, py);
    ctx.stroke();
    ctx.textAlign = "right";
    ctx.textBaseline = "middle";
    ctx.fillText(label(t), rect.left - 9, py);
  }
}

function Legend({ field, kind, nClasses, classNames }: { field: Field | null; kind: Field["kind"]; nClasses: number; classNames?: readonly string[] }) {
  const note = <span className="legend-note">filled: training · hollow: validation</span>;
  if (kind === "line") return <figcaption className="legend">blue line: the model's f(x) · dots: data {note}</figcaption>;
  if (kind === "regression") {
    const m = field ? Number(field.scale.toPrecision(3)) : null;
    return (
      <figcaption className="legend">
        <span className="swatch swatch-0" aria-hidden="true" /> below 0{m !== null && ` (to −${m})`}
        <span className="swatch swatch-1" aria-hidden="true" /> above 0{m !== null && ` (to +${m})`} {note}
      </figcaption>
    );
  }
  const count = kind === "binary" ? 2 : nClasses;
  return (
    <figcaption className="legend">
      {Array.from({ length: count }, (_, k) => (
        <span key={k} className="legend-class">
          <span className="swatch" style={{ background: classColor(k) }} aria-hidden="true" /> {classNames?.[k] ?? `class ${k}`}
        </span>
      ))}
      {kind === "multiclass" && <span className="legend-note">paler: less confident</span>}
      {note}
    </figcaption>
  );
}

export function BoundaryCanvas({ boundary, points, nClasses, classNames, line }: Props) {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const labels = points ? [...points.train_y, ...points.val_y] : [];
  const classes = nClasses ?? classNames?.length ?? (labels.length ? Math.max(...labels) + 1 : 3);
  const kind: Field["kind"] = boundary
    ? fieldKind(boundary)
    : line
      ? "line"
      : points?.task === "regression"
        ? "regression"
        : points?.task === "multiclass"
          ? "multiclass"
          : "binary";

  const field = useMemo(() => (boundary ? decodeField(boundary, classes) : null), [boundary, classes]);

  useEffect(() => {
    const ctx = context2d(canvasRef.current);
    if (!ctx) return; // no canvas here (tests): nothing to paint
    const rect = plotRect();
    const xRange = points?.bounds ?? boundary?.payload.x_range ?? DEFAULT_RANGE;
    const yRange = kind === "line" ? lineRange(points, field?.curve ?? null) : xRange;
    ctx.clearRect(0, 0, SIZE, SIZE);
    ctx.fillStyle = "#f4f4f2";
    ctx.fillRect(rect.left, rect.top, rect.width, rect.height);
    if (field) paintField(ctx, field, rect);
    if (points) {
      const style = { task: points.task, scale: field?.scale ?? 1, line: kind === "line" };
      paintPoints(ctx, points.train_x, points.train_y, { x: xRange, y: yRange }, rect, false, style);
      paintPoints(ctx, points.val_x, points.val_y, { x: xRange, y: yRange }, rect, true, style);
    }
    if (field?.curve) paintCurve(ctx, field.curve, xRange, yRange, rect);
    paintAxes(ctx, xRange, yRange, rect);
  }, [field, boundary, points, kind]);

  const label = boundary
    ? `Model output at step ${boundary.step}: ${kind === "line" ? "the fitted curve over the data" : kind === "regression" ? "predicted value, orange below 0 and blue above" : "the class it predicts at each point of the plane"}`
    : "Decision boundary: appears once the run has a model";
  return (
    <figure className="boundary">
      <canvas
        ref={canvasRef}
        width={SIZE}
        height={SIZE}
        className="boundary-canvas"
        data-testid="boundary-canvas"
        data-step={boundary?.step ?? ""}
        data-kind={kind}
        role="img"
        aria-label={label}
      />
      <Legend field={field} kind={kind} nClasses={classes} classNames={classNames} />
    </figure>
  );
}
