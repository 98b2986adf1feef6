/** Status, step counter and the newest train/validation loss and accuracy of a run. */

import type { ConnectionState } from "../api/live";
import { latestValue, type LiveState } from "../api/liveState";
import { formatLoss, formatPercent } from "../format";

interface Props {
  state: LiveState;
  connection: ConnectionState;
}

const CONNECTION_NOTES: Partial<Record<ConnectionState, string>> = {
  connecting: "connecting…",
  reconnecting: "connection lost, reconnecting…",
};

export function RunSummary({ state, connection }: Props) {
  const status = state.status ?? "idle";
  const note = CONNECTION_NOTES[connection];
  return (
    <dl className="run-summary">
      <div>
        <dt>status</dt>
        <dd aria-live="polite">
          <span className={`status status-${status}`} data-testid="run-status">
            {status}
          </span>
          {note && <span className="connection-note"> {note}</span>}
        </dd>
      </div>
      <div>
        <dt>step</dt>
        <dd data-testid="step-count">{state.step}</dd>
      </div>
      <div>
        <dt>train loss</dt>
        <dd data-testid="train-loss">{formatLoss(latestValue(state, "train/loss"))}</dd>
      </div>
      <div>
        <dt>val loss</dt>
        <dd data-testid="val-loss">{formatLoss(latestValue(state, "val/loss"))}</dd>
      </div>
      <div>
        <dt>train acc</dt>
        <dd data-testid="train-accuracy">{formatPercent(latestValue(state, "train/accuracy"))}</dd>
      </div>
      <div>
        <dt>val acc</dt>
        <dd data-testid="val-accuracy">{formatPercent(latestValue(state, "val/accuracy"))}</dd>
      </div>
    </dl>
  );
}
