/** Analytics fixtures: REAL API responses written by ``scripts/web_fixtures.py`` (``an_*.json``). */

import type { ErrorResponse, ModelComparison, ModelOut, ModelPage, ModelReport, RunPage } from "../../api/types";

const files = import.meta.glob<unknown>("../../test/fixtures/an_*.json", { eager: true, import: "default" });

function load<T>(name: string): T {
  const body = files[`../../test/fixtures/${name}`];
  if (body === undefined) throw new Error(`test fixture ${name} is missing: run 'make web-fixtures'`);
  return structuredClone(body) as T;
}

export const an = {
  /** POST /api/models of ``dead_layer.pt`` (a state dict with a planted dead layer "0"). */
  upload: () => load<ModelOut>("an_upload.json"),
  /** GET /api/models after three uploads. */
  models: () => load<ModelPage>("an_models.json"),
  /** GET /api/models/{id}/report: weights-only MLP with dead units 1 and 5 in layer "0". */
  deadReport: () => load<ModelReport>("an_report_dead.json"),
  /** The same MLP without the defect. */
  healthyReport: () => load<ModelReport>("an_report_healthy.json"),
  /** An executable torch.export CNN uploaded with input shape 1,3,16,16. */
  cnnReport: () => load<ModelReport>("an_report_cnn.json"),
  /** POST /api/models/compare of the healthy and the dead MLP. */
  compare: () => load<ModelComparison>("an_compare.json"),
  /** 422 bodies: a pickle that needs code, a truncated zip. */
  unsafe: () => load<ErrorResponse>("an_unsafe_error.json"),
  corrupt: () => load<ErrorResponse>("an_corrupt_error.json"),
  /** A TorchScript ResNet (2 residual blocks) with dead channels planted in layer "1.conv1". */
  resnetReport: () => load<ModelReport>("an_report_resnet.json"),
  /** GET /api/runs, and POST /api/models/from-run/{id} of its first run (and of an unknown run). */
  runs: () => load<RunPage>("an_runs.json"),
  fromRun: () => load<ModelOut>("an_from_run.json"),
  fromRunMissing: () => load<ErrorResponse>("an_from_run_missing.json"),
};
