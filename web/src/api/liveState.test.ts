import { describe, expect, it } from "vitest";
import { fixtures, recordedChange } from "../test/fixtures";
import { markerLabel } from "../format";
import {
  currentHyperparameters,
  EMPTY_LIVE_STATE,
  isLive,
  latestValue,
  liveReducer,
  MAX_POINTS,
  type LiveAction,
  type LiveState,
} from "./liveState";
import { sessionConfig, type LiveMessage, type MetricsEvent, type RunEvent } from "./types";

function toAction(message: LiveMessage): LiveAction {
  return message.type === "snapshot" ? { type: "snapshot", snapshot: message } : { type: "events", events: message.events };
}

function replay(messages: LiveMessage[], start: LiveState = EMPTY_LIVE_STATE): LiveState {
  return messages.map(toAction).reduce(liveReducer, start);
}

function markerSummary(state: LiveState) {
  return state.markers.map((m) => ({ kind: m.kind, step: m.step, payload: m.payload }));
}

describe("liveReducer over a real WebSocket transcript", () => {
  it("ends with the same curves, markers and frames as the server's own final snapshot", () => {
    const final = fixtures.snapshot();
    const state = replay(fixtures.transcript());

    for (const name of ["train/loss", "val/loss", "train/accuracy", "val/accuracy"]) {
      expect(state.series[name], name).toEqual(final.series[name]);
    }
    expect(markerSummary(state)).toEqual(
      final.markers.map((m) => ({ kind: m.kind, step: m.step, payload: m.payload })),
    );
    expect(state.status).toBe("completed");
    expect(state.step).toBe(final.run.last_step);
    const latestBoundary = final.latest.find((e) => e.kind === "boundary");
    expect(state.boundary?.step).toBe(latestBoundary?.step);
  });

  it("is idempotent: repeated batches and a reconnect snapshot change nothing", () => {
    const transcript = fixtures.transcript();
    const once = replay(transcript);
    const [first, ...batches] = transcript as [LiveMessage, ...LiveMessage[]];
    const middle = Math.floor(batches.length / 2);
    // Every batch twice, and the first snapshot again halfway (as after a reconnect the
    // server's fresh snapshot replaces state, then the batches around it repeat).
    const noisy = [first, ...batches.slice(0, middle).flatMap((b) => [b, b]), ...batches.slice(0, middle), ...batches.slice(middle)];
    const twice = replay(noisy);
    expect(twice.series).toEqual(once.series);
    expect(markerSummary(twice)).toEqual(markerSummary(once));
    expect(twice.status).toBe(once.status);
  });

  it("ignores events that the final snapshot already holds", () => {
    const final = fixtures.snapshot();
    const fromSnapshot = liveReducer(EMPTY_LIVE_STATE, { type: "snapshot", snapshot: final });
    const allEvents = fixtures
      .transcript()
      .flatMap((m) => (m.type === "events" ? m.events : []));
    const after = liveReducer(fromSnapshot, { type: "events", events: allEvents });
    expect(after.series).toEqual(fromSnapshot.series);
    expect(after.markers).toEqual(fromSnapshot.markers);
    expect(after.status).toBe("completed");
  });

  it("keeps markers in step order and labels the hyperparameter change", () => {
    const state = replay(fixtures.transcript());
    const steps = state.markers.map((m) => m.step);
    expect(steps).toEqual([...steps].sort((a, b) => a - b));
    const labels = state.markers.map(markerLabel);
    const optimizer = recordedChange("optimizer");
    const change = labels.find((l) => l.includes("lr"));
    expect(change).toContain("lr 0.03→0.1");
    expect(change).toContain(`optimizer ${optimizer.old}→${optimizer.new}`);
    expect(labels.filter((l) => l === "paused")).toHaveLength(1);
    expect(labels[labels.length - 1]).toBe("completed");
  });

  it("follows status changes as they stream", () => {
    // One event at a time, so the check does not depend on how the server batched them.
    const oneByOne = fixtures
      .transcript()
      .flatMap((m): LiveMessage[] => (m.type === "snapshot" ? [m] : m.events.map((e) => ({ type: "events", events: [e] }))));
    let state = EMPTY_LIVE_STATE;
    const statuses: (string | null)[] = [];
    for (const message of oneByOne) {
      state = liveReducer(state, toAction(message));
      if (state.status !== statuses[statuses.length - 1]) statuses.push(state.status);
    }
    expect(statuses).toEqual(["created", "running", "paused", "running", "completed"]);
  });

  it("applies hyperparameter changes to the run's config", () => {
    const state = replay(fixtures.transcript());
    const config = state.run ? sessionConfig(state.run) : null;
    expect(config?.hyperparameters?.learning_rate).toBe(0.03);
    expect(currentHyperparameters(state)).toMatchObject({
      learning_rate: 0.1,
      optimizer: recordedChange("optimizer").new,
      batch_size: config?.hyperparameters?.batch_size,
    });
  });

  it("reads the newest values and liveness", () => {
    const final = fixtures.snapshot();
    const state = liveReducer(EMPTY_LIVE_STATE, { type: "snapshot", snapshot: final });
    const loss = final.series["val/loss"];
    expect(latestValue(state, "val/loss")).toBe(loss?.values[loss.values.length - 1]);
    expect(latestValue(state, "no/such")).toBeNull();
    expect(isLive(state)).toBe(false);
    const running = liveReducer(state, { type: "run", run: { ...final.run, status: "running", live: true } });
    expect(isLive(running)).toBe(true);
  });
});

