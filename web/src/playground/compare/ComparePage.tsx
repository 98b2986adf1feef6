/**
 * Configurations side by side (``#/compare/<id>,<id>[,<id>[,<id>]]``): the same data and seed,
 * different nets or hyperparameters (``POST /api/runs/compare`` guarantees it). Their curves
 * overlaid in one chart (one colour per configuration; loss or accuracy, training or
 * validation), a table of their latest metrics, and their decision boundaries next to each
 * other, all live.
 */

import { useCallback, useEffect, useState } from "react";
import { call } from "../../api/client";
import { useApi } from "../../api/context";
import { useLiveRun, type ConnectionState } from "../../api/live";
import { EMPTY_LIVE_STATE, type LiveState } from "../../api/liveState";
import { sessionConfig } from "../../api/types";
import { useRequest } from "../../api/useRequest";
import { BoundaryCanvas } from "../../components/BoundaryCanvas";
import { SavePng } from "../../components/ChartExport";
import { ErrorBanner } from "../../components/ErrorBanner";
import { RunSummary } from "../../components/RunSummary";
import { href } from "../../router";
import { CompareSummary } from "./CompareSummary";
import { describeConfig } from "./describe";
import { OverlayChart } from "./OverlayChart";
import { CONFIG_COLORS, CONFIG_NAMES } from "./variants";

export interface Feed {
  state: LiveState;
  connection: ConnectionState;
}

type Metric = "loss" | "accuracy";
type Split = "train" | "val";
const SPLIT_TITLES: Record<Split, string> = { train: "training", val: "validation" };

function CompareColumn({ runId, index, onFeed }: { runId: string; index: number; onFeed: (id: string, feed: Feed) => void }) {
  const api = useApi();
  const { state, connection, error } = useLiveRun(runId);
  useEffect(() => onFeed(runId, { state, connection }), [runId, state, connection, onFeed]);
  const label = CONFIG_NAMES[index] ?? String(index + 1);
  const run = state.run?.id === runId ? state.run : null;
  const config = run ? sessionConfig(run) : null;
  const dataset = config?.data.dataset;
  const drawable = config !== null && dataset !== "digits" && dataset !== "mnist" && dataset !== "csv";
  const points = useRequest(drawable ? `points:${runId}` : null, () =>
    call(api.rest.GET("/api/runs/{run_id}/data", { params: { path: { run_id: runId } } })),
  );
  return (
    <section className="pg-compare-column" aria-label={`Configuration ${label}`} data-testid="pg-compare-column" data-export-root>
      <h2>
        <span className="pg-compare-swatch" style={{ background: CONFIG_COLORS[index] }} aria-hidden="true" />
        {label}: {run ? <a href={href({ page: "playground", runId })}>{run.name}</a> : "loading…"}
        {drawable && <SavePng name={`boundary-${label}`} testId="pg-compare-boundary-png" />}
      </h2>
      <ErrorBanner message={error} />
      {config && (
        <p className="hint" data-testid="pg-compare-config">
          {describeConfig(config)}
        </p>
      )}
      <RunSummary state={state} connection={connection} />
      {drawable && <BoundaryCanvas boundary={state.boundary} points={points.data} nClasses={config?.data.n_classes} line={dataset === "sine"} />}
      {config && !drawable && <p className="empty">This data has no plane to draw: compare the curves and the table above.</p>}
    </section>
  );
}

function Toggle<T extends string>({ name, value, options, onChange }: { name: string; value: T; options: [T, string][]; onChange: (v: T) => void }) {
  return (
    <div role="radiogroup" aria-label={name} className="pg-split-toggle">
      {options.map(([v, title]) => (
        <label key={v} className="toggle">
          <input type="radio" name={`pg-compare-${name}`} value={v} checked={value === v} onChange={() => onChange(v)} data-testid={`pg-compare-${name}-${v}`} /> {title}
        </label>
      ))}
    </div>
  );
}

export function ComparePage({ runIds }: { runIds: string[] }) {
  const [feeds, setFeeds] = useState<Record<string, Feed>>({});
  const [metric, setMetric] = useState<Metric>("loss");
  const [split, setSplit] = useState<Split>("val");
  const onFeed = useCallback((id: string, feed: Feed) => setFeeds((f) => (f[id] === feed ? f : { ...f, [id]: feed })), []);

  if (runIds.length < 2 || runIds.length > 4) {
    return (
      <div className="empty-state">
        <h1>Compare needs two to four runs</h1>
        <p>
          Set up a run in the <a href="#/playground">Playground</a> and use “Compare configurations”.
        </p>
      </div>
    );
  }
  const states = runIds.map((id) => feeds[id]?.state ?? EMPTY_LIVE_STATE);
  const hasAccuracy = states.some((s) => s.series["val/accuracy"] !== undefined);
  const shown: Metric = hasAccuracy ? metric : "loss";
  const title = `${SPLIT_TITLES[split]} ${shown}`;
  const lines = runIds.map((id, i) => ({
    label: CONFIG_NAMES[i] ?? id,
    color: CONFIG_COLORS[i] ?? "#333",
    series: states[i]?.series[`${split}/${shown}`],
  }));
  return (
    <div className="pg-compare" data-testid="pg-compare">
      <h1 className="pg-compare-title">Comparing {runIds.length} configurations on the same data and seed</h1>
      <section className="panel panel-wide pg-compare-curves" aria-label="Curves">
        <header className="panel-header">
          <h2>Curves</h2>
          <div className="pg-compare-toggles">
            {hasAccuracy && <Toggle name="metric" value={shown} options={[["loss", "loss"], ["accuracy", "accuracy"]]} onChange={setMetric} />}
            <Toggle name="split" value={split} options={[["train", "training"], ["val", "validation"]]} onChange={setSplit} />
            <SavePng name={`compare-${title}`} selector=".pg-overlay-chart" testId="pg-compare-chart-png" />
          </div>
        </header>
        <OverlayChart lines={lines} title={title} />
        <CompareSummary runIds={runIds} states={states} />
      </section>
      <div className="pg-compare-grid">
        {runIds.map((id, i) => (
          <CompareColumn key={id} runId={id} index={i} onFeed={onFeed} />
        ))}
      </div>
    </div>
  );
}
