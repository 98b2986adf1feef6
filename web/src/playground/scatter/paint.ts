/**
 * Painting the "Data" panel's scatters on a canvas: the 3-D one (a three-feature table, turned
 * by projection.ts) and the 2-D one (a wider table's first two principal components). Points
 * take their class colour, or for regression a colour scale from the lowest to the highest
 * target; training points are filled, validation points hollow (as on the boundary).
 */

import type { DatasetPoints } from "../../api/types";
import { ticks, toCanvas, type Rect } from "../../components/boundaryImage";
import { tickStep } from "../../components/BoundaryCanvas";
import { classColor } from "../../components/fieldImage";
import { axisEdge, farFirst, fitScale, normalise, project, type Screen, type Vec3, type View } from "./projection";

export const SIZE = 600; // drawing-buffer pixels; CSS scales the canvas to its column
const RADIUS = 4;
const FONT = "20px system-ui, sans-serif";
const AXIS = "#4a5560";
const FAINT = "#d3d7dc";

type Pair = readonly [number, number];

/** The lowest and highest regression target (the ends of the colour scale). */
export function targetRange(points: DatasetPoints): Pair {
  const all = [...points.train_y, ...points.val_y];
  return all.length ? [Math.min(...all), Math.max(...all)] : [0, 1];
}

/** The target scale: orange (lowest) through a muted violet to blue (highest); unlike the
 * boundary's diverging scale its middle is no paler than its ends, so no point fades into the
 * background. */
const SCALE: readonly (readonly [number, number, number])[] = [
  [214, 96, 0],
  [150, 104, 168],
  [8, 80, 150],
];

/** A point's colour: its class, or its target on the scale from ``range[0]`` to ``range[1]``. */
export function labelColor(task: DatasetPoints["task"], label: number, range: Pair): string {
  if (task !== "regression") return classColor(Math.round(label));
  const span = range[1] - range[0];
  const t = span > 0 && Number.isFinite(label) ? Math.max(0, Math.min(1, (label - range[0]) / span)) : 0.5;
  const [from, to, f] = t < 0.5 ? [SCALE[0], SCALE[1], t * 2] : [SCALE[1], SCALE[2], t * 2 - 1];
  const mix = (c: number) => Math.round((from?.[c] ?? 0) + ((to?.[c] ?? 0) - (from?.[c] ?? 0)) * f);
  return `rgb(${mix(0)}, ${mix(1)}, ${mix(2)})`;
}

interface Dot {
  x: number;
  y: number;
  color: string;
  hollow: boolean;
}

function paintDots(ctx: CanvasRenderingContext2D, dots: readonly Dot[]): void {
  for (const d of dots) {
    ctx.beginPath();
    ctx.arc(d.x, d.y, RADIUS, 0, Math.PI * 2);
    if (d.hollow) {
      ctx.lineWidth = 1.6;
      ctx.strokeStyle = d.color;
      ctx.stroke();
    } else {
      ctx.lineWidth = 1;
      ctx.fillStyle = d.color;
      ctx.fill();
      ctx.strokeStyle = "#ffffff";
      ctx.stroke();
    }
  }
}

function axisBounds(points: DatasetPoints, k: number): Pair {
  const [low = 0, high = 1] = points.axis_bounds[k] ?? points.bounds;
  return [low, high];
}

/** Every point of ``points`` with its coordinates and whether it is a validation point. */
function rows(points: DatasetPoints): { p: number[]; label: number; hollow: boolean }[] {
  const split = (xs: typeof points.train_x, zs: number[] | null, ys: number[], hollow: boolean) =>
    xs.map(([a = 0, b = 0], i) => ({ p: [a, b, zs?.[i] ?? 0], label: ys[i] ?? 0, hollow }));
  return [...split(points.train_x, points.train_z, points.train_y, false), ...split(points.val_x, points.val_z, points.val_y, true)];
}

const CORNERS: Vec3[] = [-1, 1].flatMap((x) => [-1, 1].flatMap((y) => [-1, 1].map((z) => [x, y, z] as Vec3)));

