/**
 * Step-by-step backprop: on a paused (or not yet started) run, take exactly one training step
 * and walk through it (forward values, loss, gradients, the optimizer's update) with the
 * numbers the server computed, for any sample of the batch.
 */

import { useState } from "react";
import { call, errorMessage } from "../../api/client";
import { useApi } from "../../api/context";
import type { BackpropTrace, RunStatus } from "../../api/types";
import { ErrorBanner } from "../../components/ErrorBanner";
import { STAGE_TITLES, STAGES, type Stage } from "./explain";
import { BackwardView, ForwardView, LossView, UpdateView } from "./StageViews";

interface Props {
  runId: string;
  status: RunStatus | null;
  live: boolean;
  /** Called after a step, so the page can refresh what depends on the model. */
  onStepped?(trace: BackpropTrace): void;
}

const VIEWS = { forward: ForwardView, loss: LossView, backward: BackwardView, update: UpdateView } as const;

export function BackpropStepper({ runId, status, live, onStepped }: Props) {
  const api = useApi();
  const [trace, setTrace] = useState<BackpropTrace | null>(null);
  const [stage, setStage] = useState<Stage>("forward");
  const [sample, setSample] = useState(0);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const canStep = live && (status === "paused" || status === "created");

  const step = async () => {
    setBusy(true);
    setError(null);
    try {
      const out = await call(api.rest.POST("/api/runs/{run_id}/backprop", { params: { path: { run_id: runId } } }));
      setTrace(out);
      setStage("forward");
      setSample((s) => Math.min(s, out.targets.length - 1));
      onStepped?.(out);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  const index = STAGES.indexOf(stage);
  const View = VIEWS[stage];
  return (
    <div className="pg-backprop" data-testid="pg-backprop">
      <div className="pg-backprop-bar">
        <button type="button" className="button button-primary" data-testid="pg-step-button" onClick={() => void step()} disabled={!canStep || busy}>
          {busy ? "Stepping…" : trace ? "Step another batch" : "Step one batch"}
        </button>
        {!canStep && <span className="hint">{live ? "Pause the run to step through one batch." : "Start a run, then pause it to step through a batch."}</span>}
        {trace && (
          <span className="hint" data-testid="pg-trace-step">
            step {trace.step} · {trace.optimizer}, learning rate {trace.learning_rate}
          </span>
        )}
      </div>
      <ErrorBanner message={error} onDismiss={() => setError(null)} />
      {trace && (
        <>
          <nav className="pg-stages" aria-label="Backprop stages">
            {STAGES.map((s) => (
              <button
                key={s}
                type="button"
                className={`button button-quiet${s === stage ? " pg-stage-current" : ""}`}
                aria-current={s === stage ? "step" : undefined}
                onClick={() => setStage(s)}
              >
                {STAGE_TITLES[s]}
              </button>
            ))}
          </nav>
          <label className="inline-field">
            <span>sample</span>
            <select value={sample} data-testid="pg-sample-select" onChange={(e) => setSample(Number(e.target.value))}>
              {trace.targets.map((y, i) => (
                <option key={i} value={i}>
                  {i + 1} of {trace.targets.length} (label {y})
                </option>
              ))}
            </select>
          </label>
          <View trace={trace} sample={sample} />
          <div className="pg-stage-nav">
            <button type="button" className="button" onClick={() => setStage(STAGES[index - 1] ?? stage)} disabled={index === 0}>
              ← Previous
            </button>
            <button type="button" className="button" data-testid="pg-next-stage" onClick={() => setStage(STAGES[index + 1] ?? stage)} disabled={index === STAGES.length - 1}>
              Next →
            </button>
          </div>
        </>
      )}
    </div>
  );
}
