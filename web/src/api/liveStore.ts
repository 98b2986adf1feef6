/**
 * Holds a run's {@link LiveState} outside React and publishes it at most once per animation
 * frame: messages may arrive 30 times a second per run, and each publish redraws the charts.
 */

import { EMPTY_LIVE_STATE, liveReducer, type LiveAction, type LiveState } from "./liveState";

type Cancel = () => void;
export type Scheduler = (callback: () => void) => Cancel;

export const nextFrame: Scheduler = (callback) => {
  if (typeof requestAnimationFrame === "function") {
    const id = requestAnimationFrame(() => callback());
    return () => cancelAnimationFrame(id);
  }
  const id = setTimeout(callback, 16);
  return () => clearTimeout(id);
};

export class LiveStore {
  private state: LiveState = EMPTY_LIVE_STATE;
  private published: LiveState = EMPTY_LIVE_STATE;
  private readonly listeners = new Set<() => void>();
  private cancelFrame: Cancel | null = null;
  private readonly schedule: Scheduler;

  constructor(schedule: Scheduler = nextFrame) {
    this.schedule = schedule;
  }

  /** The state with every action applied, published or not. */
  get current(): LiveState {
    return this.state;
  }

  dispatch(action: LiveAction): void {
    this.state = liveReducer(this.state, action);
    if (this.cancelFrame === null) {
      this.cancelFrame = this.schedule(() => {
        this.cancelFrame = null;
        this.publish();
      });
    }
  }

  /** Publish now (a new run was chosen: do not show the old one for another frame). */
  reset(): void {
    this.state = EMPTY_LIVE_STATE;
    this.flush();
  }

  flush(): void {
    this.cancelFrame?.();
    this.cancelFrame = null;
    this.publish();
  }

  /** Drop a pending publish (the viewer is going away). */
  dispose(): void {
    this.cancelFrame?.();
    this.cancelFrame = null;
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getSnapshot = (): LiveState => this.published;

  private publish(): void {
    if (this.published === this.state) return;
    this.published = this.state;
    for (const listener of this.listeners) listener();
  }
}
