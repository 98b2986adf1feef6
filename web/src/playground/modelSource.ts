/**
 * Where a Playground run's model can be read from, for export and metrics: its live session
 * while a training thread holds the run, the final model the server stored when the run ended
 * (``RunOut.model_available``, kept across restarts), or nowhere (a run whose server process
 * was killed before it could keep the model).
 */

import type { RunOut } from "../api/types";

export type ModelSource = "live" | "stored" | "none";

/**
 * ``live`` is the page's view (a thread holds the run and its status is not terminal). The
 * server's own ``run.live`` stays true after the terminal status until the model is stored, and
 * the run's session answers until then, so there is no gap between the two sources.
 */
export function modelSource(run: RunOut | null, live: boolean): ModelSource {
  if (run === null || run.kind === "watch") return "none";
  if (live || run.live) return "live";
  return run.model_available ? "stored" : "none";
}

/** A sentence for the learner about what export and metrics use, or why they are off. */
export function modelSourceNote(source: ModelSource): string | null {
  switch (source) {
    case "live":
      return null;
    case "stored":
      return "This run has ended: its final model was kept, so it can still be exported and evaluated.";
    case "none":
      return "This run ended without a stored model (its server stopped before it could keep it), so there is nothing to export; train a new run to get one.";
  }
}
