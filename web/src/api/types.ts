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
export type SessionConfig = Out["SessionConfig"];
export type Hyperparameters = Out["Hyperparameters"];
export type DenseLayer = Out["DenseLayer"];
export type Activation = DenseLayer["activation"];
export type OptimizerName = NonNullable<Hyperparameters["optimizer"]>;
export type DatasetName = Out["DataConfig"]["dataset"];
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

/**
 * Every WebSocket message after the first. The server's ``EventMessage`` model is not in the
 * OpenAPI document (no REST route returns it), so it is composed here from the generated
 * event type; when the schema gains it, use ``Schemas["EventMessage"]`` instead.
 */
export type EventMessage = { type: "events"; events: RunEvent[] };

/** What arrives on ``/ws/runs/{id}``. */
export type LiveMessage = LiveSnapshot | EventMessage;

/** Statuses after which a run never changes again (mirrors RunStatus.is_terminal). */
export const TERMINAL_STATUSES: readonly RunStatus[] = ["stopped", "completed", "diverged", "failed"];

export function isTerminal(status: RunStatus): boolean {
  return TERMINAL_STATUSES.includes(status);
}
