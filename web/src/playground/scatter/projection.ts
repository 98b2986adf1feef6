/**
 * Pure maths of the 3-D scatter: each axis scaled to [-1, 1], a turn about the vertical
 * (data z) axis by ``yaw`` then a tilt towards the viewer by ``pitch``, and an orthographic
 * projection (depth dropped, kept only to paint far points first).
 *
 * Camera coordinates: u to the right, v up, depth away from the viewer. At yaw = pitch = 0 the
 * viewer looks along +y: x points right, z up.
 */

export type Vec3 = readonly [number, number, number];

export interface View {
  yaw: number; // radians, about the vertical axis
  pitch: number; // radians, in [-PI/2, PI/2]; positive looks down on the x-y plane
}

/** A three-quarter view: a little from the right and from above. */
export const DEFAULT_VIEW: View = { yaw: -Math.PI / 6, pitch: Math.PI / 8 };
/** One arrow key press turns this much. */
export const KEY_STEP = Math.PI / 12;
/** Radians per pixel of pointer drag (on the drawing's CSS size of about 460 px). */
export const DRAG_RATE = 0.01;

const HALF_PI = Math.PI / 2;

/** ``value`` of the range [low, high] on [-1, 1] (0 for an empty range). */
export function normalise(value: number, [low, high]: readonly [number, number]): number {
  const span = high - low;
  return span > 0 ? ((value - low) / span) * 2 - 1 : 0;
}

/** The view turned by (dYaw, dPitch), pitch kept within straight down and straight up. */
export function turn(view: View, dYaw: number, dPitch: number): View {
  const pitch = Math.max(-HALF_PI, Math.min(HALF_PI, view.pitch + dPitch));
  let yaw = (view.yaw + dYaw) % (2 * Math.PI);
  if (yaw > Math.PI) yaw -= 2 * Math.PI;
  if (yaw < -Math.PI) yaw += 2 * Math.PI;
  return { yaw, pitch };
}

/** How an arrow key turns the view; null for any other key. */
export function keyTurn(key: string): [number, number] | null {
  switch (key) {
    case "ArrowLeft":
      return [-KEY_STEP, 0];
    case "ArrowRight":
      return [KEY_STEP, 0];
    case "ArrowUp":
      return [0, KEY_STEP];
    case "ArrowDown":
      return [0, -KEY_STEP];
    default:
      return null;
  }
}

/** Camera coordinates (u right, v up, depth away) of ``p`` seen from ``view`` (a rotation). */
export function rotate([x, y, z]: Vec3, { yaw, pitch }: View): Vec3 {
  // About the vertical axis: the scene turns by -yaw, as if the viewer walked round by +yaw.
  const cy = Math.cos(yaw);
  const sy = Math.sin(yaw);
  const u = x * cy + y * sy;
  const d = -x * sy + y * cy;
  // Tilt: looking down by ``pitch`` brings the far side (+depth) up.
  const cp = Math.cos(pitch);
  const sp = Math.sin(pitch);
  const v = z * cp + d * sp;
  const depth = d * cp - z * sp;
  return [u, v, depth];
}

export interface Screen {
  cx: number; // the canvas point the origin lands on
  cy: number;
  scale: number; // pixels per unit of the normalised cube
}

/** Canvas pixels (x right, y down) of the normalised point ``p``, and its depth. */
export function project(p: Vec3, view: View, screen: Screen): { x: number; y: number; depth: number } {
  const [u, v, depth] = rotate(p, view);
  return { x: screen.cx + u * screen.scale, y: screen.cy - v * screen.scale, depth };
}

/** Indices of ``depths`` from the farthest to the nearest (the order to paint them). */
export function farFirst(depths: readonly number[]): number[] {
  return depths.map((_, i) => i).sort((a, b) => (depths[b] as number) - (depths[a] as number));
}

/** The scale that keeps the unit cube (corners at distance sqrt 3) inside a square of ``side``. */
export function fitScale(side: number, margin = 0): number {
  return (side / 2 - margin) / Math.sqrt(3);
}

/** Where an axis is drawn: one of the cube's four edges along it, and its title's anchor. */
export interface AxisEdge {
  from: Vec3; // the edge's low end (the axis's lowest value)
  to: Vec3;
  /** ``vertical``: title turned to read upwards, left of the edge; ``below``: centred. */
  title: { x: number; y: number; vertical: boolean };
}

const TITLE_GAP = 26; // canvas pixels between an edge and its title

/**
 * The edge axis ``k`` is drawn on, as plotting libraries do for 3-D axes: of its four parallel
 * edges, the two farthest from the cube's centre on screen lie on the outline; a mostly
 * vertical axis takes the left one, its title turned and left of it, any other axis the lower
 * one, its title below. Titles so sit outside the cube, never over the points.
 */
export function axisEdge(k: 0 | 1 | 2, view: View, screen: Screen): AxisEdge {
  const centre = project([0, 0, 0], view, screen);
  const point = (v: number, a: number, b: number): Vec3 => (k === 0 ? [v, a, b] : k === 1 ? [a, v, b] : [a, b, v]);
  const edges = [-1, 1].flatMap((a) =>
    [-1, 1].map((b) => {
      const [from, to] = [point(-1, a, b), point(1, a, b)];
      const [p, q] = [project(from, view, screen), project(to, view, screen)];
      const mid = { x: (p.x + q.x) / 2, y: (p.y + q.y) / 2 };
      return { from, to, mid, away: Math.hypot(mid.x - centre.x, mid.y - centre.y), dx: q.x - p.x, dy: q.y - p.y };
    }),
  );
  const outline = edges.sort((a, b) => b.away - a.away).slice(0, 2);
  const first = outline[0] as (typeof outline)[number];
  const vertical = Math.abs(first.dy) > Math.abs(first.dx);
  const pick = outline.reduce((best, e) => (vertical ? e.mid.x < best.mid.x : e.mid.y > best.mid.y) ? e : best);
  const title = vertical
    ? { x: pick.mid.x - TITLE_GAP, y: pick.mid.y, vertical }
    : { x: pick.mid.x, y: pick.mid.y + TITLE_GAP, vertical };
  return { from: pick.from, to: pick.to, title };
}
