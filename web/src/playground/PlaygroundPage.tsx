/** The Playground: build a small net, train it live, steer it, and watch it learn. */

import { useState } from "react";
import { call } from "../api/client";
import { useApi } from "../api/context";
import { useLiveRun } from "../api/live";
import { currentHyperparameters, isLive } from "../api/liveState";
import { sessionConfig } from "../api/types";
import { useRequest } from "../api/useRequest";
import { BoundaryCanvas } from "../components/BoundaryCanvas";
import { SavePng } from "../components/ChartExport";
import { ErrorBanner } from "../components/ErrorBanner";
import { LossChart } from "../components/LossChart";
import { MarkersList } from "../components/MarkersList";
import { Panel } from "../components/Panel";
import { RunSummary } from "../components/RunSummary";
import { ModulesPanel } from "../modules";
import { navigate } from "../router";
import { CompareSetup } from "./compare/CompareSetup";
import { Controls } from "./Controls";
import { buildRunCreate, DEFAULT_FORM, formFromConfig, hyperparameterUpdate, type PlaygroundForm } from "./form";
import { RunButtons } from "./RunButtons";
import { RunViews } from "./RunViews";
import { dataKind } from "./scatter/dataKind";
import { decodeSetup } from "./setupLink";
import { SetupLink } from "./SetupLink";
import { ShareRun } from "./ShareRun";
import { useDebouncedSet, usePlaygroundCommands } from "./usePlaygroundRun";
import { ZooPicker } from "./ZooPicker";

export function PlaygroundPage({ runId, setup }: { runId: string | null; setup?: string }) {
  const api = useApi();
  const datasets = useRequest("datasets", () => call(api.rest.GET("/api/datasets")));
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
  // A setup link fills the form once, after the datasets it may name are known.
  const [setupRead, setSetupRead] = useState<string | null>(null);
  const [setupError, setSetupError] = useState<string | null>(null);
  if (setup && runId === null && datasets.data && setupRead !== setup) {
    setSetupRead(setup);
    const decoded = decodeSetup(setup, datasets.data.map((d) => d.name));
    if (decoded.ok) setForm(decoded.value);
    setSetupError(decoded.ok ? null : decoded.error);
  }
  const config = run ? sessionConfig(run) : null;
  const datasetKind = dataKind(config, datasets.data);
  const hasPoints = datasetKind === "plane" || datasetKind === "line" || datasetKind === "table";
  const points = useRequest(runId !== null && hasPoints ? `points:${runId}` : null, () =>
    call(api.rest.GET("/api/runs/{run_id}/data", { params: { path: { run_id: runId ?? "" } } })),
  );

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
  // A table's points load in its "Data" panel, which says so there.
  const loadErrors = [liveError ?? (datasetKind === "table" ? null : points.error), datasets.error, setupError].filter((m): m is string => m !== null);
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
        <SetupLink form={form} />
        {!live && <ZooPicker />}
        <Controls
          form={form}
          onChange={(patch) => setForm((f) => ({ ...f, ...patch }))}
          datasets={datasets.data}
          live={live}
        />
        {!live && <CompareSetup form={form} />}
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
              <span className="pg-panel-actions">
                <label className="toggle">
                  <input type="checkbox" checked={logScale} onChange={(e) => setLogScale(e.target.checked)} /> log scale
                </label>
                <SavePng name={`${run?.name ?? "run"}-loss`} selector=".loss-chart" testId="pg-png-loss" />
              </span>
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
          {runId === null && (
            <Panel title="Decision boundary">
              <BoundaryCanvas boundary={null} points={null} />
            </Panel>
          )}
          {run && config && (
            <RunViews
              runId={run.id}
              state={state}
              config={config}
              datasets={datasets.data}
              points={points.data}
              pointsError={points.error}
              onPointsRetry={points.reload}
              live={live}
            />
          )}
          {run && <ModulesPanel runId={run.id} live={live} canRerun />}
        </div>
      </section>
    </div>
  );
}
