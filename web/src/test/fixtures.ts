/**
 * Fixtures written by Python from REAL API responses (``make web-fixtures`` runs
 * ``scripts/web_fixtures.py``): one short run through the real app with a pause, a
 * hyperparameter change and a resume. They are not committed.
 */

import type {
  DatasetInfo,
  DatasetPoints,
  ErrorResponse,
  EventMessage,
  LiveMessage,
  PlaygroundSnapshot,
  RunOut,
  RunPage,
  SharedRunOut,
} from "../api/types";

const files = import.meta.glob<unknown>("./fixtures/*.json", { eager: true, import: "default" });

function load<T>(name: string): T {
  const body = files[`./fixtures/${name}`];
  if (body === undefined) {
    throw new Error(`test fixture ${name} is missing: run 'make web-fixtures' (writes web/src/test/fixtures/)`);
  }
  // A deep copy, so a test that mutates its fixture cannot leak into another test.
  return structuredClone(body) as T;
}

/** GET /api/runs/{id}/snapshot once the run completed. */
const snapshot = () => load<PlaygroundSnapshot>("snapshot.json");
/** Every WebSocket message after the first, from ``start`` to the ``completed`` status. */
const messages = () => load<EventMessage[]>("messages.json");

/**
 * The WebSocket's first message as it was before training began (the fixture script does not
 * keep it): the final snapshot cut back to what existed then, the step-0 evaluation.
 */
function initialSnapshot(): PlaygroundSnapshot {
  const final = snapshot();
  const keep = (steps: number[]) => steps.filter((s) => s === 0).length;
  return {
    ...final,
    run: { ...final.run, status: "created", live: true, last_step: 0, summary: {}, finished_at: null },
    series: Object.fromEntries(
      Object.entries(final.series).map(([name, s]) => [name, { steps: s.steps.slice(0, keep(s.steps)), values: s.values.slice(0, keep(s.steps)) }]),
    ),
    markers: [],
    latest: [],
  };
}

export const fixtures = {
  snapshot,
  messages,
  initialSnapshot,
  /** What a viewer who connected before the start received: snapshot, then the batches. */
  transcript: (): LiveMessage[] => [initialSnapshot(), ...messages()],
  /** GET /api/runs/{id}/data. */
  data: () => load<DatasetPoints>("data.json"),
  /** GET /api/runs/{id}. */
  run: () => load<RunOut>("run.json"),
  /** GET /api/runs. */
  runs: () => load<RunPage>("runs.json"),
  /** GET /api/datasets. */
  datasets: () => load<DatasetInfo[]>("datasets.json"),
  /** The 409 body of an illegal control action. */
  conflict: () => load<ErrorResponse>("error.json"),
  /** GET /api/shared/{token} for a share link of the run. */
  shared: () => load<SharedRunOut>("shared.json"),
};

/** The fixture run's hyperparameter change, as the server recorded it. */
export function recordedChange(name: string): { old: number | string; new: number | string } {
  for (const marker of snapshot().markers) {
    if (marker.kind !== "hyperparameters") continue;
    const change = marker.payload.changes.find((c) => c.name === name);
    if (change) return change;
  }
  throw new Error(`the fixture run has no ${name} change`);
}
