import { describe, expect, it } from "vitest";
import type { TrialSummary } from "../api/types";
import { initialLive, reduceEvents } from "./studyLive";
import { searchFixtures } from "./testFixtures";

describe("study live reducer", () => {
  it("folds a snapshot, a start, curve points, a finish and a new best", () => {
    const first = searchFixtures.live().events;
    let state = reduceEvents(initialLive, first);
    expect(state.study?.name).toBe("digits-fixture");
    const running = first.find((e) => e.type === "trial_started")?.trial as TrialSummary;
    expect(state.trials[running.number]?.state).toBe("running");

    const points = [{ epoch: 4, train_loss: 0.3, val_accuracy: 0.9, health: null }];
    state = reduceEvents(state, [{ type: "curve", number: running.number, points }]);
    expect(state.trials[running.number]?.curve.map((p) => p.epoch)).toEqual([...running.curve.map((p) => p.epoch), 4]);

    const done = { ...running, state: "complete" as const, values: [99] };
    state = reduceEvents(state, [{ type: "trial_finished", trial: done }, { type: "new_best", trial: done }]);
    expect(state.trials[running.number]?.values).toEqual([99]);
    expect(state.newBest).toBe(running.number);
    expect(state.version).toBe(3);
  });

  it("ignores curve points of trials it never saw start", () => {
    const state = reduceEvents(initialLive, [{ type: "curve", number: 42, points: [] }]);
    expect(state.trials).toEqual({});
  });
});
