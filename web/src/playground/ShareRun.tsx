/**
 * Share: make a read-only link to the run and show it, ready to copy; list the run's links and
 * revoke any of them. The server keeps only a hash of each token, so a link's address is shown
 * once, when it is made; the list names links by their date.
 */

import { useEffect, useId, useRef, useState } from "react";
import { call, errorMessage } from "../api/client";
import { useApi } from "../api/context";
import type { ShareLinkOut } from "../api/types";
import { useRequest } from "../api/useRequest";
import { ErrorBanner } from "../components/ErrorBanner";

const dateFormat = new Intl.DateTimeFormat("en", { dateStyle: "medium", timeStyle: "short" });

export function ShareRun({ runId }: { runId: string }) {
  const api = useApi();
  const inputId = useId();
  const inputRef = useRef<HTMLInputElement>(null);
  const [link, setLink] = useState<{ id: string; url: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [copied, setCopied] = useState(false);
  const links = useRequest(`shares:${runId}`, () =>
    call(api.rest.GET("/api/runs/{run_id}/shares", { params: { path: { run_id: runId } } })),
  );

  const share = async () => {
    setBusy(true);
    setError(null);
    setCopied(false);
    try {
      const out = await call(api.rest.POST("/api/runs/{run_id}/share", { params: { path: { run_id: runId } } }));
      setLink({ id: out.id, url: window.location.origin + out.url });
      links.reload();
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
      await navigator.clipboard.writeText(link.url);
      setCopied(true);
    } catch {
      // No clipboard here (insecure origin, permission refused): the link is selected instead.
      setCopied(false);
      setError("Copying is not available here: the link is selected, copy it by hand.");
    }
  };

  const revoked = (id: string) => {
    if (link?.id === id) setLink(null);
    links.reload();
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
            value={link.url}
            data-testid="share-link"
            onFocus={(e) => e.target.select()}
          />
          <button type="button" className="button" data-testid="copy-link-button" onClick={() => void copy()}>
            {copied ? "Copied" : "Copy"}
          </button>
        </div>
      )}
      <ErrorBanner message={error} onDismiss={() => setError(null)} />
      <section className="share-links" aria-label="Share links of this run" data-testid="share-links">
        {links.loading && links.data === null ? (
          <p className="hint">Loading share links…</p>
        ) : links.error !== null ? (
          <div className="share-links-error">
            <ErrorBanner message={`Could not list this run's share links: ${links.error}`} />
            <button type="button" className="button button-quiet" onClick={links.reload}>
              Try again
            </button>
          </div>
        ) : links.data !== null && links.data.links.length === 0 ? (
          <p className="hint" data-testid="share-links-empty">
            No share links yet: Share makes one.
          </p>
        ) : (
          links.data !== null && (
            <ul className="share-links-list">
              {links.data.links.map((item) => (
                <ShareLinkItem key={item.id} runId={runId} item={item} isNew={item.id === link?.id} onRevoked={revoked} />
              ))}
            </ul>
          )
        )}
      </section>
    </div>
  );
}

interface ItemProps {
  runId: string;
  item: ShareLinkOut;
  isNew: boolean;
  onRevoked(id: string): void;
}

/** One link: its date, then Revoke → a confirm step (Revoke link / Cancel) → revoking. */
function ShareLinkItem({ runId, item, isNew, onRevoked }: ItemProps) {
  const api = useApi();
  const [stage, setStage] = useState<"idle" | "confirm" | "revoking">("idle");
  const [error, setError] = useState<string | null>(null);
  const confirmRef = useRef<HTMLButtonElement>(null);
  const made = dateFormat.format(new Date(item.created_at));

  useEffect(() => {
    if (stage === "confirm") confirmRef.current?.focus(); // keyboard users land on the choice
  }, [stage]);

  const revoke = async () => {
    setStage("revoking");
    setError(null);
    try {
      await call(
        api.rest.DELETE("/api/runs/{run_id}/shares/{share_id}", { params: { path: { run_id: runId, share_id: item.id } } }),
      );
      onRevoked(item.id);
    } catch (e) {
      setError(errorMessage(e));
      setStage("idle");
    }
  };

  return (
    <li className="share-links-item" data-testid="share-link-item" data-share-id={item.id}>
      <span className="share-links-when">
        Link made <time dateTime={item.created_at}>{made}</time>
        {isNew && <span className="badge">shown above</span>}
      </span>
      {stage === "confirm" ? (
        <span className="share-links-confirm" data-testid="share-links-confirm" role="group" aria-label={`Revoke the link made ${made}?`}>
          <span className="hint">Anyone with this link loses access.</span>
          <button
            ref={confirmRef}
            type="button"
            className="button button-danger"
            data-testid="confirm-revoke-button"
            onClick={() => void revoke()}
          >
            Revoke link
          </button>
          <button type="button" className="button button-quiet" onClick={() => setStage("idle")}>
            Cancel
          </button>
        </span>
      ) : (
        <button
          type="button"
          className="button"
          data-testid="revoke-button"
          aria-label={`Revoke the link made ${made}`}
          disabled={stage === "revoking"}
          onClick={() => setStage("confirm")}
        >
          {stage === "revoking" ? "Revoking…" : "Revoke"}
        </button>
      )}
      <ErrorBanner message={error} onDismiss={() => setError(null)} />
    </li>
  );
}
