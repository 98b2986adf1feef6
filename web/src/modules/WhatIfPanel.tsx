/**
 * What-if previews for any module the user picks: ``POST /api/runs/{id}/modules/{module}/what-if``
 * applies the intervention (prune, re-initialize) to a copy of the run's current model and
 * answers the loss, accuracy and per-class F1 on the probe batch before and after. The run and
 * its model are not changed.
 */

import { Fragment, useState } from "react";
import { call, errorMessage } from "../api/client";
import { useApi } from "../api/context";
import { ErrorBanner } from "../components/ErrorBanner";
import type { Intervention, WhatIfOut } from "./types";

const ACTIONS: { intervention: Intervention; label: string }[] = [
  { intervention: "prune", label: "Preview prune" },
  { intervention: "reinitialize", label: "Preview re-initialize" },
];

function fmt(v: number, digits: number): string {
  return Number.isFinite(v) ? v.toFixed(digits) : "–";
}

function delta(before: number, after: number, digits: number): string {
  const d = after - before;
  if (!Number.isFinite(d)) return "";
  const text = `${d >= 0 ? "+" : "−"}${Math.abs(d).toFixed(digits)}`;
  return Math.abs(d) < 0.5 * 10 ** -digits ? "±0" : text;
}

/** Change class for colouring: a metric that went down (or a loss that went up) is worse. */
function tone(change: number, higherIsBetter: boolean): string {
  if (Math.abs(change) < 0.005) return "modmap-whatif-same";
  return change > 0 === higherIsBetter ? "modmap-whatif-better" : "modmap-whatif-worse";
}

export function WhatIfResult({ result }: { result: WhatIfOut }) {
  const name = result.intervention === "prune" ? "Pruned" : "Re-initialized";
  return (
    <div className="modmap-whatif-result" data-testid="modmap-whatif-result" aria-live="polite">
      <p>
        <strong>{name}</strong> {result.units.length} units of {result.layer} on a copy of the model at step {result.step};
        probe batch: {result.probe}. The run is unchanged.
      </p>
      <dl className="modmap-facts">
        <dt>Loss</dt>
        <dd className={tone(result.loss_after - result.loss_before, false)}>
          {fmt(result.loss_before, 3)} → {fmt(result.loss_after, 3)} ({delta(result.loss_before, result.loss_after, 3)})
        </dd>
        {result.accuracy_before.map((before, t) => {
          const after = result.accuracy_after[t] ?? Number.NaN;
          return (
            <Fragment key={t}>
              <dt>Accuracy{result.accuracy_before.length > 1 ? ` (task ${t})` : ""}</dt>
              <dd className={tone(after - before, true)}>
                {fmt(100 * before, 1)}% → {fmt(100 * after, 1)}% ({delta(100 * before, 100 * after, 1)} pts)
              </dd>
            </Fragment>
          );
        })}
      </dl>
      {result.f1_before.map((classes, t) => (
        <div className="modmap-table-wrap" key={t}>
          <table className="modmap-table" aria-label={`F1 per class${result.f1_before.length > 1 ? ` (task ${t})` : ""}`}>
            <thead>
              <tr>
                <th scope="col">Class</th>
                <th scope="col">F1 before</th>
                <th scope="col">F1 after</th>
                <th scope="col">Change</th>
              </tr>
            </thead>
            <tbody>
              {classes.map((before, c) => {
                const after = result.f1_after[t]?.[c] ?? Number.NaN;
                return (
                  <tr key={c}>
                    <td>{c}</td>
                    <td>{fmt(before, 2)}</td>
                    <td>{fmt(after, 2)}</td>
                    <td className={tone(after - before, true)}>{delta(before, after, 2)}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      ))}
    </div>
  );
}

export function WhatIfPanel({ runId, moduleId }: { runId: string; moduleId: string }) {
  const api = useApi();
  const [busy, setBusy] = useState<Intervention | null>(null);
  const [result, setResult] = useState<WhatIfOut | null>(null);
  const [error, setError] = useState<string | null>(null);
  const preview = async (intervention: Intervention) => {
    setBusy(intervention);
    setError(null);
    try {
      const out = await call(
        api.rest.POST("/api/runs/{run_id}/modules/{module_id}/what-if", {
          params: { path: { run_id: runId, module_id: moduleId } },
          body: { intervention },
        }),
      );
      setResult(out);
    } catch (err) {
      setResult(null);
      setError(`Could not preview: ${errorMessage(err)}`);
    } finally {
      setBusy(null);
    }
  };
  return (
    <section className="modmap-whatif" aria-label="What-if preview">
      <h4>What if…</h4>
      <p className="muted">Apply an intervention to a copy of the run's current model and measure it on the probe batch.</p>
      <div className="modmap-whatif-actions">
        {ACTIONS.map(({ intervention, label }) => (
          <button key={intervention} type="button" className="button" disabled={busy !== null} onClick={() => void preview(intervention)}>
            {busy === intervention ? "Previewing…" : label}
          </button>
        ))}
      </div>
      {busy !== null && (
        <p role="status" className="muted">
          Applying the intervention to a copy…
        </p>
      )}
      <ErrorBanner message={error} onDismiss={() => setError(null)} />
      {result && busy === null && <WhatIfResult result={result} />}
    </section>
  );
}
