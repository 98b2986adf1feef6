import { describe, expect, it } from "vitest";
import type { RunOut } from "../api/types";
import { fixtures } from "../test/fixtures";
import { modelSource, modelSourceNote } from "./modelSource";

function run(patch: Partial<RunOut>): RunOut {
  return { ...fixtures.snapshot().run, ...patch };
}

describe("modelSource", () => {
  it("reads a live run's session", () => {
    expect(modelSource(run({ status: "running", live: true, model_available: false }), true)).toBe("live");
  });

  it("still reads the session while the server holds a run that has just ended", () => {
    // The page saw the terminal status; the thread is storing the model and still answers.
    expect(modelSource(run({ status: "completed", live: true, model_available: false }), false)).toBe("live");
  });

  it("reads the stored final model of an ended run, whatever its terminal status", () => {
    for (const status of ["completed", "stopped", "diverged", "failed"] as const) {
      expect(modelSource(run({ status, live: false, model_available: true }), false)).toBe("stored");
    }
  });

  it("has nothing for an ended run that kept no model, a watched run or no run", () => {
    expect(modelSource(run({ status: "failed", live: false, model_available: false }), false)).toBe("none");
    expect(modelSource(run({ kind: "watch", live: true, model_available: false }), false)).toBe("none");
    expect(modelSource(null, false)).toBe("none");
  });

  it("explains the ended cases and says nothing for a live run", () => {
    expect(modelSourceNote("live")).toBeNull();
    expect(modelSourceNote("stored")).toContain("final model was kept");
    expect(modelSourceNote("none")).toContain("without a stored model");
  });
});
