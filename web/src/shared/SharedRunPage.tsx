/**
 * A shared run, read-only (``#/shared/<token>``): its curves with markers, its decision boundary
 * frame by frame, and a Fork button that makes a new run of the same config for the viewer.
 * A link its owner revoked answers 404, on load or on Fork: both show the same "no longer
 * works" message (the replay is one request, so nothing else stays open).
 */

import { useId, useMemo, useState } from "react";
import { ApiError, call, errorMessage } from "../api/client";
import { useApi } from "../api/context";
import type { Marker } from "../api/liveState";
import type { BoundaryEvent, RunEvent, SharedRunOut } from "../api/types";
import { useRequest } from "../api/useRequest";
import { BoundaryCanvas } from "../components/BoundaryCanvas";
import { ErrorBanner } from "../components/ErrorBanner";
import { LossChart } from "../components/LossChart";
import { MarkersList } from "../components/MarkersList";
import { Panel } from "../components/Panel";
import { navigate } from "../router";

export const NOT_FOUND_MESSAGE = "This share link no longer works";

/** The replay, or ``null`` when the server has no shared run at this link (404). */
type Replay = SharedRunOut | null;

function isMarker(event: RunEvent): event is Marker {
  return event.kind === "status" || event.kind === "hyperparameters" || event.kind === "finding";
}

function isBoundary(event: RunEvent): event is BoundaryEvent {
  return event.kind === "boundary";
}

export function SharedRunPage({ token }: { token: string }) {
  const api = useApi();
  const replay = useRequest<Replay>(`shared:${token}`, async () => {
    try {
      return await call(api.rest.GET("/api/shared/{token}", { params: { path: { token } } }));
    } catch (e) {
      if (e instanceof ApiError && e.status === 404) return null;
      throw e;
    }
  });

  if (replay.loading) return <p className="loading">Loading shared run…</p>;
  if (replay.error !== null) {
    return (
      <div className="shared-page">
        <ErrorBanner message={replay.error} />
        <p>
          <button type="button" className="button" onClick={replay.reload}>
            Try again
          </button>
        </p>
      </div>
    );
  }
  if (replay.data === null) return <LinkGone />;
  return <SharedRun token={token} replay={replay.data} />;
}

function LinkGone() {
  return (
    <div className="empty-state" data-testid="shared-not-found" role="alert">
      <h1>{NOT_FOUND_MESSAGE}</h1>
      <p>
        Its owner revoked it, or it never existed. Ask for a new link, or go to the <a href="#/playground">Playground</a> to
        train a run of your own.
      </p>
    </div>
  );
}

function SharedRun({ token, replay }: { token: string; replay: SharedRunOut }) {
  const api = useApi();
  const markers = useMemo(() => replay.markers.filter(isMarker), [replay.markers]);
  const frames = useMemo(() => replay.frames.filter(isBoundary), [replay.frames]);
  const [chosen, setChosen] = useState<number | null>(null);
  const [forking, setForking] = useState(false);
  const [forkError, setForkError] = useState<string | null>(null);
  const [gone, setGone] = useState(false);
  const sliderId = useId();

  const last = frames.length - 1;
  const index = chosen === null ? last : Math.min(chosen, last);
  const frame = frames[index] ?? null;

  const fork = async () => {
    setForking(true);
    setForkError(null);
    try {
      const run = await call(api.rest.POST("/api/shared/{token}/fork", { params: { path: { token } } }));
      navigate({ page: "playground", runId: run.id });
    } catch (e) {
      if (e instanceof ApiError && e.status === 404) setGone(true); // revoked while open
      else setForkError(errorMessage(e));
      setForking(false);
    }
  };

  if (gone) return <LinkGone />;

  return (
    <div className="shared-page" data-testid="shared-run">
      <header className="page-header shared-header">
        <div>
          <h1 className="shared-title">{replay.name}</h1>
          <p className="shared-meta">
            <span className={`status status-${replay.status}`} data-testid="run-status">
              {replay.status}
            </span>{" "}
            <span className="badge" data-testid="read-only-badge">
              read-only replay
            </span>{" "}
            <span className="hint">step {replay.last_step}</span>
          </p>
        </div>
        <button
          type="button"
          className="button button-primary"
          data-testid="fork-button"
          onClick={() => void fork()}
          disabled={forking}
        >
          {forking ? "Forking…" : "Fork"}
        </button>
      </header>
      <ErrorBanner message={forkError} onDismiss={() => setForkError(null)} />
      <p className="hint">Fork makes a new run of this config in your Playground; this replay never changes.</p>
      <div className="panels">
        <Panel title="Loss" className="panel-wide">
          <LossChart train={replay.series["train/loss"]} validation={replay.series["val/loss"]} markers={markers} logScale={false} />
          <h3 className="subheading">Events</h3>
          <MarkersList markers={markers} />
        </Panel>
        <Panel title="Decision boundary">
          <BoundaryCanvas boundary={frame} points={replay.points ?? null} />
          {frames.length > 0 ? (
            <div className="frame-control">
              <label htmlFor={sliderId}>Frame</label>
              <input
                id={sliderId}
                type="range"
                data-testid="frame-slider"
                min={0}
                max={last}
                step={1}
                value={index}
                aria-valuetext={`step ${frame?.step ?? 0}, frame ${index + 1} of ${frames.length}`}
                onChange={(e) => setChosen(Number(e.target.value))}
              />
              <output htmlFor={sliderId} data-testid="frame-step">
                step {frame?.step ?? 0}
              </output>
            </div>
          ) : (
            <p className="empty">This run recorded no decision boundary.</p>
          )}
        </Panel>
      </div>
    </div>
  );
}
