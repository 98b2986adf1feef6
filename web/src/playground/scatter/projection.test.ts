import { describe, expect, it } from "vitest";
import { axisEdge, DEFAULT_VIEW, farFirst, fitScale, keyTurn, normalise, project, rotate, turn, type Vec3 } from "./projection";

const length = (p: Vec3) => Math.hypot(...p);
const close = (a: readonly number[], b: readonly number[]) => a.forEach((v, i) => expect(v).toBeCloseTo(b[i] as number, 9));

describe("3-D scatter projection", () => {
  it("rotation keeps lengths and angles (an orthonormal map)", () => {
    const points: Vec3[] = [
      [1, 0, 0],
      [0.3, -0.7, 0.2],
      [-1, 1, 1],
    ];
    for (const view of [DEFAULT_VIEW, { yaw: 2.1, pitch: -1.2 }, { yaw: -3, pitch: Math.PI / 2 }]) {
      for (const p of points) expect(length(rotate(p, view))).toBeCloseTo(length(p), 12);
      const [a, b] = [rotate(points[0] as Vec3, view), rotate(points[1] as Vec3, view)];
      expect(a[0] * b[0] + a[1] * b[1] + a[2] * b[2]).toBeCloseTo(0.3, 12);
    }
  });

  it("faces the x-z plane at yaw = pitch = 0: x lands right of the centre, z above it", () => {
    const screen = { cx: 300, cy: 300, scale: 100 };
    const view = { yaw: 0, pitch: 0 };
    close(Object.values(project([1, 0, 0], view, screen)), [400, 300, 0]);
    close(Object.values(project([0, 0, 1], view, screen)), [300, 200, 0]);
    expect(project([0, 1, 0], view, screen).depth).toBeCloseTo(1, 12); // y points away
  });

  it("a quarter turn brings the y axis to the right and x towards the viewer", () => {
    const view = { yaw: Math.PI / 2, pitch: 0 };
    close(rotate([0, 1, 0], view), [1, 0, 0]);
    close(rotate([1, 0, 0], view), [0, 0, -1]);
  });

  it("looking straight down shows the x-y plane with y up", () => {
    const view = { yaw: 0, pitch: Math.PI / 2 };
    close(rotate([0, 1, 0], view), [0, 1, 0]);
    close(rotate([0, 0, 1], view), [0, 0, -1]); // z comes straight at the viewer
  });

  it("turns by the arrow keys, wraps the yaw and stops the pitch at the poles", () => {
    expect(keyTurn("ArrowRight")?.[0]).toBeGreaterThan(0);
    expect(keyTurn("ArrowUp")?.[1]).toBeGreaterThan(0);
    expect(keyTurn("Enter")).toBeNull();
    let view = DEFAULT_VIEW;
    for (let i = 0; i < 20; i++) view = turn(view, 0, 0.3);
    expect(view.pitch).toBeCloseTo(Math.PI / 2, 12);
    view = turn({ yaw: 3, pitch: 0 }, 0.5, 0);
    expect(view.yaw).toBeCloseTo(3.5 - 2 * Math.PI, 12);
  });

  it("normalises each axis to [-1, 1], paints far points first, fits the cube", () => {
    expect(normalise(5, [0, 10])).toBe(0);
    expect(normalise(10, [0, 10])).toBe(1);
    expect(normalise(3, [3, 3])).toBe(0);
    expect(farFirst([0.1, 0.9, -0.5])).toEqual([1, 0, 2]);
    const scale = fitScale(600, 20);
    for (const view of [DEFAULT_VIEW, { yaw: 0.7, pitch: 0.6 }]) {
      const p = project([1, 1, 1], view, { cx: 300, cy: 300, scale });
      expect(Math.hypot(p.x - 300, p.y - 300)).toBeLessThanOrEqual(280 + 1e-9);
    }
  });
});

type Pt = { x: number; y: number };

/** Whether ``p`` lies inside the convex polygon ``hull`` (counter-clockwise, canvas axes). */
function inside(p: Pt, hull: readonly Pt[]): boolean {
  return hull.every((a, i) => {
    const b = hull[(i + 1) % hull.length] as Pt;
    return (b.x - a.x) * (p.y - a.y) - (b.y - a.y) * (p.x - a.x) >= 0;
  });
}

/** The convex hull of ``points`` (Andrew's monotone chain). */
function convexHull(points: readonly Pt[]): Pt[] {
  const sorted = [...points].sort((a, b) => a.x - b.x || a.y - b.y);
  const cross = (o: Pt, a: Pt, b: Pt) => (a.x - o.x) * (b.y - o.y) - (a.y - o.y) * (b.x - o.x);
  const half = (pts: Pt[]) => {
    const out: Pt[] = [];
    for (const p of pts) {
      while (out.length >= 2 && cross(out[out.length - 2] as Pt, out[out.length - 1] as Pt, p) <= 0) out.pop();
      out.push(p);
    }
    return out.slice(0, -1);
  };
  return [...half(sorted), ...half([...sorted].reverse())];
}

describe("3-D axes", () => {
  const screen = { cx: 300, cy: 300, scale: fitScale(600, 44) };
  const views = [DEFAULT_VIEW, { yaw: 0.7, pitch: 0.6 }, { yaw: 2.4, pitch: -0.4 }, { yaw: -2, pitch: 1.2 }];

  it("puts every axis title outside the cube's outline, so no title covers the points", () => {
    for (const view of views) {
      const corners = [-1, 1].flatMap((x) => [-1, 1].flatMap((y) => [-1, 1].map((z) => project([x, y, z] as Vec3, view, screen))));
      const hull = convexHull(corners);
      expect(inside({ x: 300, y: 300 }, hull)).toBe(true); // the check can say "inside"
      for (const k of [0, 1, 2] as const) {
        const { from, to, title } = axisEdge(k, view, screen);
        expect(inside(title, hull)).toBe(false);
        expect(from[k]).toBe(-1); // the edge runs along axis k, low end first
        expect(to[k]).toBe(1);
        expect(from.filter((_, i) => i !== k)).toEqual(to.filter((_, i) => i !== k));
        expect(title.x).toBeGreaterThan(0); // and on the canvas
        expect(title.x).toBeLessThan(600);
        expect(title.y).toBeLessThan(600);
      }
    }
  });

  it("draws the default view's vertical axis on the left outline edge, its title turned", () => {
    const { title } = axisEdge(2, DEFAULT_VIEW, screen);
    expect(title.vertical).toBe(true);
    const corners = [-1, 1].flatMap((x) => [-1, 1].flatMap((y) => [-1, 1].map((z) => project([x, y, z] as Vec3, DEFAULT_VIEW, screen))));
    expect(title.x).toBeLessThan(Math.min(...corners.map((c) => c.x)));
    expect(axisEdge(0, DEFAULT_VIEW, screen).title.vertical).toBe(false);
  });
});

describe("scatter colours", () => {
  it("runs the target scale from orange to blue and keeps classes in their colours", async () => {
    const { labelColor } = await import("./paint");
    expect(labelColor("regression", 0, [0, 10])).toBe("rgb(214, 96, 0)");
    expect(labelColor("regression", 10, [0, 10])).toBe("rgb(8, 80, 150)");
    expect(labelColor("regression", 5, [0, 10])).toBe("rgb(150, 104, 168)");
    expect(labelColor("regression", 99, [0, 10])).toBe("rgb(8, 80, 150)"); // clamped
    expect(labelColor("binary", 1, [0, 1])).toBe("rgb(11, 111, 179)");
  });
});
