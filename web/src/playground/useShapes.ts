/**
 * Live shapes and parameter counts of the layers being built (``POST /api/nets/shapes``),
 * asked for a moment after the learner stops editing. A problem, the server's or a value the
 * form cannot send yet, is addressed to the layer it concerns.
 */

import { useEffect, useState } from "react";
import { ApiError, call, errorMessage } from "../api/client";
import { useApi } from "../api/context";
import type { ShapesOut } from "../api/types";
import { dataConfig, type PlaygroundForm } from "./form";
import { layerIndexOf, toSpecLayers } from "./layers";

export const SHAPES_DEBOUNCE_MS = 250;

export interface LayerProblem {
  /** The layer it concerns, or null for the network as a whole. */
  index: number | null;
  message: string;
}

export interface Shapes {
  shapes: ShapesOut | null;
  problem: LayerProblem | null;
  loading: boolean;
}

/** A server message such as ``spec.layers.1.units: Input should be ...`` as a layer problem. */
export function problemFrom(field: string | null, message: string): LayerProblem {
  const index = layerIndexOf(field ?? message.split(":")[0] ?? "");
  const text = field === null && index !== null ? message.slice(message.indexOf(":") + 1).trim() : message;
  return { index, message: text };
}

export function useShapes(form: PlaygroundForm): Shapes {
  const api = useApi();
  const layers = toSpecLayers(form.layers);
  const needsTable = form.dataset === "csv" && form.table === null;
  const body = layers.ok && !needsTable ? { spec: { layers: layers.value }, data: dataConfig(form) } : null;
  const key = body ? JSON.stringify(body) : null;
  const [answer, setAnswer] = useState<{ key: string; shapes: ShapesOut | null; problem: LayerProblem | null } | null>(null);

  useEffect(() => {
    if (key === null) return;
    let cancelled = false;
    const timer = setTimeout(() => {
      call(api.rest.POST("/api/nets/shapes", { body: JSON.parse(key) as never })).then(
        (shapes) => {
          if (cancelled) return;
          const problem = shapes.error ? problemFrom(shapes.error.field, shapes.error.message) : null;
          setAnswer({ key, shapes, problem });
        },
        (e: unknown) => {
          if (cancelled) return;
          const problem = e instanceof ApiError && e.status === 422 ? problemFrom(null, e.message) : { index: null, message: errorMessage(e) };
          setAnswer({ key, shapes: null, problem });
        },
      );
    }, SHAPES_DEBOUNCE_MS);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [api, key]);

  if (!layers.ok) return { shapes: null, problem: { index: layers.index ?? null, message: layers.error }, loading: false };
  if (needsTable) return { shapes: null, problem: null, loading: false };
  const current = answer?.key === key ? answer : null;
  // While a new answer is on its way, keep showing the last one (no flicker while typing).
  return { shapes: current?.shapes ?? answer?.shapes ?? null, problem: current?.problem ?? null, loading: current === null };
}
