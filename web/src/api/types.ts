/** Short names for the generated API types (never hand-written mirrors: see schema.gen.ts). */

import type { Readable } from "openapi-typescript-helpers";
import type { components } from "./schema.gen";

/** Request bodies as generated. */
type In = components["schemas"];
/**
 * Responses as openapi-fetch returns them (``Readable``: tuples such as ``bounds`` read as
 * arrays), so REST answers and WebSocket messages share one type.
 */
type Out = { [K in keyof In]: Readable<In[K]> };

export type RunCreate = In["RunCreate"];
export type HyperparameterUpdate = In["HyperparameterUpdate"];
export type ControlAction = In["ControlRequest"]["action"];

export type RunOut = Out["RunOut"];
export type RunPage = Out["RunPage"];
export type RunStatus = Out["RunStatus"];
export type SessionConfig = Out["SessionConfig-Output"];
export type Hyperparameters = Out["Hyperparameters-Output"];
export type DenseLayer = Out["DenseLayer-Output"];
export type Activation = DenseLayer["activation"];
export type OptimizerName = NonNullable<Hyperparameters["optimizer"]>;
export type DatasetName = Out["DataConfig-Output"]["dataset"];
export type DatasetInfo = Out["DatasetInfo"];
export type DatasetPoints = Out["DatasetPoints"];
export type LiveSnapshot = Out["LiveSnapshot"];
export type Series = Out["Series"];
export type CompactArray = Out["CompactArray"];
export type ErrorResponse = Out["ErrorResponse"];

/** One event of the discriminated union (on ``kind``). */
export type RunEvent = Out["EventsOut"]["events"][number];
export type EventKind = RunEvent["kind"];
export type EventOf<K extends EventKind> = Extract<RunEvent, { kind: K }>;
export type StatusEvent = EventOf<"status">;
export type MetricsEvent = EventOf<"metrics">;
export type HyperparametersEvent = EventOf<"hyperparameters">;
export type FindingEvent = EventOf<"finding">;
export type BoundaryEvent = EventOf<"boundary">;
export type LayerStatsEvent = EventOf<"layer_stats">;
export type GradientsEvent = EventOf<"gradients">;

/** Every WebSocket message after the first: a batch of events. */
export type EventMessage = Out["EventMessage"];

/** What arrives on ``/ws/runs/{id}``. */
export type LiveMessage = LiveSnapshot | EventMessage;

/** Statuses after which a run never changes again (mirrors RunStatus.is_terminal). */
export const TERMINAL_STATUSES: readonly RunStatus[] = ["stopped", "completed", "diverged", "failed"];

export function isTerminal(status: RunStatus): boolean {
  return TERMINAL_STATUSES.includes(status);
}
