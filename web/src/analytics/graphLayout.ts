/**
 * Layered top-to-bottom layout of the architecture graph (pure; no DOM).
 *
 * A small Sugiyama-style layout (Sugiyama, Tagawa & Toda 1981): ranks by longest path from the
 * inputs, so every edge points down; within a rank, nodes are ordered by the barycenter of their
 * parents' columns (one downward sweep) and each takes the free column nearest it. Each node
 * gets its own slot, so boxes never overlap. An edge that spans more than one rank is a skip connection (a residual,
 * or any branch that bypasses layers): it is drawn as a curve around the right of the ranks it
 * skips instead of a straight line through their nodes.
 */

export interface GraphNodeIn {
  id: string;
  op: string;
  kind: string;
  target: string;
  layer?: string | null;
}

export interface GraphEdgeIn {
  source: string;
  target: string;
}

export interface PlacedNode {
  id: string;
  rank: number;
  x: number;
  y: number;
  w: number;
  h: number;
  /** A layer node (has a module/layer name) is drawn taller than a tensor op. */
  isLayer: boolean;
}

export interface PlacedEdge {
  source: string;
  target: string;
  /** Spans more than one rank: drawn as a curve. */
  skip: boolean;
  path: string;
}

export interface Layout {
  nodes: PlacedNode[];
  edges: PlacedEdge[];
  width: number;
  height: number;
}

export const NODE_W = 176;
export const LAYER_H = 40;
export const OP_H = 26;
const GAP_X = 28;
const GAP_Y = 26;
const MARGIN = 12;
/** Room on the right for the curves of skip connections. */
const SKIP_ROOM = 56;

function ranks(ids: string[], edges: GraphEdgeIn[]): Map<string, number> {
  const parents = new Map<string, string[]>(ids.map((id) => [id, []]));
  const children = new Map<string, string[]>(ids.map((id) => [id, []]));
  for (const e of edges) {
    if (!parents.has(e.source) || !parents.has(e.target) || e.source === e.target) continue;
    parents.get(e.target)?.push(e.source);
    children.get(e.source)?.push(e.target);
  }
  // Kahn's algorithm in input order; a node on a cycle (never in a real graph) is placed after.
  const indegree = new Map(ids.map((id) => [id, parents.get(id)?.length ?? 0]));
  const queue = ids.filter((id) => indegree.get(id) === 0);
  const rank = new Map<string, number>();
  for (let i = 0; i < queue.length; i++) {
    const id = queue[i] as string;
    rank.set(id, Math.max(0, ...(parents.get(id) ?? []).map((p) => (rank.get(p) ?? -1) + 1)));
    for (const c of children.get(id) ?? []) {
      const left = (indegree.get(c) ?? 0) - 1;
      indegree.set(c, left);
      if (left === 0) queue.push(c);
    }
  }
  let next = Math.max(-1, ...rank.values()) + 1;
  for (const id of ids) if (!rank.has(id)) rank.set(id, next++);
  return rank;
}

