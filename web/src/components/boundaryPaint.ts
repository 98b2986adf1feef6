/**
 * Painting the model's output field and the data on the boundary canvas, for every encoding
 * of training/boundary.py: binary P(class 1), multi-class (class, confidence), a regression
 * heat over the plane, and a regression curve over a line (the 1-D sine set).
 */

import { decodeCompactArray } from "../api/compact";
import type { BoundaryEvent, DatasetPoints } from "../api/types";
import { boundaryToImageData, CLASS_COLORS, paletteLUT, toCanvas, type Range, type Rect } from "./boundaryImage";
import { context2d } from "./canvas";
import { classColor, divergingColor, multiclassToImageData, regressionToImageData, symmetricRange } from "./fieldImage";

const LUT = paletteLUT();

export type FieldKind = "binary" | "multiclass" | "regression" | "line";

export interface Field {
  kind: FieldKind;
  /** Row-major RGBA of the plane (not for "line"). */
  pixels: Uint8ClampedArray<ArrayBuffer> | null;
  rows: number;
  cols: number;
  /** Regression: the colour scale is [-scale, scale]. */
  scale: number;
  /** Line: f(x) at the cell centres of x_range. */
  curve: Float32Array | null;
}

/** Which encoding a frame carries, by its shape and dtype. */
export function fieldKind(boundary: BoundaryEvent): FieldKind {
  const { shape, dtype } = boundary.payload.values;
  if (shape.length === 1) return "line";
  if (shape.length === 3) return "multiclass";
  return dtype === "uint8" ? "binary" : "regression";
}

export function decodeField(boundary: BoundaryEvent, nClasses: number): Field {
  const kind = fieldKind(boundary);
  const grid = decodeCompactArray(boundary.payload.values);
  const [rows = 1, cols = 1] = grid.shape;
  const base = { kind, rows, cols, scale: 1, pixels: null, curve: null };
  if (kind === "line") return { ...base, curve: Float32Array.from(grid.data) };
  if (kind === "multiclass") return { ...base, pixels: multiclassToImageData(grid.data, nClasses) };
  if (kind === "regression") {
    const scale = symmetricRange(grid.data);
    return { ...base, scale, pixels: regressionToImageData(grid.data, scale) };
  }
  return { ...base, pixels: boundaryToImageData(grid.data, LUT) };
}

export function paintField(ctx: CanvasRenderingContext2D, field: Field, rect: Rect): void {
  if (!field.pixels) return;
  const tile = document.createElement("canvas");
  tile.width = field.cols;
  tile.height = field.rows;
  const tileCtx = context2d(tile);
  if (!tileCtx) return;
  tileCtx.putImageData(new ImageData(field.pixels, field.cols, field.rows), 0, 0);
  ctx.imageSmoothingEnabled = true;
  ctx.drawImage(tile, rect.left, rect.top, rect.width, rect.height);
}

/** The y range of a line plot: the data's and the curve's values, padded by a tenth. */
export function lineRange(points: DatasetPoints | null, curve: Float32Array | null): [number, number] {
  const values = [...(points?.train_y ?? []), ...(points?.val_y ?? []), ...(curve ?? [])].filter(Number.isFinite);
  if (values.length === 0) return [-1.5, 1.5];
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  const pad = Math.max(0.1, (hi - lo) * 0.1);
  return [lo - pad, hi + pad];
}

export function paintCurve(ctx: CanvasRenderingContext2D, curve: Float32Array, xRange: Range, yRange: Range, rect: Rect): void {
  const [x0 = -6, x1 = 6] = xRange;
  const dx = (x1 - x0) / curve.length;
  ctx.strokeStyle = "#1d4ed8";
  ctx.lineWidth = 3;
  ctx.beginPath();
  curve.forEach((v, j) => {
    const [px, py] = toCanvas(x0 + (j + 0.5) * dx, v, xRange, yRange, rect);
    if (j === 0) ctx.moveTo(px, py);
    else ctx.lineTo(px, py);
  });
  ctx.stroke();
}

export interface PointStyle {
  task: DatasetPoints["task"];
  /** Regression colour scale. */
  scale: number;
  /** Line plots put the label on the y axis. */
  line: boolean;
}

function pointColor(label: number, style: PointStyle): string {
  if (style.line) return "#374151";
  if (style.task === "regression") return divergingColor(label, style.scale);
  if (style.task === "binary") return CLASS_COLORS[label === 1 ? 1 : 0];
  return classColor(Math.round(label));
}

export function paintPoints(
  ctx: CanvasRenderingContext2D,
  xs: readonly (readonly number[])[],
  ys: readonly number[],
  ranges: { x: Range; y: Range },
  rect: Rect,
  hollow: boolean,
  style: PointStyle,
): void {
  const radius = 4;
  ctx.lineWidth = hollow ? 1.6 : 1;
  xs.forEach(([x = 0, y = 0], i) => {
    const label = ys[i] ?? 0;
    const [px, py] = toCanvas(x, style.line ? label : y, ranges.x, ranges.y, rect);
    const color = pointColor(label, style);
    ctx.beginPath();
    ctx.arc(px, py, radius, 0, Math.PI * 2);
    if (hollow) {
      ctx.strokeStyle = color;
      ctx.stroke();
    } else {
      ctx.fillStyle = color;
      ctx.fill();
      ctx.strokeStyle = "#ffffff";
      ctx.stroke();
    }
  });
}
