/**
 * Drag and drop for the architecture builder on pointer events, so one code path serves a
 * mouse, a pen and a finger (HTML5 drag and drop never fires for touch). A press that moves
 * less than {@link DRAG_THRESHOLD_PX} stays a click (the keyboard and tap path).
 */

import { useCallback, useEffect, useRef, useState, type PointerEvent as ReactPointerEvent, type RefObject } from "react";
import type { LayerType } from "../api/types";

export const DRAG_THRESHOLD_PX = 6;

export type DragSource = { kind: "palette"; type: LayerType } | { kind: "layer"; index: number };

export interface DragState {
  source: DragSource;
  x: number;
  y: number;
  /** Where the layer would land in the stack, or null outside it. */
  over: number | null;
}

/** The insertion index for a pointer at ``y``: how many item midpoints lie above it. */
export function dropIndexAt(y: number, midpoints: readonly number[]): number {
  return midpoints.filter((mid) => mid < y).length;
}

function inside(rect: DOMRect, x: number, y: number, slack: number): boolean {
  return x >= rect.left - slack && x <= rect.right + slack && y >= rect.top - slack && y <= rect.bottom + slack;
}

interface Options {
  /** The stack's element; its children with ``data-layer-index`` are the drop targets. */
  stackRef: RefObject<HTMLElement | null>;
  onDrop(source: DragSource, index: number): void;
}

export interface LayerDrag {
  drag: DragState | null;
  /** Attach to ``onPointerDown`` of a palette item or a layer's handle. */
  start(event: ReactPointerEvent, source: DragSource): void;
  /** True once after a drag ended, so the click that follows it is ignored. */
  consumeClick(): boolean;
}

export function useLayerDrag({ stackRef, onDrop }: Options): LayerDrag {
  const [drag, setDrag] = useState<DragState | null>(null);
  const pressRef = useRef<{ source: DragSource; x: number; y: number; moved: boolean } | null>(null);
  const suppressRef = useRef(false);
  const onDropRef = useRef(onDrop);
  useEffect(() => {
    onDropRef.current = onDrop;
  });

  const overAt = useCallback(
    (x: number, y: number): number | null => {
      const stack = stackRef.current;
      if (!stack || !inside(stack.getBoundingClientRect(), x, y, 24)) return null;
      const items = [...stack.querySelectorAll<HTMLElement>("[data-layer-index]")];
      const mids = items.map((el) => {
        const r = el.getBoundingClientRect();
        return r.top + r.height / 2;
      });
      return dropIndexAt(y, mids);
    },
    [stackRef],
  );

  useEffect(() => {
    const move = (e: PointerEvent) => {
      const press = pressRef.current;
      if (!press) return;
      if (!press.moved && Math.hypot(e.clientX - press.x, e.clientY - press.y) < DRAG_THRESHOLD_PX) return;
      press.moved = true;
      e.preventDefault();
      setDrag({ source: press.source, x: e.clientX, y: e.clientY, over: overAt(e.clientX, e.clientY) });
    };
    const end = (e: PointerEvent) => {
      const press = pressRef.current;
      pressRef.current = null;
      if (!press?.moved) return;
      suppressRef.current = true;
      setTimeout(() => (suppressRef.current = false), 0);
      setDrag(null);
      const over = e.type === "pointerup" ? overAt(e.clientX, e.clientY) : null;
      if (over !== null) onDropRef.current(press.source, over);
    };
    window.addEventListener("pointermove", move);
    window.addEventListener("pointerup", end);
    window.addEventListener("pointercancel", end);
    return () => {
      window.removeEventListener("pointermove", move);
      window.removeEventListener("pointerup", end);
      window.removeEventListener("pointercancel", end);
    };
  }, [overAt]);

  const start = useCallback((event: ReactPointerEvent, source: DragSource) => {
    if (event.button !== 0) return;
    pressRef.current = { source, x: event.clientX, y: event.clientY, moved: false };
  }, []);

  const consumeClick = useCallback(() => {
    const suppressed = suppressRef.current;
    suppressRef.current = false;
    return suppressed;
  }, []);

  return { drag, start, consumeClick };
}
