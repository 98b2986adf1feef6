/** Share: make a read-only link to the run and show it, ready to copy. */

import { useId, useRef, useState } from "react";
import { call, errorMessage } from "../api/client";
import { useApi } from "../api/context";
import { ErrorBanner } from "../components/ErrorBanner";

export function ShareRun({ runId }: { runId: string }) {
  const api = useApi();
  const inputId = useId();
  const inputRef = useRef<HTMLInputElement>(null);
  const [link, setLink] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [copied, setCopied] = useState(false);

  const share = async () => {
    setBusy(true);
    setError(null);
    setCopied(false);
    try {
      const out = await call(api.rest.POST("/api/runs/{run_id}/share", { params: { path: { run_id: runId } } }));
      setLink(window.location.origin + out.url);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  const copy = async () => {
    if (link === null) return;
    inputRef.current?.select();
    try {
      if (!navigator.clipboard) throw new Error("no clipboard");
      await navigator.clipboard.writeText(link);
      setCopied(true);
    } catch {
      // No clipboard here (insecure origin, permission refused): the link is selected instead.
      setCopied(false);
      setError("Copying is not available here: the link is selected, copy it by hand.");
    }
  };

  return (
    <div className="share-run">
      <button type="button" className="button" data-testid="share-button" onClick={() => void share()} disabled={busy}>
        {link === null ? "Share" : "New share link"}
      </button>
      {link !== null && (
        <div className="share-link-row">
          <label htmlFor={inputId} className="share-link-label">
            Read-only link
          </label>
          <input
            id={inputId}
            ref={inputRef}
            type="text"
            readOnly
            value={link}
            data-testid="share-link"
            onFocus={(e) => e.target.select()}
          />
          <button type="button" className="button" data-testid="copy-link-button" onClick={() => void copy()}>
            {copied ? "Copied" : "Copy"}
          </button>
        </div>
      )}
      <ErrorBanner message={error} onDismiss={() => setError(null)} />
    </div>
  );
}
