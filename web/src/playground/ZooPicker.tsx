/**
 * "Start from a pre-trained model": the model zoo (``GET /api/zoo``) with each model's
 * validation accuracy; "Fine-tune" starts a Playground run from its trained weights
 * (``POST /api/zoo/{name}/runs``) and "Inspect" registers it with Analytics
 * (``POST /api/zoo/{name}/analyze``) and opens it there.
 */

import { useState } from "react";
import { call, errorMessage } from "../api/client";
import { useApi } from "../api/context";
import type { ZooModelOut } from "../api/types";
import { useRequest } from "../api/useRequest";
import { ErrorBanner } from "../components/ErrorBanner";
import { navigate } from "../router";

type Busy = { name: string; action: "fine-tune" | "inspect" } | null;

function accuracy(model: ZooModelOut): string {
  const value = model.metrics["val/accuracy"];
  return value === undefined ? "–" : `${(value * 100).toFixed(1)}%`;
}

export function ZooPicker() {
  const api = useApi();
  const zoo = useRequest("zoo", () => call(api.rest.GET("/api/zoo")));
  const [busy, setBusy] = useState<Busy>(null);
  const [error, setError] = useState<string | null>(null);

  const act = async (name: string, action: "fine-tune" | "inspect") => {
    setBusy({ name, action });
    setError(null);
    const path = { params: { path: { name } } };
    try {
      if (action === "fine-tune") {
        const run = await call(api.rest.POST("/api/zoo/{name}/runs", { ...path, body: { start: true } }));
        navigate({ page: "playground", runId: run.id });
      } else {
        const model = await call(api.rest.POST("/api/zoo/{name}/analyze", path));
        navigate({ page: "analytics", modelId: model.id });
      }
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(null);
    }
  };

  const items = zoo.data?.items ?? [];
  return (
    <fieldset className="control-group pg-zoo" data-testid="pg-zoo" aria-busy={zoo.loading}>
      <legend>Start from a pre-trained model</legend>
      {zoo.loading && <p className="loading">Loading the model zoo…</p>}
      {zoo.error !== null && (
        <div className="pg-zoo-error" role="status">
          {/* A status, not an alert: the zoo is an extra, the page's own errors come first. */}
          <p className="pg-zoo-error-text">The model zoo could not be loaded: {zoo.error}</p>
          <button type="button" className="button" onClick={zoo.reload}>
            Try again
          </button>
        </div>
      )}
      {zoo.data && items.length === 0 && (
        <div className="pg-zoo-empty" data-testid="pg-zoo-empty">
          <p className="hint">
            No pre-trained models are installed yet. Run <code>{zoo.data.command}</code> where the server runs (about 15 s), then
            check again.
          </p>
          <button type="button" className="button" onClick={zoo.reload}>
            Check again
          </button>
        </div>
      )}
      {items.length > 0 && (
        <ul className="pg-zoo-list" aria-label="Pre-trained models">
          {items.map((model) => {
            const mine = busy?.name === model.name ? busy.action : null;
            return (
              <li key={model.name} className="pg-zoo-item" data-testid={`pg-zoo-${model.name}`}>
                <div className="pg-zoo-head">
                  <strong className="pg-zoo-title">{model.title}</strong>
                  <span className="pg-zoo-accuracy" title={`validation accuracy after ${model.steps} steps`}>
                    {accuracy(model)} <span className="pg-zoo-unit">val. accuracy</span>
                  </span>
                </div>
                <p className="pg-zoo-description">{model.description}</p>
                <div className="pg-zoo-actions">
                  <button
                    type="button"
                    className="button button-primary"
                    aria-label={`Fine-tune ${model.title}`}
                    data-testid={`pg-zoo-finetune-${model.name}`}
                    disabled={busy !== null}
                    onClick={() => void act(model.name, "fine-tune")}
                  >
                    {mine === "fine-tune" ? "Starting…" : "Fine-tune"}
                  </button>
                  <button
                    type="button"
                    className="button"
                    aria-label={`Inspect ${model.title} in Analytics`}
                    data-testid={`pg-zoo-inspect-${model.name}`}
                    disabled={busy !== null}
                    onClick={() => void act(model.name, "inspect")}
                  >
                    {mine === "inspect" ? "Opening…" : "Inspect"}
                  </button>
                </div>
              </li>
            );
          })}
        </ul>
      )}
      {zoo.data && zoo.data.missing.length > 0 && items.length > 0 && (
        <p className="hint">
          Not installed: {zoo.data.missing.join(", ")} (<code>{zoo.data.command}</code>).
        </p>
      )}
      <ErrorBanner message={error} onDismiss={() => setError(null)} />
    </fieldset>
  );
}