describe("liveReducer merge rules", () => {
  const snapshot = () => {
    const s = fixtures.snapshot();
    return liveReducer(EMPTY_LIVE_STATE, { type: "snapshot", snapshot: s });
  };
  const metrics = (step: number, loss: number): MetricsEvent => ({
    run_id: "r",
    step,
    time: step,
    kind: "metrics",
    payload: { values: { "train/loss": loss } },
  });

  it("appends a point only when its step is newer than the series' last", () => {
    const state = snapshot();
    const last = state.step;
    const next = liveReducer(state, { type: "events", events: [metrics(last, 9), metrics(last - 10, 9), metrics(last + 10, 0.5)] });
    const loss = next.series["train/loss"];
    expect(loss?.steps.slice(-2)).toEqual([last, last + 10]);
    expect(loss?.values[loss.values.length - 1]).toBe(0.5);
    expect(loss?.values).not.toContain(9);
    expect(next.step).toBe(last + 10);
  });

  it("keeps the newest frame of each kind", () => {
    const state = snapshot();
    const boundary = state.boundary;
    if (!boundary) throw new Error("fixture snapshot has no boundary");
    const older: RunEvent = { ...boundary, step: boundary.step - 20 };
    expect(liveReducer(state, { type: "events", events: [older] }).boundary).toBe(boundary);
    const newer: RunEvent = { ...boundary, step: boundary.step + 20 };
    expect(liveReducer(state, { type: "events", events: [newer] }).boundary?.step).toBe(boundary.step + 20);
  });

  it("thins a long series, keeping its newest point", () => {
    let state = EMPTY_LIVE_STATE;
    const events = Array.from({ length: MAX_POINTS + 1 }, (_, i) => metrics(i, 1 / (i + 1)));
    state = liveReducer(state, { type: "events", events });
    const loss = state.series["train/loss"];
    expect(loss?.steps.length).toBeLessThanOrEqual(MAX_POINTS);
    expect(loss?.steps[loss.steps.length - 1]).toBe(MAX_POINTS);
    expect(loss?.steps).toEqual([...(loss?.steps ?? [])].sort((a, b) => a - b));
  });

  it("resets to nothing", () => {
    expect(liveReducer(snapshot(), { type: "reset" })).toBe(EMPTY_LIVE_STATE);
  });
});
