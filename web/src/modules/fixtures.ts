/** Module snapshots for the module map's tests (shapes as the server sends them). */

import type { ModuleChange, ModulesEvent, ModuleState } from "./types";

function b64(values: number[]): string {
  const bytes = new Uint8Array(new Float32Array(values).buffer);
  let s = "";
  bytes.forEach((b) => (s += String.fromCharCode(b)));
  return btoa(s);
}

export function moduleState(id: string, layer: string, units: number[], drive: number[], label: string | null): ModuleState {
  return {
    id,
    layer,
    units,
    taylor: 0.1,
    taylor_share: 0.5,
    scores:
      label === null
        ? null
        : {
            step: 100,
            importance: 0.5,
            percentile: 60,
            loss_increase: 0.3,
            keep_only: [0.99, 0.5],
            ablate_only: [0.5, 0.99],
            probe: [0.99, 0.5],
            chance: [0.5, 0.5],
            selectivity: 0.4,
            label,
          },
    smoothed: { units: units.length },
    class_drive: drive,
    unit_drive: { shape: [units.length, drive.length], dtype: "float32", data: b64(units.flatMap(() => drive)) },
    unit_mean: units.map(() => 0.5),
    unit_std: units.map(() => 0.1),
    weight_in: units.map((u) => 1 + u / 10),
    input_pattern: { shape: [2, 2], dtype: "float32", data: b64([0, 0.5, 0.5, 1]) },
  };
}

export function snapshot(step: number, changes: ModuleChange[], evaluated = true): ModulesEvent {
  const a1 = moduleState("act1/M1", "act1", [0, 1, 2, 3], [1.2, -0.4], evaluated ? "detects class 0; probe 0.99 vs chance 0.50" : null);
  const b1 = moduleState("act1/M2", "act1", [4, 5], [-0.3, 0.9], evaluated ? "uninformative: probe at chance on every task" : null);
  const a2 = moduleState("act2/M3", "act2", [0, 1, 2], [0.8, -0.8], null);
  return {
    run_id: "r".repeat(32),
    step,
    time: step,
    kind: "modules",
    payload: {
      probe: "validation (250 samples)",
      evaluated,
      seconds: 0.12,
      layers: [
        {
          layer: "act1",
          units: 6,
          method: "components",
          k_chosen_by: "components",
          caveat: null,
          significant: true,
          modularity: 0.45,
          p_value: 0.001,
          verdict: "2 modules (Q = 0.450, p = 0.001)",
          dead_units: [],
          full_accuracy: [0.99],
        },
        {
          layer: "act2",
          units: 3,
          method: "components",
          k_chosen_by: "too few live units",
          caveat: null,
          significant: false,
          modularity: 0,
          p_value: 1,
          verdict: "no modular structure: one module",
          dead_units: [],
          full_accuracy: [],
        },
      ],
      modules: [a1, b1, a2],
      links: [
        { source: "act1/M1", target: "act2/M3", weight: 0.7, gradient: 0.95 },
        { source: "act1/M2", target: "act2/M3", weight: 0.3, gradient: 0.05 },
      ],
      changes,
      findings: evaluated
        ? [
            {
              code: "uninformative_module",
              severity: "info",
              layer: "act1",
              evidence: { module: "act1/M2", probe: [0.5], chance: [0.5] },
              message: "A linear probe on module act1/M2 decodes no task above chance.",
              recommendation: "Re-initialise or prune module act1/M2.",
            },
          ]
        : [],
      previews: evaluated
        ? [
            {
              module: "act1/M2",
              intervention: "prune",
              loss_before: 0.1,
              loss_after: 0.1,
              accuracy_before: [0.99],
              accuracy_after: [0.99],
            },
          ]
        : [],
    },
  };
}

export const SNAPSHOTS: ModulesEvent[] = [
  snapshot(
    200,
    [
      { type: "born", layer: "act1", modules: ["act1/M1"], jaccard: 0 },
      { type: "born", layer: "act1", modules: ["act1/M2"], jaccard: 0 },
    ],
    false,
  ),
  snapshot(400, [{ type: "split", layer: "act2", modules: ["act2/M0", "act2/M3", "act2/M4"], jaccard: 0.5 }]),
];
