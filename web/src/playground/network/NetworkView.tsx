/**
 * The network view of a live dense net: its current weights (from the safetensors export),
 * drawn on the edges, with what every unit computes over the plane (a 1-D set: over x, as a
 * curve), and how each layer's weights spread out over the run. Refreshed as the model changes.
 */

import { useEffect, useState } from "react";
import { call, errorMessage } from "../../api/client";
import { useApi } from "../../api/context";
import type { SessionConfig } from "../../api/types";
import { ErrorBanner } from "../../components/ErrorBanner";
import { FEATURE_TITLES } from "../form";
import { NetworkGraph } from "./NetworkGraph";
import { denseLayers, inputMaps, parseSafetensors, unitCurves, unitMaps, type DenseLayerWeights } from "./weights";
import { WeightHistory, type WeightSnapshot } from "./WeightHistory";

/** Sensible browser limits: pictures for up to 64 units, history of 80 snapshots. */
const MAX_PICTURE_UNITS = 64;
const MAX_HISTORY = 80;
const RES = 32;
const CURVE_POINTS = 48;

interface Props {
  runId: string;
  config: SessionConfig;
  /** Plane bounds of the data (a 1-D set: its x range, with ``line``), or null for a table set (no pictures). */
  bounds: readonly number[] | null;
  line?: boolean;
  /** Changes whenever the weights are worth fetching again. */
  version: string;
  step: number;
}

export function NetworkView({ runId, config, bounds, version, step, line = false }: Props) {
  const api = useApi();
  const [layers, setLayers] = useState<DenseLayerWeights[] | null>(null);
  const [history, setHistory] = useState<WeightSnapshot[]>([]);
  const [error, setError] = useState<string | null>(null);
  const dense = config.spec.layers.every((l) => l.type === "dense");

  useEffect(() => {
    if (!dense) return;
    let cancelled = false;
    call(api.rest.GET("/api/runs/{run_id}/export/{fmt}", { params: { path: { run_id: runId, fmt: "safetensors" } }, parseAs: "arrayBuffer" })).then(
      (buffer) => {
        if (cancelled) return;
        const parsed = denseLayers(parseSafetensors(buffer as ArrayBuffer), config);
        setLayers(parsed);
        setError(null);
        if (parsed) {
          const snapshot = { step, layers: Object.fromEntries(parsed.map((l) => [l.name, l.weight.flat()])) };
          setHistory((h) => [...h.filter((s) => s.step !== step), snapshot].slice(-MAX_HISTORY));
        }
      },
      (e: unknown) => !cancelled && setError(errorMessage(e)),
    );
    return () => {
      cancelled = true;
    };
    // The step is read when the version changes, not on every step.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [api, runId, version, dense]);

  if (!dense) return <p className="empty">The network view draws dense nets; this one has {config.spec.layers.map((l) => l.type).join(", ")} layers.</p>;
  const units = layers?.reduce((n, l) => n + l.bias.length, 0) ?? 0;
  const drawable = layers !== null && bounds !== null && units <= MAX_PICTURE_UNITS;
  const pictures = drawable && !line ? unitMaps(layers, config.data.features, bounds, RES) : null;
  const curves = drawable && line ? unitCurves(layers, bounds, CURVE_POINTS) : null;
  const width = layers?.[0]?.weight[0]?.length ?? 0;
  const planeInputs = ["x₁", "x₂", ...config.data.features.map((f) => FEATURE_TITLES[f])];
  const inputs = planeInputs.length === width ? planeInputs : Array.from({ length: width }, (_, k) => `x${k + 1}`);
  return (
    <div className="pg-network" data-testid="pg-network-view">
      <ErrorBanner message={error} />
      {!layers && !error && <p className="loading">Loading the weights…</p>}
      {layers && (
        <>
          <p className="panel-note">
            weights at step {history[history.length - 1]?.step ?? step}; blue edges are positive weights, orange negative, thicker is larger.
            {pictures ? " Each square shows what its unit outputs over the plane (orange < 0 < blue)." : ""}
            {curves ? " Each square shows its unit's output over x (left to right; grey line: 0, own scale)." : ""}
          </p>
          <NetworkGraph
            inputs={inputs}
            layers={layers}
            maps={pictures}
            inputMaps={pictures && bounds ? inputMaps(config.data.features, bounds, RES) : null}
            res={RES}
            curves={curves}
          />
          <h3 className="subheading">Weights over time</h3>
          <WeightHistory history={history} />
        </>
      )}
    </div>
  );
}
