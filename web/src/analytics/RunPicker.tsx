/**
 * "Pick a model from a run": the recent runs, each with an Analyze button that registers the run's
 * model (``POST /api/models/from-run/{run_id}``) and opens its report. A Playground run has a
 * model while this server holds it and, once it has ended, when its final model was stored
 * (``model_available``); watched runs record statistics only, and a run whose server was killed
 * kept no model: both are listed, without a button, saying why.
 */

import { useState } from "react";
import { call } from "../api/client";
import { useApi } from "../api/context";
import type { ModelOut } from "../api/types";
import { useRequest } from "../api/useRequest";
import { ErrorBanner } from "../components/ErrorBanner";

export function RunPicker({ onPicked }: { onPicked: (model: ModelOut) => void }) {
  const api = useApi();
  const runs = useRequest("an-runs", () => call(api.rest.GET("/api/runs", { params: { query: { limit: 20 } } })));
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const items = runs.data?.items ?? [];

  async function pick(runId: string) {
    setBusy(runId);
    setError(null);
    try {
      onPicked(await call(api.rest.POST("/api/models/from-run/{run_id}", { params: { path: { run_id: runId } } })));
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(null);
    }
  }

  return (
    <section className="panel an-runs" aria-label="Models of runs" data-testid="an-runs">
      <header className="panel-header">
        <h2>Pick a model from a run</h2>
        <button type="button" className="button button-quiet" onClick={runs.reload} disabled={runs.loading}>
          Refresh
        </button>
      </header>
      <ErrorBanner message={runs.error ? `The runs could not be listed: ${runs.error}` : null} />
      <ErrorBanner message={error} onDismiss={() => setError(null)} />
      {runs.loading && <p className="loading">Loading runs…</p>}
      {runs.data && items.length === 0 && (
        <div className="empty-state" data-testid="an-runs-empty">
          <p>No run yet.</p>
          <p>
            Train a network in the <a href="#/">Playground</a>: its model can then be analysed here with its real layers, FLOPs and latency.
          </p>
        </div>
      )}
      {items.length > 0 && (
        <ul className="an-run-list">
          {items.map((run) => {
            const watched = run.kind === "watch";
            const noModel = !watched && !run.live && !run.model_available;
            return (
              <li key={run.id} data-run={run.id}>
                <span className="an-run-name">{run.name}</span>
                <span className="hint">
                  {watched ? "watched script" : "Playground"} · {run.status} · step {run.last_step}
                </span>
                {watched ? (
                  <span className="hint an-run-none">statistics only, no weights</span>
                ) : noModel ? (
                  <span className="hint an-run-none">ended without a stored model</span>
                ) : (
                  <button
                    type="button"
                    className="button"
                    disabled={busy !== null}
                    onClick={() => void pick(run.id)}
                    aria-label={`Analyze the model of run ${run.name} (${run.id.slice(0, 8)})`}
                  >
                    {busy === run.id ? "Registering…" : "Analyze"}
                  </button>
                )}
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
