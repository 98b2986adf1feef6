/**
 * "Compare with a variant": train the current setup and the same with another optimizer or
 * learning rate side by side (``POST /api/runs/compare``: same data, same seed), then open
 * the comparison.
 */

import { useState } from "react";
import { call, errorMessage } from "../../api/client";
import { useApi } from "../../api/context";
import type { OptimizerName } from "../../api/types";
import { ErrorBanner } from "../../components/ErrorBanner";
import { navigate } from "../../router";
import { buildRunCreate, OPTIMIZERS, type PlaygroundForm } from "../form";

export function CompareSetup({ form }: { form: PlaygroundForm }) {
  const api = useApi();
  // Until the learner picks B's values: the other of sgd/adam, and A's learning rate.
  const [chosenOptimizer, setOptimizer] = useState<OptimizerName | null>(null);
  const [chosenLr, setLearningRate] = useState<string | null>(null);
  const optimizer = chosenOptimizer ?? (form.optimizer === "adam" ? "sgd" : "adam");
  const learningRate = chosenLr ?? form.learningRate;
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const compare = async () => {
    const a = buildRunCreate(form);
    const b = buildRunCreate({ ...form, optimizer, learningRate });
    const bad = !a.ok ? a : !b.ok ? b : null;
    if (bad && !bad.ok) {
      setError(bad.error);
      return;
    }
    if (!a.ok || !b.ok || !a.value.config || !b.value.config) return;
    setBusy(true);
    setError(null);
    try {
      const out = await call(api.rest.POST("/api/runs/compare", { body: { configs: [a.value.config, b.value.config], start: true } }));
      navigate({ page: "compare", runIds: out.runs.map((r) => r.id) });
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <fieldset className="control-group pg-compare-setup">
      <legend>Compare with a variant</legend>
      <p className="hint">Run B is this setup with another optimizer or learning rate, on the same data and seed.</p>
      <label className="inline-field">
        <span>B optimizer</span>
        <select value={optimizer} data-testid="pg-compare-optimizer" onChange={(e) => setOptimizer(e.target.value as OptimizerName)}>
          {OPTIMIZERS.map((o) => (
            <option key={o} value={o}>
              {o}
            </option>
          ))}
        </select>
      </label>
      <label className="inline-field">
        <span>B learning rate</span>
        <input type="number" min={0} step="any" value={learningRate} data-testid="pg-compare-lr" onChange={(e) => setLearningRate(e.target.value)} />
      </label>
      <button type="button" className="button" data-testid="pg-compare-button" onClick={() => void compare()} disabled={busy}>
        {busy ? "Starting…" : "Train A and B side by side"}
      </button>
      <ErrorBanner message={error} onDismiss={() => setError(null)} />
    </fieldset>
  );
}
