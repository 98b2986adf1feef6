/** Drop or pick a model file; shows upload progress and the server's reason for a refusal. */

import { useRef, useState, type DragEvent } from "react";
import type { ModelOut } from "../api/types";
import { ErrorBanner } from "../components/ErrorBanner";
import type { Uploader } from "./upload";

const ACCEPT = ".safetensors,.pt,.pth,.bin,.ckpt,.pt2,.onnx,.ts,.jit";
const SHAPE = /^[0-9]{1,7}(,[0-9]{1,7}){0,7}$/;

interface Props {
  upload: Uploader;
  onUploaded(model: ModelOut): void;
}

export function UploadBox({ upload, onUploaded }: Props) {
  const input = useRef<HTMLInputElement>(null);
  const [dragging, setDragging] = useState(false);
  const [progress, setProgress] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [shape, setShape] = useState("");
  const shapeValid = shape === "" || SHAPE.test(shape.replace(/\s/g, ""));

  async function send(file: File) {
    if (!shapeValid) {
      setError("The input shape must be numbers separated by commas, e.g. 1,3,32,32.");
      return;
    }
    setError(null);
    setProgress(0);
    try {
      const model = await upload({ file, inputShape: shape.replace(/\s/g, "") || null, onProgress: setProgress });
      onUploaded(model);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setProgress(null);
    }
  }

  function onDrop(e: DragEvent<HTMLDivElement>) {
    e.preventDefault();
    setDragging(false);
    const file = e.dataTransfer.files[0];
    if (file) void send(file);
  }

  return (
    <section className="panel an-upload" aria-label="Upload a model">
      <header className="panel-header">
        <h2>Analyze a model</h2>
      </header>
      <div
        className={`an-drop ${dragging ? "an-drop-active" : ""}`.trim()}
        data-testid="an-drop"
        onDragOver={(e) => {
          e.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
      >
        <p>Drop a model file here, or</p>
        <button type="button" className="button button-primary" onClick={() => input.current?.click()} disabled={progress !== null}>
          Choose a file…
        </button>
        <input
          ref={input}
          type="file"
          accept={ACCEPT}
          className="an-file-input"
          aria-label="Model file"
          data-testid="an-file"
          onChange={(e) => {
            const file = e.target.files?.[0];
            if (file) void send(file);
            e.target.value = "";
          }}
        />
        <p className="hint">
          safetensors, PyTorch state dicts and checkpoints (.pt/.pth, loaded weights-only), TorchScript, torch.export (.pt2) or ONNX.
          Pickles that need code are refused, never run.
        </p>
      </div>
      <label className="field an-shape">
        <span>Example input shape (optional, for measured FLOPs and latency)</span>
        <input
          value={shape}
          onChange={(e) => setShape(e.target.value)}
          placeholder="e.g. 1,3,32,32"
          aria-invalid={!shapeValid}
          inputMode="numeric"
        />
      </label>
      {progress !== null && (
        <div className="an-progress" role="status">
          <progress max={1} value={progress} aria-label="Upload progress" />
          <span>{progress < 1 ? `Uploading… ${Math.round(progress * 100)}%` : "Checking the file…"}</span>
        </div>
      )}
      <ErrorBanner message={error} onDismiss={() => setError(null)} />
    </section>
  );
}
