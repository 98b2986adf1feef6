/**
 * The Analytics page (issue #4): ``#/analytics`` uploads a model or picks one and compares models;
 * ``#/analytics/<id>`` shows one model's report: health with its evidence, layers, weights, cost,
 * architecture and optimization opportunities.
 */

import { useMemo, useState } from "react";
import { call } from "../api/client";
import { useApi } from "../api/context";
import type { ModelComparison } from "../api/types";
import { useRequest } from "../api/useRequest";
import { ErrorBanner } from "../components/ErrorBanner";
import { ComparePanel } from "./ComparePanel";
import { ModelView } from "./ModelView";
import { formatBytes } from "./model";
import { UploadBox } from "./UploadBox";
import { RunPicker } from "./RunPicker";
import { xhrUploader, type Uploader } from "./upload";

interface Props {
  modelId: string | null;
  /** How files are sent; XMLHttpRequest (with progress) by default. */
  uploader?: Uploader;
}

export function AnalyticsPage({ modelId, uploader }: Props) {
  return modelId ? <ModelView id={modelId} /> : <ModelLibrary uploader={uploader} />;
}

function ModelLibrary({ uploader }: { uploader?: Uploader }) {
  const api = useApi();
  const upload = useMemo(() => uploader ?? xhrUploader(api), [api, uploader]);
  const models = useRequest("models", () => call(api.rest.GET("/api/models", { params: { query: { limit: 100 } } })));
  const [picked, setPicked] = useState<string[]>([]);
  const [comparison, setComparison] = useState<ModelComparison | null>(null);
  const [comparing, setComparing] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function compare() {
    setComparing(true);
    setError(null);
    try {
      setComparison(await call(api.rest.POST("/api/models/compare", { body: { ids: picked } })));
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setComparing(false);
    }
  }

  const toggle = (id: string) => setPicked((p) => (p.includes(id) ? p.filter((x) => x !== id) : [...p, id].slice(-8)));
  const items = models.data?.items ?? [];

  return (
    <div className="an-page">
      <header className="page-header">
        <h1>Analytics</h1>
      </header>
      <UploadBox upload={upload} onUploaded={(m) => (window.location.hash = `#/analytics/${encodeURIComponent(m.id)}`)} />
      <RunPicker onPicked={(m) => (window.location.hash = `#/analytics/${encodeURIComponent(m.id)}`)} />
      <section className="panel an-library" aria-label="Uploaded models">
        <header className="panel-header">
          <h2>Uploaded models</h2>
          <button type="button" className="button" onClick={compare} disabled={picked.length < 2 || comparing}>
            {comparing ? "Comparing…" : `Compare selected (${picked.length})`}
          </button>
        </header>
        <ErrorBanner message={models.error} />
        {models.loading && <p className="loading">Loading models…</p>}
        {models.data && items.length === 0 && (
          <div className="empty-state" data-testid="an-empty">
            <p>No model uploaded yet.</p>
            <p>Drop a saved model above: its health, layers, weights and cost appear in seconds.</p>
          </div>
        )}
        {items.length > 0 && (
          <>
            <p className="hint">Open a model to see its report; tick two or more to compare them.</p>
            <ul className="an-models">
              {items.map((m) => (
                <li key={m.id}>
                  <label className="an-pick">
                    <input type="checkbox" checked={picked.includes(m.id)} onChange={() => toggle(m.id)} aria-label={`Compare ${m.name}`} />
                  </label>
                  <a href={`#/analytics/${encodeURIComponent(m.id)}`}>{m.name}</a>
                  <span className="hint">
                    {m.format} · {formatBytes(m.size)} · {m.id.slice(0, 8)}
                  </span>
                </li>
              ))}
            </ul>
          </>
        )}
      </section>
      <ErrorBanner message={error} onDismiss={() => setError(null)} />
      {comparison && <ComparePanel comparison={comparison} />}
    </div>
  );
}
