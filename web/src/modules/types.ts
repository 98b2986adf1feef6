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

import type { components } from "../api/schema.gen";

/** ``POST /api/runs/{id}/modules/{module_id}/what-if``: an intervention previewed on a copy. */
export type WhatIfRequest = components["schemas"]["WhatIfRequest"];
export type WhatIfOut = components["schemas"]["WhatIfOut"];
export type Intervention = WhatIfRequest["intervention"];
