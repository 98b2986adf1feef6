/**
 * A run's module map, loaded over REST (``GET /api/runs/{id}/modules``) and asked again every
 * few seconds while the run is live, with the controls that re-run the decomposition of the
 * run's current model (``POST /api/runs/{id}/modules/decompose``; Playground runs only), and
 * what-if previews for any module (``POST /api/runs/{id}/modules/{module}/what-if``; same runs).
 */

import { useEffect, useState, type FormEvent } from "react";
import { call, errorMessage } from "../api/client";
import { useApi } from "../api/context";
import { ErrorBanner } from "../components/ErrorBanner";
import { ModuleMap } from "./ModuleMap";
import type { DecomposeRequest, ModulesEvent } from "./types";

export const MODULES_POLL_MS = 3000;

type Method = NonNullable<DecomposeRequest["method"]>;

export interface ModulesPanelProps {
  runId: string;
  /** The run is still training: poll for new snapshots. */
  live: boolean;
  /** The server holds the run's model (Playground runs): offer the re-run controls. */
  canRerun: boolean;
}

function Controls({ runId, onResult }: { runId: string; onResult: (e: ModulesEvent) => void }) {
  const api = useApi();
  const [method, setMethod] = useState<Method>("components");
  const [k, setK] = useState("");
  const [threshold, setThreshold] = useState("");
  const [evaluate, setEvaluate] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const body: DecomposeRequest = { method, evaluate };
    if (method !== "components" && k) body.k = Number(k);
    if (method === "components" && threshold) body.threshold = Number(threshold);
    setBusy(true);
    setError(null);
    try {
      const event = await call(
        api.rest.POST("/api/runs/{run_id}/modules/decompose", { params: { path: { run_id: runId } }, body }),
      );
      onResult(event);
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="modmap-controls" onSubmit={submit} aria-label="Re-run the decomposition">
      <label>
        Method{" "}
        <select value={method} onChange={(e) => setMethod(e.target.value as Method)}>
          <option value="components">correlation components (default)</option>
          <option value="spectral">spectral</option>
          <option value="kmeans">k-means (caveat: groups by scale)</option>
          <option value="hierarchical">hierarchical</option>
        </select>
      </label>
      <label>
        k{" "}
        <input
          type="number"
          min={2}
          max={64}
          value={k}
          disabled={method === "components"}
          placeholder={method === "spectral" ? "auto" : method === "components" ? "auto" : "required"}
          onChange={(e) => setK(e.target.value)}
          aria-label="Number of modules per layer"
        />
      </label>
      <label>
        |corr| threshold{" "}
        <input
          type="number"
          min={0.01}
          max={0.99}
          step={0.01}
          value={threshold}
          disabled={method !== "components"}
          placeholder="auto"
          onChange={(e) => setThreshold(e.target.value)}
          aria-label="Correlation threshold"
        />
      </label>
      <label>
        <input type="checkbox" checked={evaluate} onChange={(e) => setEvaluate(e.target.checked)} /> ablation metrics
        (slower)
      </label>
      <button type="submit" className="button" disabled={busy}>
        {busy ? "Decomposing…" : "Re-run decomposition"}
      </button>
      <ErrorBanner message={error} onDismiss={() => setError(null)} />
    </form>
  );
}

export function ModulesPanel({ runId, live, canRerun }: ModulesPanelProps) {
  const api = useApi();
  const [tick, setTick] = useState(0);
  const [explored, setExplored] = useState<ModulesEvent | null>(null);
  // The last answer stays on screen while the next one loads (no flicker while polling).
  const [held, setHeld] = useState<{ runId: string; snapshots: ModulesEvent[] } | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let cancelled = false;
    call(api.rest.GET("/api/runs/{run_id}/modules", { params: { path: { run_id: runId } } })).then(
      (out) => {
        if (cancelled) return;
        setHeld({ runId, snapshots: out.snapshots });
        setError(null);
      },
      (e: unknown) => {
        if (!cancelled) setError(errorMessage(e));
      },
    );
    return () => {
      cancelled = true;
    };
  }, [api, runId, tick]);
  useEffect(() => {
    if (!live) return;
    const timer = setTimeout(() => setTick((t) => t + 1), MODULES_POLL_MS);
    return () => clearTimeout(timer);
  }, [live, tick]);

  const current = held !== null && held.runId === runId ? held.snapshots : null;
  const snapshots = current ?? [];
  return (
    <section className="modmap-panel" aria-label="Functional modules">
      <h2>Functional modules</h2>
      <ErrorBanner message={error ? `Could not load the modules: ${error}. It asks again while the run is live.` : null} />
      {current === null && !error && <p role="status">Loading modules…</p>}
      {current !== null && snapshots.length === 0 && (
        <p data-testid="modmap-none">
          No module snapshots yet. Modules are decomposed on a probe batch every few hundred steps (Playground runs
          from step 200; watched runs when you pass <code>watch(model, probe=(inputs, targets))</code>).
        </p>
      )}
      {canRerun && snapshots.length > 0 && <Controls runId={runId} onResult={setExplored} />}
      {snapshots.length > 0 && (
        <ModuleMap
          snapshots={snapshots}
          explored={explored}
          onLeaveExplored={() => setExplored(null)}
          runId={canRerun ? runId : null}
        />
      )}
    </section>
  );
}
