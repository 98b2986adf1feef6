import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { FakeWebSocket } from "../test/fakeWebSocket";
import { fixtures } from "../test/fixtures";
import { connectLive, type ConnectionState } from "./live";
import type { LiveMessage } from "./types";

function connect(shouldReconnect: () => boolean) {
  const messages: LiveMessage[] = [];
  const states: ConnectionState[] = [];
  const refusals: string[] = [];
  const connection = connectLive({
    url: "ws://localhost/ws/runs/a",
    onMessage: (m) => messages.push(m),
    shouldReconnect,
    onState: (s) => states.push(s),
    onRefused: (r) => refusals.push(r),
    backoff: { initialMs: 100, maxMs: 400 },
    WebSocketImpl: FakeWebSocket as unknown as typeof WebSocket,
  });
  return { connection, messages, states, refusals };
}

describe("connectLive", () => {
  beforeEach(() => {
    FakeWebSocket.reset();
    vi.useFakeTimers();
  });
  afterEach(() => vi.useRealTimers());

  it("hands over the snapshot and event batches it receives", () => {
    const { messages } = connect(() => true);
    const [snapshot, batch] = fixtures.transcript();
    FakeWebSocket.latest.open();
    FakeWebSocket.latest.receive(snapshot);
    FakeWebSocket.latest.receive(batch);
    FakeWebSocket.latest.onmessage?.(new MessageEvent("message", { data: "not json" }));
    expect(messages.map((m) => m.type)).toEqual(["snapshot", "events"]);
  });

  it("reconnects with growing delays while the run is live", () => {
    const { states } = connect(() => true);
    FakeWebSocket.latest.open();
    FakeWebSocket.latest.drop();
    expect(FakeWebSocket.instances).toHaveLength(1);
    vi.advanceTimersByTime(100);
    expect(FakeWebSocket.instances).toHaveLength(2);
    FakeWebSocket.latest.drop();
    vi.advanceTimersByTime(199);
    expect(FakeWebSocket.instances).toHaveLength(2);
    vi.advanceTimersByTime(1);
    expect(FakeWebSocket.instances).toHaveLength(3);
    // a snapshot means the connection is healthy again: the delay starts over
    FakeWebSocket.latest.receive(fixtures.snapshot());
    FakeWebSocket.latest.drop();
    vi.advanceTimersByTime(100);
    expect(FakeWebSocket.instances).toHaveLength(4);
    expect(states).toContain("reconnecting");
  });

  it("does not reconnect once the run has ended, nor after a refusal", () => {
    const ended = connect(() => false);
    FakeWebSocket.latest.drop();
    vi.advanceTimersByTime(10_000);
    expect(FakeWebSocket.instances).toHaveLength(1);
    expect(ended.states[ended.states.length - 1]).toBe("closed");

    const refused = connect(() => true);
    FakeWebSocket.latest.drop(4404, "no run with id a");
    vi.advanceTimersByTime(10_000);
    expect(FakeWebSocket.instances).toHaveLength(2);
    expect(refused.refusals[0]).toMatch(/does not exist/);
  });

  it("closes cleanly and stays closed", () => {
    const { connection } = connect(() => true);
    const ws = FakeWebSocket.latest;
    ws.open();
    connection.close();
    expect(ws.closedWith?.code).toBe(1000);
    vi.advanceTimersByTime(10_000);
    expect(FakeWebSocket.instances).toHaveLength(1);
  });
});
