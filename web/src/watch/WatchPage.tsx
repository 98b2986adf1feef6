/** A watched run (``neuralscope.watch``): histograms over time with a step slider, live, and
 * its functional modules (the module map, when the run was given a probe batch). */

import { useEffect, useMemo, useState } from "react";
import { call } from "../api/client";
import { useApi } from "../api/context";
import { useRequest } from "../api/useRequest";
import { ErrorBanner } from "../components/ErrorBanner";
import { ModulesPanel } from "../modules";
import { href } from "../router";
import { bars, frameSteps, histogramsAt, type Histogram } from "./histograms";

/** While the run is live the page asks again this often (ms). */
export const POLL_MS = 2000;

function HistogramChart({ h }: { h: Histogram }) {
  const width = 220;
  const height = 80;
  return (
    <figure className="watch-histogram" data-testid="watch-histogram">
      <figcaption>
        {h.name} <span className="muted">({h.source})</span>
      </figcaption>
      <svg width={width} height={height} role="img" aria-label={`${h.source} histogram of ${h.name}`}>
        {bars(h, width, height).map((b, i) => (
          <rect key={i} x={b.x} y={height - b.height} width={Math.max(b.width - 1, 1)} height={b.height} fill="#4a7ab5" />
        ))}
      </svg>
      <div className="muted">
        [{h.lo.toPrecision(3)}, {h.hi.toPrecision(3)}]
      </div>
    </figure>
  );
}

function WatchedRuns() {
  const api = useApi();
  const runs = useRequest("watch-runs", () =>
    call(api.rest.GET("/api/runs", { params: { query: { limit: 200, offset: 0 } } })),
  );
  const watched = (runs.data?.items ?? []).filter((r) => r.kind === "watch");
  return (
    <div className="watch-page">
      <h1>Watched runs</h1>
      <ErrorBanner message={runs.error} />
      {runs.data && watched.length === 0 && (
        <p data-testid="watch-empty">
          No watched runs yet: wrap your training loop in <code>neuralscope.watch(model)</code>.
        </p>
      )}
      <ul>
        {watched.map((r) => (
          <li key={r.id} data-testid="watch-run">
            <a href={href({ page: "watch", runId: r.id })}>{r.name}</a> ({r.status}, {r.last_step} steps)
          </li>
        ))}
      </ul>
    </div>
  );
}

function WatchedRun({ runId }: { runId: string }) {
  const api = useApi();
  const [tick, setTick] = useState(0);
  const run = useRequest(`watch-run:${runId}:${tick}`, () =>
    call(api.rest.GET("/api/runs/{run_id}", { params: { path: { run_id: runId } } })),
  );
  const frames = useRequest(`watch-hist:${runId}:${tick}`, () =>
    call(api.rest.GET("/api/watch/runs/{run_id}/histograms", { params: { path: { run_id: runId } } })),
  );
  const live = run.data !== null && (run.data.status === "running" || run.data.status === "created");
  useEffect(() => {
    if (!live) return;
    const timer = setTimeout(() => setTick((t) => t + 1), POLL_MS);
    return () => clearTimeout(timer);
  }, [live, tick]);

  const list = useMemo(() => frames.data?.frames ?? [], [frames.data]);
  const steps = useMemo(() => frameSteps(list), [list]);
  const [chosen, setChosen] = useState<number | null>(null);
  const index = chosen === null ? steps.length - 1 : Math.min(chosen, steps.length - 1);
  const step = steps[index];
  const shown = step === undefined ? [] : histogramsAt(list, step);

  return (
    <div className="watch-page">
      <h1>{run.data?.name ?? "Watched run"}</h1>
      <ErrorBanner message={run.error ?? frames.error} />
      {run.data && (
        <p className="muted">
          {run.data.status} · {run.data.last_step} steps{live ? " · live" : ""}
        </p>
      )}
      {steps.length === 0 && frames.data && <p data-testid="watch-no-frames">No histograms recorded yet.</p>}
      {steps.length > 0 && step !== undefined && (
        <>
          <label className="watch-slider">
            Step <strong data-testid="watch-step">{step}</strong>
            <input
              type="range"
              min={0}
              max={steps.length - 1}
              value={index}
              aria-label="Step"
              onChange={(e) => setChosen(Number(e.target.value))}
            />
          </label>
          <div className="watch-grid" style={{ display: "flex", flexWrap: "wrap", gap: "1rem" }}>
            {shown.map((h) => (
              <HistogramChart key={`${h.source}|${h.name}`} h={h} />
            ))}
          </div>
        </>
      )}
      <ModulesPanel runId={runId} live={live} canRerun={false} />
    </div>
  );
}

export function WatchPage({ runId }: { runId: string | null }) {
  return runId === null ? <WatchedRuns /> : <WatchedRun runId={runId} />;
}
