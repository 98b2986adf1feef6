/** Train / Pause / Resume / Stop / Reset: only the ones that apply to the run's state. */

import type { ControlAction, RunStatus } from "../api/types";

interface Props {
  hasRun: boolean;
  live: boolean;
  status: RunStatus | null;
  busy: boolean;
  onTrain(): void;
  onControl(action: ControlAction): void;
  onReset(): void;
}

export function RunButtons({ hasRun, live, status, busy, onTrain, onControl, onReset }: Props) {
  return (
    <div className="run-buttons" role="group" aria-label="Run">
      {!live && (
        <button type="button" className="button button-primary" data-testid="train-button" onClick={onTrain} disabled={busy}>
          {hasRun ? "Train new run" : "Train"}
        </button>
      )}
      {live && status === "created" && (
        <button type="button" className="button button-primary" data-testid="start-button" onClick={() => onControl("start")} disabled={busy}>
          Start
        </button>
      )}
      {live && status === "running" && (
        <button type="button" className="button" data-testid="pause-button" onClick={() => onControl("pause")} disabled={busy}>
          Pause
        </button>
      )}
      {live && status === "paused" && (
        <button type="button" className="button button-primary" data-testid="resume-button" onClick={() => onControl("resume")} disabled={busy}>
          Resume
        </button>
      )}
      {live && (
        <button type="button" className="button button-danger" data-testid="stop-button" onClick={() => onControl("stop")} disabled={busy}>
          Stop
        </button>
      )}
      {hasRun && (
        <button type="button" className="button button-quiet" data-testid="reset-button" onClick={onReset} disabled={busy}>
          Reset
        </button>
      )}
    </div>
  );
}
