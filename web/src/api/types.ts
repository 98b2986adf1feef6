/** Short names for the generated API types (never hand-written mirrors: see schema.gen.ts). */

import type { Readable } from "openapi-typescript-helpers";
import type { components, paths } from "./schema.gen";

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

/** A run: ``config`` is a SessionConfig, or a WatchRunConfig for runs of kind "watch". */
export type RunOut = Out["RunOut"];
export type WatchRunConfig = Out["WatchRunConfig-Output"];
/** A Playground run: its config is always a SessionConfig. */
export type PlaygroundRun = Omit<RunOut, "config"> & { config: SessionConfig };
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
/** A snapshot of a Playground run (test fixtures, Playground pages). */
export type PlaygroundSnapshot = Omit<LiveSnapshot, "run"> & { run: PlaygroundRun };
export type Series = Out["Series"];
export type CompactArray = Out["CompactArray"];
export type ErrorResponse = Out["ErrorResponse"];
export type Layer = Out["SessionConfig-Output"]["spec"]["layers"][number];
export type LayerType = Layer["type"];
export type ShapesRequest = In["ShapesRequest"];
export type ShapesOut = Out["ShapesOut"];
export type BackpropTrace = Out["BackpropTrace"];
export type LayerTrace = Out["LayerTrace"];
export type ImageSamples = Out["ImageSamples"];
export type ShareOut = Out["ShareOut"];
export type ShareLinkOut = Out["ShareLinkOut"];
export type ShareLinksOut = Out["ShareLinksOut"];
/** GET /api/shared/{token}: a read-only replay of a shared run. */
export type SharedRunOut = Out["SharedRunOut"];

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

/** The run's Playground config, or null for a run of another kind (e.g. "watch"). */
export function sessionConfig(run: RunOut): SessionConfig | null {
  return run.kind === "watch" || !("hyperparameters" in run.config) ? null : run.config;
}

export function isTerminal(status: RunStatus): boolean {
  return TERMINAL_STATUSES.includes(status);
}

// Playground (#3): builder, uploads, metrics, comparisons.
export type FeatureName = NonNullable<In["DataConfig-Input"]["features"]>[number];
export type TableRef = Out["TableRef"];
export type CsvUploadOut = Out["CsvUploadOut"];
export type EvaluationOut = Out["EvaluationOut"];
export type SplitReport = Out["SplitReport"];
export type CompareCreate = In["CompareCreate"];
/** By its route: another router defines a schema of the same name. */
export type RunComparisonOut = Readable<paths["/api/runs/compare"]["post"]["responses"][201]["content"]["application/json"]>;
export type NeuronContribution = Out["NeuronContribution"];
export type LayerShapeOut = Out["LayerShapeOut"];

// Analytics (#4): uploaded models and their reports.
export type ModelOut = Out["ModelOut"];
export type ModelPage = Out["ModelPage"];
export type ModelReport = Out["ModelReport"];
export type ModelComparison = Out["Comparison"];
export type ComparisonRow = Out["ComparisonRow"];
export type ModelFinding = ModelReport["findings"][number];
export type PenaltyItem = Out["PenaltyItem"];
export type LayerCost = Out["LayerCost"];
export type SpectralStats = Out["SpectralStats"];
export type WeightStats = Out["WeightStats"];
export type Opportunity = Out["Opportunity"];
export type EfficiencyReport = Out["EfficiencyReport"];
export type LayerInfo = Out["LayerInfo"];

// Decompose (#7): functional modules and their module map.
export type ModulesEvent = Out["ModulesEvent"];
export type ModulesPayload = Out["ModulesPayload"];
export type ModuleState = Out["ModuleState"];
export type ModuleLink = Out["ModuleLink"];
export type ModuleChange = Out["ModuleChange"];
export type ModulesOut = Out["ModulesOut"];
export type DecomposeRequest = In["DecomposeRequest"];

/* Search (issue #6): studies, trials, layout, live study events. */
export type StudyCreate = In["StudyCreate"];
export type StudyConfig = Out["StudyConfig"];
export type SearchSpace = Out["SearchSpace"];
export type SearchParam = SearchSpace["params"][string];
export type HealthWeights = Out["HealthWeights"];
export type StudyOut = Out["StudyOut"];
export type StudyList = Out["StudyList"];
export type StudySummary = Out["StudySummary"];
export type TrialSummary = Out["TrialSummary"];
export type TrialDetail = Out["TrialDetail"];
export type TrialPage = Out["TrialPage"];
export type TrialMetrics = Out["TrialMetrics"];
export type ArchitectureLayer = Out["ArchitectureLayer"];
export type CurvePoint = Out["CurvePoint"];
export type Importance = Out["Importance"];
export type ParetoFront = Out["ParetoFront"];
export type BestComparison = Out["BestComparison"];
export type DownloadsOut = Out["DownloadsOut"];
export type SearchDefaults = Out["SearchDefaults"];
export type DatasetChoice = Out["DatasetChoice"];
export type ModelLayout = Out["ModelLayout"];
export type LayoutBlock = Out["LayoutBlock"];
export type StudyEvent = Out["StudyEvent"];
export type StudyEvents = Out["StudyEvents"];

// Playground model zoo (#3)
export type ZooList = Out["ZooList"];
export type ZooModelOut = Out["ZooModelOut"];

// Playground activation heatmaps (#3)
export type ActivationsEvent = EventOf<"activations">;
