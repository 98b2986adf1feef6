/**
 * The Playground's (#3) test fixtures: REAL API responses written by
 * ``scripts/web_fixtures.py`` (``make web-fixtures``) next to the shared ones.
 */

import type {
  BackpropTrace,
  RunComparisonOut,
  CsvUploadOut,
  DatasetPoints,
  ErrorResponse,
  EvaluationOut,
  ImageSamples,
  PlaygroundSnapshot,
  ShapesOut,
} from "../../api/types";

const files = import.meta.glob<unknown>("../../test/fixtures/pg_*.json", { eager: true, import: "default" });

function load<T>(name: string): () => T {
  return () => {
    const body = files[`../../test/fixtures/pg_${name}.json`];
    if (body === undefined) throw new Error(`test fixture pg_${name}.json is missing: run 'make web-fixtures'`);
    return structuredClone(body) as T;
  };
}

export const pg = {
  /** POST /api/nets/shapes: conv, pool, flatten, dense on digits. */
  shapes: load<ShapesOut>("shapes"),
  /** POST /api/nets/shapes: a dense layer before a conv on digits (error on layers.0). */
  shapesError: load<ShapesOut>("shapes_error"),
  /** POST /api/runs/{id}/backprop: a 2-3-1 tanh net on xor, step 2. */
  backprop: load<BackpropTrace>("backprop"),
  /** The 409 of a backprop step on a net with a Flatten. */
  backpropUnsupported: load<ErrorResponse>("backprop_unsupported"),
  evaluation: load<EvaluationOut>("evaluation"),
  evaluationMulticlass: load<EvaluationOut>("evaluation_multiclass"),
  evaluationRegression: load<EvaluationOut>("evaluation_regression"),
  snapshotMulticlass: load<PlaygroundSnapshot>("snapshot_multiclass"),
  snapshotPlane: load<PlaygroundSnapshot>("snapshot_plane"),
  snapshotSine: load<PlaygroundSnapshot>("snapshot_sine"),
  dataPlane: load<DatasetPoints>("data_plane"),
  dataSine: load<DatasetPoints>("data_sine"),
  samples: load<ImageSamples>("samples"),
  csv: load<CsvUploadOut>("csv"),
  csvError: load<ErrorResponse>("csv_error"),
  compare: load<RunComparisonOut>("compare"),
};
