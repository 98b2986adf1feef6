/** One model's report: loads ``GET /api/models/{id}`` and ``/report`` (computed on first use). */

import { useState } from "react";
import { call } from "../api/client";
import { useApi } from "../api/context";
import { useRequest } from "../api/useRequest";
import { ErrorBanner } from "../components/ErrorBanner";
import { ArchitecturePanel, CostPanel, OptimizationPanel } from "./CostPanel";
import { saveBlob, saveText } from "../components/saveFile";
import { ArchitectureGraph } from "./ArchitectureGraph";
import { HealthPanel } from "./HealthPanel";
import { LayerTable } from "./LayerTable";
import { formatBytes } from "./model";
import { WeightsPanel } from "./WeightsPanel";

export function ModelView({ id }: { id: string }) {
  const api = useApi();
  const params = { params: { path: { model_id: id } } };
  const model = useRequest(`model:${id}`, () => call(api.rest.GET("/api/models/{model_id}", params)));
  const report = useRequest(`report:${id}`, () => call(api.rest.GET("/api/models/{model_id}/report", params)));
  const r = report.data;
  const name = model.data?.name ?? id.slice(0, 12);
  const [selected, setSelected] = useState<string | null>(null);
  const [exportError, setExportError] = useState<string | null>(null);
  const [exporting, setExporting] = useState(false);
  // Fetched with the client (not a plain link) so a server token travels in the header.
  const saveHtml = async () => {
    setExporting(true);
    setExportError(null);
    try {
      const blob = await call(api.rest.GET("/api/models/{model_id}/report.html", { ...params, parseAs: "blob" }));
      saveBlob(blob as Blob, `${name.replace(/\.[^.]+$/, "")}.report.html`);
    } catch (e) {
      setExportError(`The HTML report could not be made: ${e instanceof Error ? e.message : String(e)}`);
    } finally {
      setExporting(false);
    }
  };
  return (
    <div className="an-page">
      <nav className="an-back">
        <a href="#/analytics">← All models</a>
      </nav>
      <header className="page-header">
        <h1>{name}</h1>
        {r && (
          <span className="an-exports" role="group" aria-label="Export the report">
            <button
              type="button"
              className="button"
              onClick={() => saveText(`${name}.report.json`, JSON.stringify(r, null, 1), "application/json")}
            >
              Export JSON
            </button>
            <button type="button" className="button" onClick={() => void saveHtml()} disabled={exporting} data-testid="an-export-html">
              {exporting ? "Preparing…" : "HTML report"}
            </button>
          </span>
        )}
      </header>
      <ErrorBanner message={exportError} onDismiss={() => setExportError(null)} />
      {model.data && (
        <p className="hint">
          {model.data.format} · {formatBytes(model.data.size)}
          {model.data.input_shape ? ` · input ${model.data.input_shape.join("×")}` : " · weights only"}
        </p>
      )}
      <ErrorBanner message={model.error ?? report.error} />
      {(model.error || report.error) && (
        <p>
          <button type="button" className="button" onClick={report.reload}>
            Try again
          </button>{" "}
          or <a href="#/analytics">go back to all models</a>.
        </p>
      )}
      {report.loading && (
        <p className="loading" role="status">
          Analyzing the model… (the first report of a large model can take a few seconds)
        </p>
      )}
      {r && (
        <>
          {r.notes.length > 0 && (
            <ul className="an-notes">
              {r.notes.map((n) => (
                <li key={n}>{n}</li>
              ))}
            </ul>
          )}
          <p className="hint">Input: {r.input_description}</p>
          <div className="panels an-panels">
            <HealthPanel report={r} />
            <ArchitecturePanel report={r} />
            <OptimizationPanel report={r} />
            <ArchitectureGraph report={r} selected={selected} onSelect={setSelected} onShowInTable={showInTable} />
            <LayerTable report={r} selected={selected} onSelect={setSelected} />
            <WeightsPanel report={r} />
            <CostPanel report={r} />
          </div>
        </>
      )}
    </div>
  );
}

/** Scroll the layer table to ``layer``'s row and move focus there. */
function showInTable(layer: string) {
  const rows = document.querySelectorAll<HTMLElement>('[data-testid="an-layers"] tr[data-layer]');
  const row = [...rows].find((r) => r.dataset.layer === layer);
  row?.scrollIntoView?.({ block: "center" });
  row?.focus();
}
