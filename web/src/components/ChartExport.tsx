/**
 * "Save PNG": a small button that saves a chart next to it as a PNG file. It looks for the
 * chart in its own card (the nearest ``[data-export-root]`` or ``.panel``) by ``selector``,
 * so it can sit in a panel header without a ref being threaded through; see chartExport.ts
 * for how canvases, SVGs and HTML charts are rasterised.
 */

import { useRef, useState } from "react";
import { elementToPng, fileStem } from "./chartExport";
import { saveBlob } from "./saveFile";

interface Props {
  /** File name (without .png) and what the button's accessible name says it saves. */
  name: string;
  /** Which element of the card to save; the first canvas or SVG by default. */
  selector?: string;
  testId?: string;
}

export function SavePng({ name, selector = "canvas, svg", testId }: Props) {
  const ref = useRef<HTMLButtonElement>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const save = async () => {
    const root = ref.current?.closest("[data-export-root], .panel");
    const target = root?.querySelector(selector);
    if (!target) {
      setError("Nothing to save yet: the chart appears once there is data.");
      return;
    }
    setBusy(true);
    setError(null);
    try {
      saveBlob(await elementToPng(target), `${fileStem(name)}.png`);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <span className="chart-export">
      <button
        ref={ref}
        type="button"
        className="button button-quiet chart-export-button"
        aria-label={`Save ${name} as PNG`}
        data-testid={testId ?? "save-png"}
        disabled={busy}
        onClick={() => void save()}
      >
        {busy ? "Saving…" : "PNG"}
      </button>
      {error && (
        <span className="chart-export-error" role="alert">
          {error}
        </span>
      )}
    </span>
  );
}
