/** Search fixtures written by ``scripts/web_fixtures.py`` from REAL API responses (``make web-fixtures``). */

import type {
  BestComparison,
  DownloadsOut,
  ErrorResponse,
  Importance,
  ModelLayout,
  SearchDefaults,
  StudyEvents,
  StudyList,
  StudyOut,
  TrialPage,
} from "../api/types";

const files = import.meta.glob<unknown>("../test/fixtures/search_*.json", { eager: true, import: "default" });

function load<T>(name: string): T {
  const body = files[`../test/fixtures/search_${name}.json`];
  if (body === undefined) throw new Error(`test fixture search_${name}.json is missing: run 'make web-fixtures'`);
  return structuredClone(body) as T;
}

export const searchFixtures = {
  studies: () => load<StudyList>("studies"),
  study: () => load<StudyOut>("study"),
  trials: () => load<TrialPage>("trials"),
  top: () => load<TrialPage>("top"),
  live: () => load<StudyEvents>("live"),
  importance: () => load<Importance>("importance"),
  compare: () => load<BestComparison>("compare"),
  layout: () => load<ModelLayout>("layout"),
  files: () => load<DownloadsOut>("files"),
  defaults: () => load<SearchDefaults>("defaults"),
  conflict: () => load<ErrorResponse>("conflict"),
};
