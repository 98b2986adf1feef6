/**
 * The state of one watched run and the reducer that builds it from a {@link LiveSnapshot}
 * followed by event batches (WebSocket) or REST answers.
 *
 * The server subscribes a viewer before it takes the snapshot, so events around the snapshot
 * may arrive twice; merging is idempotent: a metric point is appended only when its step is
 * newer than the series' last point, markers are deduplicated, and a frame (boundary, layer
 * statistics, gradient norms) replaces the held one only when it is at least as new.
 */

import {
  isTerminal,
  sessionConfig,
  type ActivationsEvent,
  type BoundaryEvent,
  type FindingEvent,
  type GradientsEvent,
  type Hyperparameters,
  type HyperparametersEvent,
  type LayerStatsEvent,
  type LiveSnapshot,
  type RunEvent,
  type RunOut,
  type RunStatus,
  type Series,
  type StatusEvent,
} from "./types";

export type { HyperparametersEvent };
export type Marker = StatusEvent | HyperparametersEvent | FindingEvent;

export interface LiveState {
  run: RunOut | null;
  /** Latest known status: the run's, then every status event after it. */
  status: RunStatus | null;
  /** Newest step seen in any event or in the run record. */
  step: number;
  series: Record<string, Series>;
  /** Status, hyperparameter and finding events, oldest first, without duplicates. */
  markers: Marker[];
  boundary: BoundaryEvent | null;
  layerStats: LayerStatsEvent | null;
  gradients: GradientsEvent | null;
  activations: ActivationsEvent | null;
}

export type LiveAction =
  | { type: "snapshot"; snapshot: LiveSnapshot }
  | { type: "events"; events: RunEvent[] }
  | { type: "run"; run: RunOut }
  | { type: "reset" };

export const EMPTY_LIVE_STATE: LiveState = {
  run: null,
  status: null,
  step: 0,
  series: {},
  markers: [],
  boundary: null,
  layerStats: null,
  gradients: null,
  activations: null,
};

function isMarker(event: RunEvent): event is Marker {
  return event.kind === "status" || event.kind === "hyperparameters" || event.kind === "finding";
}

function markerKey(marker: Marker): string {
  return `${marker.kind}|${marker.step}|${marker.time}|${JSON.stringify(marker.payload)}`;
}

function newerFrame<E extends { step: number }>(held: E | null, incoming: E): E {
  return held === null || incoming.step >= held.step ? incoming : held;
}

/** Longest a live series grows before every other point is dropped (uPlot stays fast). */
export const MAX_POINTS = 5000;

/** Keep every other point and always the newest, so "newer than the last" still holds. */
function thin(series: Series): Series {
  const keep = (_: unknown, i: number) => i % 2 === 0 || i === series.steps.length - 1;
  return { steps: series.steps.filter(keep), values: series.values.filter(keep) };
}

function lastStep(series: Series): number {
  return series.steps.length ? (series.steps[series.steps.length - 1] as number) : -1;
}

function applySnapshot(snapshot: LiveSnapshot): LiveState {
  let state: LiveState = {
    ...EMPTY_LIVE_STATE,
    run: snapshot.run,
    status: snapshot.run.status,
    step: snapshot.run.last_step,
    series: Object.fromEntries(
      Object.entries(snapshot.series).map(([name, s]) => [name, { steps: [...s.steps], values: [...s.values] }]),
    ),
  };
  for (const s of Object.values(state.series)) state.step = Math.max(state.step, lastStep(s));
  // Markers and frames go through the same merge as live events, minus their status effect:
  // the run record already holds the status they led to.
  state = applyEvents(state, [...snapshot.markers, ...snapshot.latest]);
  return { ...state, status: snapshot.run.status };
}

function applyEvents(state: LiveState, events: readonly RunEvent[]): LiveState {
  if (events.length === 0) return state;
  let { status, step, boundary, layerStats, gradients, activations } = state;
  let series = state.series;
  let markers = state.markers;
  const seen = new Set(markers.map(markerKey));

  for (const event of events) {
    step = Math.max(step, event.step);
    switch (event.kind) {
      case "metrics":
        for (const [name, value] of Object.entries(event.payload.values)) {
          const held = series[name];
          if (held && event.step <= lastStep(held)) continue;
          if (series === state.series) series = { ...state.series };
          const grown = {
            steps: [...(held?.steps ?? []), event.step],
            values: [...(held?.values ?? []), value],
          };
          series[name] = grown.steps.length > MAX_POINTS ? thin(grown) : grown;
        }
        break;
      case "boundary":
        boundary = newerFrame(boundary, event);
        break;
      case "layer_stats":
        layerStats = newerFrame(layerStats, event);
        break;
      case "gradients":
        gradients = newerFrame(gradients, event);
        break;
      case "activations":
        activations = newerFrame(activations, event);
        break;
      default: {
        if (!isMarker(event)) break;
        const key = markerKey(event);
        if (seen.has(key)) break;
        seen.add(key);
        if (markers === state.markers) markers = [...state.markers];
        // Keep step order; a late event slots in after every marker of its step.
        let at = markers.length;
        while (at > 0 && (markers[at - 1] as Marker).step > event.step) at--;
        markers.splice(at, 0, event);
        if (event.kind === "status") status = event.payload.status;
      }
    }
  }
  return { ...state, status, step, series, markers, boundary, layerStats, gradients, activations };
}

export function liveReducer(state: LiveState, action: LiveAction): LiveState {
  switch (action.type) {
    case "snapshot":
      return applySnapshot(action.snapshot);
    case "events":
      return applyEvents(state, action.events);
    case "run":
      return {
        ...state,
        run: action.run,
        status: action.run.status,
        step: Math.max(state.step, action.run.last_step),
      };
    case "reset":
      return EMPTY_LIVE_STATE;
  }
}

/** True while a training thread holds the run and it has not ended. */
export function isLive(state: LiveState): boolean {
  return Boolean(state.run?.live) && state.status !== null && !isTerminal(state.status);
}

/** The newest non-null value of a series, if any. */
export function latestValue(state: LiveState, name: string): number | null {
  const s = state.series[name];
  if (!s) return null;
  for (let i = s.values.length - 1; i >= 0; i--) {
    const v = s.values[i];
    if (v !== null && v !== undefined) return v;
  }
  return null;
}

/** The run's hyperparameters now: its config with every recorded change applied in order. */
export function currentHyperparameters(state: LiveState): Hyperparameters | null {
  if (!state.run) return null;
  const current: Record<string, unknown> = { ...sessionConfig(state.run)?.hyperparameters };
  for (const marker of state.markers) {
    if (marker.kind !== "hyperparameters") continue;
    for (const change of marker.payload.changes) current[change.name] = change.new;
  }
  return current as Hyperparameters;
}
