/**
 * The decision boundary: the model's P(class 1) over the plane as a diverging orange/blue
 * image, training points (filled) and validation points (hollow) on top, ticks at -6..6.
 */

import { useEffect, useRef } from "react";
import { decodeCompactArray } from "../api/compact";
import type { BoundaryEvent, DatasetPoints } from "../api/types";
import { boundaryToImageData, CLASS_COLORS, paletteLUT, ticks, toCanvas, type Range, type Rect } from "./boundaryImage";
import { context2d } from "./canvas";

const SIZE = 600; // drawing-buffer pixels; CSS scales the canvas to its column
const MARGIN = { left: 40, bottom: 34, top: 10, right: 10 };
const DEFAULT_RANGE: Range = [-6, 6];
const LUT = paletteLUT();

interface Props {
  boundary: BoundaryEvent | null;
  points: DatasetPoints | null;
}

function plotRect(): Rect {
  const side = SIZE - Math.max(MARGIN.left + MARGIN.right, MARGIN.top + MARGIN.bottom);
  return { left: MARGIN.left, top: MARGIN.top, width: side, height: side };
}

function paintBoundary(ctx: CanvasRenderingContext2D, boundary: BoundaryEvent, rect: Rect): void {
  const grid = decodeCompactArray(boundary.payload.values);
  const [rows, cols] = grid.shape as [number, number];
  const image = new ImageData(boundaryToImageData(grid.data, LUT), cols, rows);
  const tile = document.createElement("canvas");
  tile.width = cols;
  tile.height = rows;
  const tileCtx = context2d(tile);
  if (!tileCtx) return;
  tileCtx.putImageData(image, 0, 0);
  ctx.imageSmoothingEnabled = true;
  ctx.drawImage(tile, rect.left, rect.top, rect.width, rect.height);
}

function paintPoints(
  ctx: CanvasRenderingContext2D,
  xs: readonly (readonly number[])[],
  ys: readonly number[],
  range: Range,
  rect: Rect,
  hollow: boolean,
): void {
  const radius = 4;
  ctx.lineWidth = hollow ? 1.6 : 1;
  xs.forEach(([x = 0, y = 0], i) => {
    const [px, py] = toCanvas(x, y, range, range, rect);
    const color = CLASS_COLORS[ys[i] === 1 ? 1 : 0];
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

function paintAxes(ctx: CanvasRenderingContext2D, range: Range, rect: Rect): void {
  ctx.strokeStyle = "#9aa3ad";
  ctx.lineWidth = 1;
  ctx.strokeRect(rect.left, rect.top, rect.width, rect.height);
  ctx.fillStyle = "#4a5560";
  ctx.font = "20px system-ui, sans-serif";
  for (const t of ticks(range[0] ?? -6, range[1] ?? 6)) {
    const [px] = toCanvas(t, 0, range, range, rect);
    const [, py] = toCanvas(0, t, range, range, rect);
    ctx.beginPath();
    ctx.moveTo(px, rect.top + rect.height);
    ctx.lineTo(px, rect.top + rect.height + 6);
    ctx.moveTo(rect.left - 6, py);
    ctx.lineTo(rect.left, py);
    ctx.stroke();
    ctx.textAlign = "center";
    ctx.textBaseline = "top";
    ctx.fillText(String(t), px, rect.top + rect.height + 8);
    ctx.textAlign = "right";
    ctx.textBaseline = "middle";
    ctx.fillText(String(t), rect.left - 9, py);
  }
}

export function BoundaryCanvas({ boundary, points }: Props) {
  const canvasRef = useRef<HTMLCanvasElement>(null);

  useEffect(() => {
    const ctx = context2d(canvasRef.current);
    if (!ctx) return; // no canvas here (tests): nothing to paint
    const rect = plotRect();
    const range = points?.bounds ?? boundary?.payload.x_range ?? DEFAULT_RANGE;
    ctx.clearRect(0, 0, SIZE, SIZE);
    if (boundary) {
      paintBoundary(ctx, boundary, rect);
    } else {
      ctx.fillStyle = "#f4f4f2";
      ctx.fillRect(rect.left, rect.top, rect.width, rect.height);
    }
    if (points) {
      paintPoints(ctx, points.train_x, points.train_y, range, rect, false);
      paintPoints(ctx, points.val_x, points.val_y, range, rect, true);
    }
    paintAxes(ctx, range, rect);
  }, [boundary, points]);

  const label = boundary
    ? `Decision boundary at step ${boundary.step}: orange is class 0, blue is class 1`
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
        role="img"
        aria-label={label}
      />
      <figcaption className="legend">
        <span className="swatch swatch-0" aria-hidden="true" /> class 0
        <span className="swatch swatch-1" aria-hidden="true" /> class 1
        <span className="legend-note">filled: training · hollow: validation</span>
      </figcaption>
    </figure>
  );
}
