/**
 * Download the run's model: safetensors, spec JSON, a PyTorch snippet, or ONNX. A live run's
 * current model, or the final model its server kept when it ended (see ``modelSource``).
 */

import { useState } from "react";
import { call, errorMessage } from "../api/client";
import { useApi } from "../api/context";
import { ErrorBanner } from "../components/ErrorBanner";
import { saveBlob } from "../components/saveFile";
import { modelSourceNote, type ModelSource } from "./modelSource";

export const EXPORTS = [
  { fmt: "safetensors", title: "Weights (.safetensors)", file: "model.safetensors" },
  { fmt: "spec", title: "Spec (.json)", file: "spec.json" },
  { fmt: "pytorch", title: "PyTorch (.py)", file: "model.py" },
  { fmt: "onnx", title: "ONNX", file: "model.onnx" },
] as const;

type Format = (typeof EXPORTS)[number]["fmt"];


export function ExportButtons({ runId, runName, source }: { runId: string; runName: string; source: ModelSource }) {
  const api = useApi();
  const [busy, setBusy] = useState<Format | null>(null);
  const [error, setError] = useState<string | null>(null);
  const prefix = runName.replace(/[^\w.-]+/g, "_").slice(0, 60) || "model";

  const download = async (fmt: Format, file: string) => {
    setBusy(fmt);
    setError(null);
    try {
      const blob = await call(
        api.rest.GET("/api/runs/{run_id}/export/{fmt}", { params: { path: { run_id: runId, fmt } }, parseAs: "blob" }),
      );
      saveBlob(blob as Blob, `${prefix}-${file}`);
    } catch (e) {
      setError(`Export ${fmt}: ${errorMessage(e)}`);
    } finally {
      setBusy(null);
    }
  };

  return (
    <div className="pg-export" role="group" aria-label="Export the model">
      {EXPORTS.map(({ fmt, title, file }) => (
        <button key={fmt} type="button" className="button" data-testid={`pg-export-${fmt}`} disabled={source === "none" || busy !== null} onClick={() => void download(fmt, file)}>
          {busy === fmt ? "Exporting…" : title}
        </button>
      ))}
      {source !== "live" && (
        <p className="hint" data-testid="pg-export-note">
          {modelSourceNote(source)}
        </p>
      )}
      <ErrorBanner message={error} onDismiss={() => setError(null)} />
    </div>
  );
}
