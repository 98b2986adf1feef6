/** The module map (issue #7): embed ``<ModulesPanel runId live canRerun />`` in a run page. */

export { ModuleMap, type ModuleMapProps } from "./ModuleMap";
export { ModulesPanel, type ModulesPanelProps } from "./ModulesPanel";
