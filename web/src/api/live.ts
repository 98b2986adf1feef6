/**
 * Watching a run live: the WebSocket client (``/ws/runs/{id}``) and the ``useLiveRun`` hook.
 *
 * The first message is a snapshot, every later one a batch of events; both go through
 * {@link liveReducer} into a {@link LiveStore} that repaints at most once per animation frame.
 * If the socket drops while the run is still live, it reconnects with exponential backoff and
 * the server's fresh snapshot replaces what was held.
 */

import { useCallback, useEffect, useState, useSyncExternalStore } from "react";
import { call, errorMessage } from "./client";
import { useApi } from "./context";
import { isLive, type LiveAction, type LiveState } from "./liveState";
import { LiveStore } from "./liveStore";
import type { LiveMessage } from "./types";

export type ConnectionState = "idle" | "connecting" | "open" | "reconnecting" | "closed";

export interface Backoff {
  initialMs: number;
  maxMs: number;
}

export interface LiveConnectionOptions {
  url: string;
  onMessage(message: LiveMessage): void;
  /** Asked when the socket drops: reconnect only while the run is live. */
  shouldReconnect(): boolean;
  onState?(state: ConnectionState): void;
  /** The server refused the connection for good (unknown run, missing token). */
  onRefused?(message: string): void;
  backoff?: Backoff;
  WebSocketImpl?: typeof WebSocket;
}

export interface LiveConnection {
  close(): void;
}

const DEFAULT_BACKOFF: Backoff = { initialMs: 500, maxMs: 10_000 };

/** Close codes after which retrying cannot help. */
const REFUSALS: Record<number, string> = {
  1008: "The server needs a token: open the page with ?token=<token>.",
  4404: "This run does not exist on the server.",
};

function parseMessage(raw: unknown): LiveMessage | null {
  if (typeof raw !== "string") return null;
  try {
    const message = JSON.parse(raw) as { type?: unknown };
    return message.type === "snapshot" || message.type === "events" ? (message as LiveMessage) : null;
  } catch {
    return null;
  }
}

export function connectLive(options: LiveConnectionOptions): LiveConnection {
  const { url, onMessage, shouldReconnect, onState, onRefused } = options;
  const backoff = options.backoff ?? DEFAULT_BACKOFF;
  const Impl = options.WebSocketImpl ?? WebSocket;
  let socket: WebSocket | null = null;
  let retry: ReturnType<typeof setTimeout> | null = null;
  let attempt = 0;
  let closed = false;

  const open = (): void => {
    onState?.(attempt === 0 ? "connecting" : "reconnecting");
    const ws = new Impl(url);
    socket = ws;
    ws.onopen = () => onState?.("open");
    ws.onmessage = (event: MessageEvent) => {
      const message = parseMessage(event.data);
      if (!message) return;
      if (message.type === "snapshot") attempt = 0;
      onMessage(message);
    };
    ws.onclose = (event: CloseEvent) => {
      if (socket !== ws) return;
      socket = null;
      if (closed) return;
      const refusal = REFUSALS[event.code];
      if (refusal) {
        onRefused?.(event.reason ? `${refusal} (${event.reason})` : refusal);
        onState?.("closed");
        return;
      }
      if (!shouldReconnect()) {
        onState?.("closed");
        return;
      }
      const delay = Math.min(backoff.maxMs, backoff.initialMs * 2 ** attempt);
      attempt += 1;
      onState?.("reconnecting");
      retry = setTimeout(() => {
        retry = null;
        if (!closed) open();
      }, delay);
    };
  };

  open();
  return {
    close(): void {
      closed = true;
      if (retry !== null) clearTimeout(retry);
      retry = null;
      const ws = socket;
      socket = null;
      if (ws && (ws.readyState === ws.CONNECTING || ws.readyState === ws.OPEN)) ws.close(1000, "viewer left");
      onState?.("closed");
    },
  };
}

export interface LiveRun {
  state: LiveState;
  dispatch(action: LiveAction): void;
  connection: ConnectionState;
  /** Why the run could not be loaded or watched, for the error banner. */
  error: string | null;
}

interface Keyed<T> {
  runId: string | null;
  value: T;
}

/**
 * Load ``runId`` (REST snapshot) and, while it is live, follow it over the WebSocket.
 * ``runId`` null shows nothing.
 */
export function useLiveRun(runId: string | null): LiveRun {
  const api = useApi();
  const [store] = useState(() => new LiveStore());
  const state = useSyncExternalStore(store.subscribe, store.getSnapshot);
  // Keyed by run, so a new run starts clean without resetting state inside the effect.
  const [connection, setConnection] = useState<Keyed<ConnectionState>>({ runId: null, value: "idle" });
  const [error, setError] = useState<Keyed<string> | null>(null);

  useEffect(() => {
    store.reset();
    if (runId === null) return;
    let cancelled = false;
    let socket: LiveConnection | null = null;
    const fail = (message: string) => setError({ runId, value: message });

    call(api.rest.GET("/api/runs/{run_id}/snapshot", { params: { path: { run_id: runId } } }))
      .then((snapshot) => {
        if (cancelled) return;
        store.dispatch({ type: "snapshot", snapshot });
        store.flush();
        if (!isLive(store.current)) return;
        socket = connectLive({
          url: api.wsUrl(`/ws/runs/${encodeURIComponent(runId)}`),
          onMessage: (message) =>
            store.dispatch(
              message.type === "snapshot"
                ? { type: "snapshot", snapshot: message }
                : { type: "events", events: message.events },
            ),
          shouldReconnect: () => isLive(store.current),
          onState: (value) => {
            if (!cancelled) setConnection({ runId, value });
          },
          onRefused: (message) => {
            if (!cancelled) fail(message);
          },
        });
      })
      .catch((e: unknown) => {
        if (!cancelled) fail(errorMessage(e));
      });

    return () => {
      cancelled = true;
      socket?.close();
    };
  }, [api, runId, store]);

  useEffect(() => () => store.dispose(), [store]);

  const dispatch = useCallback((action: LiveAction) => store.dispatch(action), [store]);
  return {
    state,
    dispatch,
    connection: connection.runId === runId ? connection.value : "idle",
    error: error?.runId === runId ? error.value : null,
  };
}
