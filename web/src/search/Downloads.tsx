/** A trial's files (model as safetensors/ONNX/TorchScript, spec, config), named by metric and time. */

import { useState } from "react";
import { call, errorMessage } from "../api/client";
import { useApi } from "../api/context";
import { useRequest } from "../api/useRequest";
import { ErrorBanner } from "../components/ErrorBanner";
import { saveBlob } from "../components/saveFile";

const LABELS: Record<string, string> = {
  safetensors: "Weights (safetensors)",
  spec: "Network spec (JSON)",
  onnx: "ONNX model",
  torchscript: "TorchScript model",
  config: "Training configuration (re-run it anywhere)",
};


export function Downloads({ study, number }: { study: string; number: number }) {
  const api = useApi();
  const [error, setError] = useState<string | null>(null);
  const files = useRequest(`files:${study}:${number}`, () =>
    call(api.rest.GET("/api/studies/{name}/trials/{number}/files", { params: { path: { name: study, number } } })),
  );
  // Fetched with the client (not a plain link) so a server token travels in the header.
  const download = async (kind: string, filename: string) => {
    setError(null);
    try {
      const blob = await call(
        api.rest.GET("/api/studies/{name}/trials/{number}/files/{kind}", { params: { path: { name: study, number, kind } }, parseAs: "blob" }),
      );
      saveBlob(blob as Blob, filename);
    } catch (e) {
      setError(errorMessage(e));
    }
  };
  const layout = async () => {
    try {
      const data = await call(api.rest.GET("/api/studies/{name}/trials/{number}/layout", { params: { path: { name: study, number } } }));
      saveBlob(new Blob([JSON.stringify(data, null, 2)], { type: "application/json" }), `${study}-trial${number}-layout.json`);
    } catch (e) {
      setError(errorMessage(e));
    }
  };
  return (
    <div className="search-downloads" data-testid="downloads">
      <ErrorBanner message={files.error ?? error} />
      {files.loading && <p className="loading">Loading files…</p>}
      {files.data?.reason && <p className="search-help">{files.data.reason}</p>}
      <ul>
        {files.data?.items.map((f) => (
          <li key={f.kind}>
            <button type="button" className="button" disabled={!f.available} onClick={() => void download(f.kind, f.filename)}>
              {LABELS[f.kind] ?? f.kind}
            </button>{" "}
            <code className="search-filename">{f.filename}</code>
          </li>
        ))}
        <li>
          <button type="button" className="button" onClick={() => void layout()}>
            3-D layout (JSON)
          </button>
        </li>
      </ul>
    </div>
  );
}
