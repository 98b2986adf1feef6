"""Layered top-to-bottom layout of the architecture graph (pure; no I/O).

The Python port of the web app's ``web/src/analytics/graphLayout.ts``, so the HTML report draws
the same picture as the Analytics page. A small Sugiyama-style layout (Sugiyama, Tagawa & Toda
1981): ranks by longest path from the inputs (Kahn's order, so every edge points down); within
a rank, nodes are ordered by the barycenter of their parents' columns (one downward sweep, which
keeps a chain in one column and opens branches to the right) and each takes the free column
nearest it, so boxes never overlap. An edge that spans more than one rank is a skip connection
(a residual, or any branch that bypasses layers): it is drawn as a curve around the right of
the ranks it skips instead of a straight line through their nodes.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

NODE_W = 176
LAYER_H = 40
OP_H = 26
GAP_X = 28
GAP_Y = 26
MARGIN = 12
SKIP_ROOM = 56  # room on the right for the curves of skip connections


@dataclass(frozen=True)
class PlacedNode:
    id: str
    rank: int
    x: float
    y: float
    w: float
    h: float
    is_layer: bool


@dataclass(frozen=True)
class PlacedEdge:
    source: str
    target: str
    skip: bool
    path: str


@dataclass(frozen=True)
class Layout:
    nodes: list[PlacedNode]
    edges: list[PlacedEdge]
    width: float
    height: float


def ranks(ids: Sequence[str], edges: Sequence[tuple[str, str]]) -> dict[str, int]:
    """Longest-path rank of each node; a node on a cycle (never in a real graph) goes last."""
    parents: dict[str, list[str]] = {i: [] for i in ids}
    children: dict[str, list[str]] = {i: [] for i in ids}
    for a, b in edges:
        parents[b].append(a)
        children[a].append(b)
    indegree = {i: len(parents[i]) for i in ids}
    queue = [i for i in ids if indegree[i] == 0]
    rank: dict[str, int] = {}
    for node in queue:  # the queue grows while it is read: Kahn's algorithm in input order
        rank[node] = max([0, *(rank.get(p, -1) + 1 for p in parents[node])])
        for c in children[node]:
            indegree[c] -= 1
            if indegree[c] == 0:
                queue.append(c)
    nxt = max([-1, *rank.values()]) + 1
    for i in ids:
        if i not in rank:
            rank[i] = nxt
            nxt += 1
    return rank


def _f(x: float) -> str:
    return f"{x:.1f}".removesuffix(".0")


def layout_graph(nodes: Sequence[tuple[str, bool]], edges: Sequence[tuple[str, str]]) -> Layout:
    """Place ``nodes`` (``(id, is_layer)`` in execution order) in ranks and route ``edges``."""
    ids = list(dict.fromkeys(i for i, _ in nodes))
    is_layer = dict(nodes)
    known = [(a, b) for a, b in edges if a in is_layer and b in is_layer and a != b]
    rank = ranks(ids, known)
    depth = max([0, *rank.values()]) + 1
    rows: list[list[str]] = [[] for _ in range(depth)]
    for i in ids:
        rows[rank[i]].append(i)
    parents: dict[str, list[str]] = {i: [] for i in ids}
    for a, b in known:
        parents[b].append(a)
    column: dict[str, int] = {}
    for row in rows:
        bary: list[float | None] = []
        for i in row:
            ps = [column[p] for p in parents[i] if p in column]
            bary.append(sum(ps) / len(ps) if ps else None)
        present = [b for b in bary if b is not None]
        fallback = sum(present) / len(present) if present else 0.0
        order = sorted(
            (c if c is not None else fallback, k, i)
            for k, (i, c) in enumerate(zip(row, bary, strict=True))
        )
        prev = -math.inf
        for centre, _, i in order:  # the free column nearest the parents (halves round left)
            prev = max(math.ceil(centre - 0.5), prev + 1)
            column[i] = int(prev)
    min_col, max_col = min([0, *column.values()]), max([0, *column.values()])
    placed = []
    for i in ids:
        h = LAYER_H if is_layer[i] else OP_H
        x = MARGIN + (column[i] - min_col) * (NODE_W + GAP_X)
        y = MARGIN + rank[i] * (LAYER_H + GAP_Y) + (LAYER_H - h) / 2
        placed.append(PlacedNode(i, rank[i], x, y, NODE_W, h, is_layer[i]))
    at = {p.id: p for p in placed}
    width = MARGIN * 2 + (max_col - min_col) * (NODE_W + GAP_X) + NODE_W + SKIP_ROOM
    height = MARGIN * 2 + depth * (LAYER_H + GAP_Y) - GAP_Y
    skip_count: dict[str, int] = {}
    routed = []
    for src, dst in known:
        u, v = at[src], at[dst]
        skip = v.rank - u.rank > 1
        if not skip:
            x1, y1, x2, y2 = u.x + u.w / 2, u.y + u.h, v.x + v.w / 2, v.y
            my = (y1 + y2) / 2
            path = f"M {_f(x1)} {_f(y1)} C {_f(x1)} {_f(my)} {_f(x2)} {_f(my)} {_f(x2)} {_f(y2)}"
        else:
            k = skip_count.get(src, 0)
            skip_count[src] = k + 1
            x1, y1, x2, y2 = u.x + u.w, u.y + u.h / 2, v.x + v.w, v.y + v.h / 2
            out = max(x1, x2) + 22 + 10 * (k % 3)
            path = f"M {_f(x1)} {_f(y1)} C {_f(out)} {_f(y1)} {_f(out)} {_f(y2)} {_f(x2)} {_f(y2)}"
        routed.append(PlacedEdge(src, dst, skip, path))
    return Layout(placed, routed, width, height)


def overlaps(a: PlacedNode, b: PlacedNode) -> bool:
    """True when two placed boxes overlap (for tests and sanity checks)."""
    return a.x < b.x + b.w and b.x < a.x + a.w and a.y < b.y + b.h and b.y < a.y + a.h
