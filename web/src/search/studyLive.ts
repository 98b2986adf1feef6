/**
 * A study, live: the ``/ws/studies/{name}`` client and the reducer that folds its events
 * (snapshot, trial_started, curve, trial_finished, new_best) into what the study page shows.
 * The socket reconnects with backoff while the page is open; the server's first message after a
 * reconnect is a fresh snapshot, so nothing is lost.
 */

import { useEffect, useReducer, useState } from "react";
import { useApi } from "../api/context";
import type { StudyEvent, StudyEvents, StudySummary, TrialSummary } from "../api/types";

export interface StudyLiveState {
  study: StudySummary | null;
  /** Trials seen live (started, updated or finished since the page opened), by number. */
  trials: Record<number, TrialSummary>;
  /** The latest new best announced while the page was open. */
  newBest: number | null;
  /** How many events arrived (a cheap "something changed" key for refetching analyses). */
  version: number;
}

export const initialLive: StudyLiveState = { study: null, trials: {}, newBest: null, version: 0 };

export function applyEvent(state: StudyLiveState, event: StudyEvent): StudyLiveState {
  switch (event.type) {
    case "snapshot":
      return event.study ? { ...state, study: event.study } : state;
    case "trial_started":
    case "trial_finished":
      return event.trial ? { ...state, trials: { ...state.trials, [event.trial.number]: event.trial } } : state;
    case "new_best":
      if (!event.trial) return state;
      return { ...state, newBest: event.trial.number, trials: { ...state.trials, [event.trial.number]: event.trial } };
    case "curve": {
      const number = event.number;
      const known = number === null || number === undefined ? undefined : state.trials[number];
      if (!known || !event.points) return state;
      return { ...state, trials: { ...state.trials, [known.number]: { ...known, curve: [...known.curve, ...event.points] } } };
    }
  }
  return state;
}

export function reduceEvents(state: StudyLiveState, events: StudyEvent[]): StudyLiveState {
  const next = events.reduce(applyEvent, state);
  return { ...next, version: state.version + 1 };
}

export type StreamState = "connecting" | "open" | "reconnecting" | "refused";

const REFUSALS: Record<number, string> = {
  1008: "The server needs a token: open the page with ?token=<token>.",
  4404: "This study does not exist on the server.",
};

export interface StudyLive {
  state: StudyLiveState;
  stream: StreamState;
  refused: string | null;
}

/** Subscribe to a study's events for as long as the component is mounted. */
export function useStudyLive(name: string, WebSocketImpl: typeof WebSocket = WebSocket): StudyLive {
  const api = useApi();
  const [state, dispatch] = useReducer(reduceEvents, initialLive);
  const [stream, setStream] = useState<StreamState>("connecting");
  const [refused, setRefused] = useState<string | null>(null);

  useEffect(() => {
    let socket: WebSocket | null = null;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let delay = 500;
    let stopped = false;
    const open = () => {
      socket = new WebSocketImpl(api.wsUrl(`/ws/studies/${encodeURIComponent(name)}`));
      socket.onopen = () => {
        delay = 500;
        setStream("open");
      };
      socket.onmessage = (message: MessageEvent) => {
        if (typeof message.data !== "string") return;
        try {
          dispatch((JSON.parse(message.data) as StudyEvents).events);
        } catch {
          /* a malformed message is skipped, the next snapshot repairs the state */
        }
      };
      socket.onclose = (event: CloseEvent) => {
        if (stopped) return;
        const why = REFUSALS[event.code];
        if (why) {
          setRefused(why);
          setStream("refused");
          return;
        }
        setStream("reconnecting");
        timer = setTimeout(open, delay);
        delay = Math.min(delay * 2, 10_000);
      };
    };
    open();
    return () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      socket?.close();
    };
  }, [api, name, WebSocketImpl]);

  return { state, stream, refused };
}
