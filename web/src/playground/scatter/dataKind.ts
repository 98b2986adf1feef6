/**
 * What a run's data looks like in the Playground: an uploaded CSV is a line, a plane or a
 * table by its feature count (the catalogue has no entry for it); the others as catalogued.
 */

import type { DatasetInfo, SessionConfig } from "../../api/types";

export type DataKind = DatasetInfo["kind"];

export function dataKind(config: SessionConfig | null, datasets: readonly DatasetInfo[] | null | undefined): DataKind | undefined {
  if (!config) return undefined;
  const table = config.data.table;
  if (table) return table.n_features === 1 ? "line" : table.n_features === 2 ? "plane" : "table";
  return datasets?.find((d) => d.name === config.data.dataset)?.kind;
}
