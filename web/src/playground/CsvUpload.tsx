/**
 * Train on your own data: pick a CSV file, choose its label column and (optionally) the task,
 * upload it (``POST /api/datasets/csv``). The server checks the whole file first and names the
 * row and column of any problem; nothing is stored unless all of it is good.
 */

import { useId, useState } from "react";
import { call, errorMessage } from "../api/client";
import { useApi } from "../api/context";
import type { CsvUploadOut } from "../api/types";
import { ErrorBanner } from "../components/ErrorBanner";

type TaskChoice = "auto" | "classification" | "regression";

/** The header's column names (quotes removed); the server does the real parsing. */
export function headerColumns(text: string): string[] {
  const line = text.replace(/^\uFEFF/, "").split(/\r?\n/, 1)[0] ?? "";
  if (line.trim() === "") return [];
  return line.split(",").map((cell) => cell.trim().replace(/^"(.*)"$/, "$1"));
}

export function describeUpload(out: CsvUploadOut): string {
  const features = `${out.feature_names.length} feature${out.feature_names.length === 1 ? "" : "s"} (${out.feature_names.join(", ")})`;
  const task =
    out.task === "regression" ? "regression" : `${out.task} classification of ${out.class_names.join(", ")}`;
  return `${out.n_rows} rows · ${features} · label “${out.label_name}” · ${task}`;
}

interface Props {
  upload: CsvUploadOut | null;
  onUploaded(out: CsvUploadOut): void;
}

export function CsvUpload({ upload, onUploaded }: Props) {
  const api = useApi();
  const fileId = useId();
  const [file, setFile] = useState<File | null>(null);
  const [columns, setColumns] = useState<string[]>([]);
  const [label, setLabel] = useState("");
  const [task, setTask] = useState<TaskChoice>("auto");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const choose = async (chosen: File | null) => {
    setFile(chosen);
    setError(null);
    if (!chosen) return;
    const head = headerColumns(await chosen.slice(0, 65536).text());
    setColumns(head);
    setLabel(head[head.length - 1] ?? "");
  };

  const send = async () => {
    if (!file) return;
    setBusy(true);
    setError(null);
    try {
      const query = { task, ...(label ? { label_column: label } : {}) };
      // The raw bytes, undecoded: the server is the one to say a file is not UTF-8.
      const bytes = new Uint8Array(await file.arrayBuffer());
      const out = await call(
        api.rest.POST("/api/datasets/csv", {
          params: { query },
          body: bytes as unknown as string,
          bodySerializer: (body: unknown) => body as Uint8Array<ArrayBuffer>,
          headers: { "Content-Type": "text/csv" },
        }),
      );
      onUploaded(out);
    } catch (e) {
      setError(`${file.name}: ${errorMessage(e)}`);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="pg-csv" data-testid="pg-csv">
      <label className="field" htmlFor={fileId}>
        <span>CSV file (header row, numeric features, one label column)</span>
      </label>
      <input id={fileId} type="file" accept=".csv,text/csv" data-testid="pg-csv-file" onChange={(e) => void choose(e.target.files?.[0] ?? null)} />
      {file && (
        <>
          <div className="pg-csv-options">
            <label className="inline-field">
              <span>label</span>
              <select value={label} data-testid="pg-csv-label" onChange={(e) => setLabel(e.target.value)} disabled={columns.length === 0}>
                {columns.length === 0 && <option value="">(no header found)</option>}
                {columns.map((c, i) => (
                  <option key={`${c}-${i}`} value={c}>
                    {c || `(column ${i + 1})`}
                  </option>
                ))}
              </select>
            </label>
            <label className="inline-field">
              <span>task</span>
              <select value={task} data-testid="pg-csv-task" onChange={(e) => setTask(e.target.value as TaskChoice)}>
                <option value="auto">infer</option>
                <option value="classification">classification</option>
                <option value="regression">regression</option>
              </select>
            </label>
          </div>
          <button type="button" className="button" data-testid="pg-csv-upload" onClick={() => void send()} disabled={busy}>
            {busy ? "Checking…" : "Upload and check"}
          </button>
        </>
      )}
      <ErrorBanner message={error} onDismiss={() => setError(null)} />
      {upload && !error && (
        <p className="pg-csv-ok" data-testid="pg-csv-summary">
          ✓ {describeUpload(upload)}
        </p>
      )}
    </div>
  );
}