/** The 3-D scatter of a three-feature table seen from ``view``. */
export function paint3d(ctx: CanvasRenderingContext2D, points: DatasetPoints, view: View): void {
  const screen: Screen = { cx: SIZE / 2, cy: SIZE / 2, scale: fitScale(SIZE, 44) };
  const at = (p: Vec3) => project(p, view, screen);
  ctx.clearRect(0, 0, SIZE, SIZE);
  ctx.fillStyle = "#f4f4f2";
  ctx.fillRect(0, 0, SIZE, SIZE);
  // The cube's edges (faint); the three axes (dark) on outline edges, drawn last (axisEdge).
  ctx.lineWidth = 1;
  ctx.strokeStyle = FAINT;
  for (const a of CORNERS) {
    for (const b of CORNERS) {
      const differ = a.filter((v, i) => v !== b[i]).length;
      if (differ !== 1 || a.join() > b.join()) continue;
      const [pa, pb] = [at(a), at(b)];
      ctx.beginPath();
      ctx.moveTo(pa.x, pa.y);
      ctx.lineTo(pb.x, pb.y);
      ctx.stroke();
    }
  }
  const range = targetRange(points);
  const all = rows(points).map(({ p, label, hollow }) => {
    const q = at(p.map((v, k) => normalise(v, axisBounds(points, k))) as unknown as Vec3);
    return { x: q.x, y: q.y, depth: q.depth, color: labelColor(points.task, label, range), hollow };
  });
  paintDots(
    ctx,
    farFirst(all.map((d) => d.depth)).map((i) => all[i] as Dot),
  );
  ctx.lineWidth = 2;
  ctx.strokeStyle = AXIS;
  ctx.fillStyle = AXIS;
  ctx.font = FONT;
  ctx.textBaseline = "middle";
  ([0, 1, 2] as const).forEach((k) => {
    const { from, to, title } = axisEdge(k, view, screen);
    const [a, b] = [at(from), at(to)];
    ctx.beginPath();
    ctx.moveTo(a.x, a.y);
    ctx.lineTo(b.x, b.y);
    ctx.stroke();
    const name = points.axis_names[k] ?? `x${k + 1}`;
    const text = name.length > 18 ? `${name.slice(0, 17)}…` : name;
    ctx.save();
    ctx.translate(title.x, title.y);
    if (title.vertical) ctx.rotate(-Math.PI / 2); // reads upwards, like a 2-D plot's y title
    ctx.textAlign = "center";
    ctx.fillText(text, 0, 0);
    ctx.restore();
  });
}

const MARGIN = { left: 70, right: 14, top: 14, bottom: 64 };

function label(t: number): string {
  return String(Number(t.toPrecision(3)));
}

/** The 2-D scatter of a projection (or any two axes), with ticks and axis titles. */
export function paint2d(ctx: CanvasRenderingContext2D, points: DatasetPoints, titles: readonly [string, string]): void {
  const rect: Rect = { left: MARGIN.left, top: MARGIN.top, width: SIZE - MARGIN.left - MARGIN.right, height: SIZE - MARGIN.top - MARGIN.bottom };
  const [xr, yr] = [axisBounds(points, 0), axisBounds(points, 1)];
  ctx.clearRect(0, 0, SIZE, SIZE);
  ctx.fillStyle = "#f4f4f2";
  ctx.fillRect(rect.left, rect.top, rect.width, rect.height);
  const range = targetRange(points);
  paintDots(
    ctx,
    rows(points).map(({ p, label: y, hollow }) => {
      const [px, py] = toCanvas(p[0] ?? 0, p[1] ?? 0, xr, yr, rect);
      return { x: px, y: py, color: labelColor(points.task, y, range), hollow };
    }),
  );
  ctx.strokeStyle = "#9aa3ad";
  ctx.lineWidth = 1;
  ctx.strokeRect(rect.left, rect.top, rect.width, rect.height);
  ctx.fillStyle = AXIS;
  ctx.font = FONT;
  for (const t of ticks(xr[0], xr[1], tickStep(xr[1] - xr[0]))) {
    const [px] = toCanvas(t, 0, xr, yr, rect);
    ctx.textAlign = "center";
    ctx.textBaseline = "top";
    ctx.fillText(label(t), px, rect.top + rect.height + 6);
  }
  for (const t of ticks(yr[0], yr[1], tickStep(yr[1] - yr[0]))) {
    const [, py] = toCanvas(0, t, xr, yr, rect);
    ctx.textAlign = "right";
    ctx.textBaseline = "middle";
    ctx.fillText(label(t), rect.left - 8, py);
  }
  ctx.textAlign = "center";
  ctx.textBaseline = "bottom";
  ctx.fillText(titles[0], rect.left + rect.width / 2, SIZE - 4);
  ctx.save();
  ctx.translate(18, rect.top + rect.height / 2);
  ctx.rotate(-Math.PI / 2);
  ctx.textBaseline = "middle";
  ctx.fillText(titles[1], 0, 0);
  ctx.restore();
}
