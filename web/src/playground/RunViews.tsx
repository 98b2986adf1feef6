/**
 * The views of a loaded run: the data and the model's output on it (boundary, curve or
 * image grid), step-by-step backprop, metrics, training dynamics, and export (every chart
 * also saves as a PNG from its panel's header).
 */

import { call } from "../api/client";
import { useApi } from "../api/context";
import type { LiveState } from "../api/liveState";
import type { DatasetInfo, DatasetPoints, SessionConfig } from "../api/types";
import { useRequest } from "../api/useRequest";
import { BoundaryCanvas } from "../components/BoundaryCanvas";
import { SavePng } from "../components/ChartExport";
import { ErrorBanner } from "../components/ErrorBanner";
import { GradientNorms } from "../components/GradientNorms";
import { ImageGrid } from "../components/ImageGrid";
import { LayerStats } from "../components/LayerStats";
import { Panel } from "../components/Panel";
import { BackpropStepper } from "./backprop/BackpropStepper";
import { ExportButtons } from "./ExportButtons";
import { MetricsPanel, SeriesCsvButton } from "./MetricsPanel";
import { modelSource } from "./modelSource";
import { ActivationHeatmaps } from "./network/ActivationHeatmaps";
import { NetworkView } from "./network/NetworkView";
import { dataKind } from "./scatter/dataKind";
import { DataScatter } from "./scatter/DataScatter";
import { useThrottled } from "./useThrottled";

/** While training, ask the server about the model at most this often. */
const REFRESH_MS = 1000;

interface Props {
  runId: string;
  state: LiveState;
  config: SessionConfig;
  datasets: DatasetInfo[] | null;
  points: DatasetPoints | null;
  /** Why the points could not be loaded (shown in a table's "Data" panel), and a retry. */
  pointsError?: string | null;
  onPointsRetry?: () => void;
  live: boolean;
}

function SampleImages({ runId }: { runId: string }) {
  const api = useApi();
  const samples = useRequest(`samples:${runId}`, () =>
    call(api.rest.GET("/api/runs/{run_id}/samples", { params: { path: { run_id: runId }, query: { limit: 32 } } })),
  );
  if (samples.error) return <ErrorBanner message={samples.error} />;
  if (!samples.data) return <p className="loading">Loading images…</p>;
  return <ImageGrid samples={samples.data} />;
}

/** A version of the model worth asking about again: every step while paused, every ``every`` while running. */
export function modelVersion(state: LiveState, every = 250): string {
  const step = state.status === "running" ? Math.floor(state.step / every) * every : state.step;
  return `${state.status ?? ""}:${step}`;
}

export function RunViews({ runId, state, config, datasets, points, pointsError = null, onPointsRetry, live }: Props) {
  const info = datasets?.find((d) => d.name === config.data.dataset);
  const kind = dataKind(config, datasets) ?? "table";
  const nClasses = info?.task === "multiclass" ? config.data.n_classes : info?.n_classes;
  const metricsVersion = useThrottled(modelVersion(state), REFRESH_MS);
  const weightsVersion = useThrottled(modelVersion(state, 100), REFRESH_MS);
  const name = state.run?.name ?? "run";
  const source = modelSource(state.run, live);
  const png = (what: string, selector: string) => <SavePng name={`${name}-${what}`} selector={selector} testId={`pg-png-${what}`} />;
  return (
    <>
      <Panel
        title={kind === "image" || kind === "table" ? "Data" : "Decision boundary"}
        actions={
          kind === "plane" || kind === "line"
            ? png("boundary", ".boundary")
            : kind === "image"
              ? png("samples", "canvas")
              : points
                ? png("data", ".pg-scatter canvas")
                : undefined
        }
      >
        {kind === "image" && <SampleImages runId={runId} />}
        {(kind === "plane" || kind === "line") && (
          <BoundaryCanvas boundary={state.boundary} points={points} nClasses={nClasses} line={kind === "line"} />
        )}
        {kind === "table" && <DataScatter points={points} error={pointsError} onRetry={onPointsRetry} />}
      </Panel>
      <Panel title="Metrics">
        {source !== "none" ? (
          <MetricsPanel runId={runId} version={metricsVersion} series={state.series} runName={name} />
        ) : (
          <>
            <p className="empty" data-testid="pg-metrics-none">
              This run ended without a stored model, so its metrics cannot be computed again (its last numbers are in the summary above).
            </p>
            <SeriesCsvButton series={state.series} runName={name} />
          </>
        )}
      </Panel>
      <Panel title="Network" className="panel-wide" actions={source !== "none" ? png("network", ".pg-network") : undefined}>
        {source !== "none" ? (
          <NetworkView
            runId={runId}
            config={config}
            bounds={kind === "plane" || kind === "line" ? (points?.bounds ?? null) : null}
            line={kind === "line"}
            version={weightsVersion}
            step={state.step}
          />
        ) : (
          <p className="empty" data-testid="pg-network-none">
            This run ended without a stored model, so its weights cannot be drawn.
          </p>
        )}
      </Panel>
      <Panel title="Activations" className="panel-wide" actions={state.activations ? png("activations", ".pg-heatmaps") : undefined}>
        <ActivationHeatmaps event={state.activations} byClass={kind === "image" || kind === "table"} />
      </Panel>
      <Panel title="Step-by-step backprop" className="panel-wide">
        <BackpropStepper runId={runId} status={state.status} live={live} />
      </Panel>
      <Panel title="Gradient norms" actions={state.gradients ? png("gradient-norms", "[data-testid=gradient-norms]") : undefined}>
        <GradientNorms event={state.gradients} />
      </Panel>
      <Panel title="Layer statistics" actions={state.layerStats ? png("layer-stats", "[data-testid=layer-stats]") : undefined}>
        <LayerStats event={state.layerStats} />
      </Panel>
      <Panel title="Export the model">
        <ExportButtons runId={runId} runName={state.run?.name ?? "model"} source={source} />
      </Panel>
    </>
  );
}
