/**
 * The Playground's commands against the server: create a run, control it, and send
 * hyperparameter changes while it is live (debounced, only what changed).
 */

import { useCallback, useEffect, useState } from "react";
import { call, errorMessage } from "../api/client";
import { useApi } from "../api/context";
import type { LiveAction } from "../api/liveState";
import type { ControlAction, HyperparameterUpdate, RunCreate, RunOut } from "../api/types";

export const SET_DEBOUNCE_MS = 400;

export interface PlaygroundCommands {
  busy: boolean;
  error: string | null;
  clearError(): void;
  /** Create (and start) a run; resolves to it, or null after showing why not. */
  create(body: RunCreate): Promise<RunOut | null>;
  control(action: ControlAction, hyperparameters?: HyperparameterUpdate): Promise<RunOut | null>;
  fail(message: string): void;
}

export function usePlaygroundCommands(runId: string | null, dispatch: (action: LiveAction) => void): PlaygroundCommands {
  const api = useApi();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const run = useCallback(async <T,>(work: () => Promise<T>, showBusy: boolean): Promise<T | null> => {
    if (showBusy) setBusy(true);
    try {
      const result = await work();
      setError(null);
      return result;
    } catch (e) {
      setError(errorMessage(e));
      return null;
    } finally {
      if (showBusy) setBusy(false);
    }
  }, []);

  const create = useCallback(
    (body: RunCreate) => run(() => call(api.rest.POST("/api/runs", { body })), true),
    [api, run],
  );

  const control = useCallback(
    async (action: ControlAction, hyperparameters?: HyperparameterUpdate) => {
      if (runId === null) return null;
      const body = hyperparameters ? { action, hyperparameters } : { action };
      const updated = await run(
        () => call(api.rest.POST("/api/runs/{run_id}/control", { params: { path: { run_id: runId } }, body })),
        action !== "set",
      );
      if (updated) dispatch({ type: "run", run: updated });
      return updated;
    },
    [api, dispatch, run, runId],
  );

  return { busy, error, clearError: () => setError(null), create, control, fail: setError };
}

/** Send ``update`` with ``control`` after the user stopped changing it for a moment. */
export function useDebouncedSet(
  update: HyperparameterUpdate | null,
  control: PlaygroundCommands["control"],
): void {
  const key = update ? JSON.stringify(update) : null;
  useEffect(() => {
    if (key === null) return;
    const timer = setTimeout(() => void control("set", JSON.parse(key) as HyperparameterUpdate), SET_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [key, control]);
}
