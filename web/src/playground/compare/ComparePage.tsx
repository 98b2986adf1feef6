/**
 * Runs side by side (``#/compare/<id>,<id>``): the same data and seed, different nets or
 * hyperparameters (``POST /api/runs/compare`` guarantees it), each with its status, loss
 * curves and decision boundary, live.
 */

import { call } from "../../api/client";
import { useApi } from "../../api/context";
import { useLiveRun } from "../../api/live";
import { sessionConfig } from "../../api/types";
import { useRequest } from "../../api/useRequest";
import { BoundaryCanvas } from "../../components/BoundaryCanvas";
import { ErrorBanner } from "../../components/ErrorBanner";
import { LossChart } from "../../components/LossChart";
import { RunSummary } from "../../components/RunSummary";
import { href } from "../../router";
import { describeConfig } from "./describe";

function CompareColumn({ runId, label }: { runId: string; label: string }) {
  const api = useApi();
  const { state, connection, error } = useLiveRun(runId);
  const run = state.run?.id === runId ? state.run : null;
  const config = run ? sessionConfig(run) : null;
  const kind = config?.data.dataset === "sine" ? "line" : null;
  const drawable = config !== null && config.data.dataset !== "digits" && config.data.dataset !== "mnist" && config.data.dataset !== "csv";
  const points = useRequest(drawable ? `points:${runId}` : null, () =>
    call(api.rest.GET("/api/runs/{run_id}/data", { params: { path: { run_id: runId } } })),
  );
  return (
    <section className="pg-compare-column" aria-label={`Run ${label}`} data-testid="pg-compare-column">
      <h2>
        {label}: {run ? <a href={href({ page: "playground", runId })}>{run.name}</a> : "loading…"}
      </h2>
      <ErrorBanner message={error} />
      {config && <p className="hint" data-testid="pg-compare-config">{describeConfig(config)}</p>}
      <RunSummary state={state} connection={connection} />
      <LossChart train={state.series["train/loss"]} validation={state.series["val/loss"]} markers={state.markers} logScale={false} height={200} />
      {drawable && (
        <BoundaryCanvas boundary={state.boundary} points={points.data} nClasses={config?.data.n_classes} line={kind === "line"} />
      )}
    </section>
  );
}

export function ComparePage({ runIds }: { runIds: string[] }) {
  if (runIds.length < 2 || runIds.length > 4) {
    return (
      <div className="empty-state">
        <h1>Compare needs two to four runs</h1>
        <p>
          Set up a run in the <a href="#/playground">Playground</a> and use “Compare with a variant”.
        </p>
      </div>
    );
  }
  return (
    <div className="pg-compare" data-testid="pg-compare">
      <h1 className="pg-compare-title">Comparing {runIds.length} runs on the same data and seed</h1>
      <div className="pg-compare-grid">
        {runIds.map((id, i) => (
          <CompareColumn key={id} runId={id} label={String.fromCharCode(65 + i)} />
        ))}
      </div>
    </div>
  );
}
