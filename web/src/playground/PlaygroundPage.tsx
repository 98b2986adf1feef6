/** The Playground: build a small net, train it live, steer it, and watch it learn. */

import { useState } from "react";
import { call } from "../api/client";
import { useApi } from "../api/context";
import { useLiveRun } from "../api/live";
import { currentHyperparameters, isLive } from "../api/liveState";
import { sessionConfig } from "../api/types";
import { useRequest } from "../api/useRequest";
import { BoundaryCanvas } from "../components/BoundaryCanvas";
import { ErrorBanner } from "../components/ErrorBanner";
import { GradientNorms } from "../components/GradientNorms";
import { LayerStats } from "../components/LayerStats";
import { LossChart } from "../components/LossChart";
import { MarkersList } from "../components/MarkersList";
import { Panel } from "../components/Panel";
import { RunSummary } from "../components/RunSummary";
import { navigate } from "../router";
import { Controls } from "./Controls";
import { buildRunCreate, DEFAULT_FORM, formFromConfig, hyperparameterUpdate, type PlaygroundForm } from "./form";
import { RunButtons } from "./RunButtons";
import { ShareRun } from "./ShareRun";
import { useDebouncedSet, usePlaygroundCommands } from "./usePlaygroundRun";

export function PlaygroundPage({ runId }: { runId: string | null }) {
  const api = useApi();
  const datasets = useRequest("datasets", () => call(api.rest.GET("/api/datasets")));
  const points = useRequest(runId === null ? null : `points:${runId}`, () =>
    call(api.rest.GET("/api/runs/{run_id}/data", { params: { path: { run_id: runId ?? "" } } })),
  );
  const { state, dispatch, connection, error: liveError } = useLiveRun(runId);
  const commands = usePlaygroundCommands(runId, dispatch);
  const [logScale, setLogScale] = useState(false);

  // The form shows the run being watched, once per run (then the learner may edit it).
  const [form, setForm] = useState<PlaygroundForm>(DEFAULT_FORM);
  const [formRun, setFormRun] = useState<string | null>(null);
  const run = state.run !== null && state.run.id === runId ? state.run : null;
  if (run && formRun !== run.id) {
    setFormRun(run.id);
    const config = sessionConfig(run);
    if (config) setForm(formFromConfig(config, currentHyperparameters(state)));
  }

  const live = run !== null && isLive(state);
  const current = currentHyperparameters(state);
  const pending = live && formRun === runId && current ? hyperparameterUpdate(form, current) : null;
  useDebouncedSet(pending, commands.control);

  const train = async () => {
    const body = buildRunCreate(form);
    if (!body.ok) {
      commands.fail(body.error);
      return;
    }
    const created = await commands.create(body.value);
    if (created) navigate({ page: "playground", runId: created.id });
  };

  const reset = async () => {
    if (live && !(await commands.control("stop"))) return;
    navigate({ page: "playground", runId: null });
  };

  // A run that cannot be loaded has no points either: say it once.
  const loadErrors = [liveError ?? points.error, datasets.error].filter((m): m is string => m !== null);
  return (
    <div className="playground">
      <section className="controls" aria-label="Controls">
        <RunButtons
          hasRun={runId !== null}
          live={live}
          status={state.status}
          busy={commands.busy}
          onTrain={() => void train()}
          onControl={(action) => void commands.control(action)}
          onReset={() => void reset()}
        />
        {run && <ShareRun key={run.id} runId={run.id} />}
        <Controls
          form={form}
          onChange={(patch) => setForm((f) => ({ ...f, ...patch }))}
          datasets={datasets.data}
          live={live}
        />
      </section>

      <section className="views" aria-label="Run">
        <ErrorBanner message={commands.error} onDismiss={commands.clearError} />
        {[...new Set(loadErrors)].map((message) => (
          <ErrorBanner key={message} message={message} />
        ))}
        {runId !== null && run === null && liveError === null && <p className="loading">Loading run…</p>}
        {run && (
          <p className="run-title">
            <strong>{run.name}</strong>
            {!live && <span className="hint"> · this run has ended; the controls set up a new one</span>}
          </p>
        )}
        <RunSummary state={state} connection={connection} />
        <div className="panels">
          <Panel
            title="Loss"
            className="panel-wide"
            actions={
              <label className="toggle">
                <input type="checkbox" checked={logScale} onChange={(e) => setLogScale(e.target.checked)} /> log scale
              </label>
            }
          >
            <LossChart
              train={state.series["train/loss"]}
              validation={state.series["val/loss"]}
              markers={state.markers}
              logScale={logScale}
            />
            <h3 className="subheading">Events</h3>
            <MarkersList markers={state.markers} />
          </Panel>
          <Panel title="Decision boundary">
            <BoundaryCanvas boundary={state.boundary} points={points.data} />
          </Panel>
          <Panel title="Gradient norms">
            <GradientNorms event={state.gradients} />
          </Panel>
          <Panel title="Layer statistics">
            <LayerStats event={state.layerStats} />
          </Panel>
        </div>
      </section>
    </div>
  );
}
