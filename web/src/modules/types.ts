/** Types of the module map (aliases of the generated API types). */

import type { ModulesPayload } from "../api/types";

export type {
  DecomposeRequest,
  ModuleChange,
  ModuleLink,
  ModulesEvent,
  ModulesOut,
  ModulesPayload,
  ModuleState,
} from "../api/types";
export type ModulePreview = ModulesPayload["previews"][number];
export type ModuleFinding = ModulesPayload["findings"][number];
export type ModuleLayerState = ModulesPayload["layers"][number];