/** Place ``nodes`` (in execution order) in ranks and route ``edges``. */
export function layoutGraph(nodes: GraphNodeIn[], edges: GraphEdgeIn[]): Layout {
  const ids = [...new Set(nodes.map((n) => n.id))];
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const known = edges.filter((e) => byId.has(e.source) && byId.has(e.target) && e.source !== e.target);
  const rank = ranks(ids, known);
  const depth = Math.max(0, ...rank.values()) + 1;
  const rows: string[][] = Array.from({ length: depth }, () => []);
  for (const id of ids) rows[rank.get(id) as number]?.push(id);
  const parents = new Map<string, string[]>(ids.map((id) => [id, []]));
  for (const e of known) parents.get(e.target)?.push(e.source);
  const column = new Map<string, number>();
  for (const row of rows) {
    const bary = row.map((id) => {
      const ps = (parents.get(id) ?? []).filter((p) => column.has(p));
      return ps.length ? ps.reduce((s, p) => s + (column.get(p) as number), 0) / ps.length : null;
    });
    const known = bary.filter((b): b is number => b !== null);
    const fallback = known.length ? known.reduce((s, b) => s + b, 0) / known.length : 0;
    const order = row.map((id, i) => ({ id, i, b: bary[i] ?? fallback })).sort((a, b) => a.b - b.b || a.i - b.i);
    // Each node goes to the free column nearest its parents (halves round left, so the main
    // chain keeps its column and branches open to the right).
    let prev = -Infinity;
    for (const o of order) {
      prev = Math.max(Math.ceil(o.b - 0.5), prev + 1);
      column.set(o.id, prev);
    }
  }
  const cols = [...column.values()];
  const minCol = Math.min(0, ...cols);
  const maxCol = Math.max(0, ...cols);
  const placed: PlacedNode[] = ids.map((id) => {
    const n = byId.get(id) as GraphNodeIn;
    const isLayer = Boolean(n.layer);
    const h = isLayer ? LAYER_H : OP_H;
    const r = rank.get(id) as number;
    return {
      id,
      rank: r,
      x: MARGIN + ((column.get(id) as number) - minCol) * (NODE_W + GAP_X),
      y: MARGIN + r * (LAYER_H + GAP_Y) + (LAYER_H - h) / 2,
      w: NODE_W,
      h,
      isLayer,
    };
  });
  const at = new Map(placed.map((p) => [p.id, p]));
  const width = MARGIN * 2 + (maxCol - minCol) * (NODE_W + GAP_X) + NODE_W + SKIP_ROOM;
  const height = MARGIN * 2 + depth * (LAYER_H + GAP_Y) - GAP_Y;
  const skipCount = new Map<string, number>();
  const placedEdges = known.map((e) => {
    const a = at.get(e.source) as PlacedNode;
    const b = at.get(e.target) as PlacedNode;
    const skip = b.rank - a.rank > 1;
    if (!skip) {
      const [x1, y1, x2, y2] = [a.x + a.w / 2, a.y + a.h, b.x + b.w / 2, b.y];
      const my = (y1 + y2) / 2;
      return { ...e, skip, path: `M ${x1} ${y1} C ${x1} ${my} ${x2} ${my} ${x2} ${y2}` };
    }
    const k = skipCount.get(e.source) ?? 0;
    skipCount.set(e.source, k + 1);
    const [x1, y1, x2, y2] = [a.x + a.w, a.y + a.h / 2, b.x + b.w, b.y + b.h / 2];
    const out = Math.max(x1, x2) + 22 + 10 * (k % 3);
    return { ...e, skip, path: `M ${x1} ${y1} C ${out} ${y1} ${out} ${y2} ${x2} ${y2}` };
  });
  return { nodes: placed, edges: placedEdges, width, height };
}

/** True when two placed boxes overlap (for tests and sanity checks). */
export function overlaps(a: PlacedNode, b: PlacedNode): boolean {
  return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

const SEVERITY_RANK: Record<string, number> = { info: 1, warning: 2, critical: 3 };

/** Worst Finding severity per layer name ("ok" when it has none); containers take their children's worst. */
export function worstSeverity(
  layer: string | null | undefined,
  findings: { layer?: string | null; severity: string }[],
  container = false,
): "ok" | "info" | "warning" | "critical" {
  if (!layer) return "ok";
  let worst = 0;
  for (const f of findings) {
    if (!f.layer) continue;
    if (f.layer === layer || (container && f.layer.startsWith(`${layer}.`))) {
      worst = Math.max(worst, SEVERITY_RANK[f.severity] ?? 0);
    }
  }
  return (["ok", "info", "warning", "critical"] as const)[worst] ?? "ok";
}

/** A label that fits ``max`` characters, cut in the middle (layer names differ at both ends). */
export function fitLabel(text: string, max: number): string {
  if (text.length <= max) return text;
  const head = Math.ceil((max - 1) / 2);
  return `${text.slice(0, head)}…${text.slice(text.length - (max - 1 - head))}`;
}
