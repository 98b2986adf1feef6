/** The Playground's controls: data, network, hyperparameters. */

import type { DatasetInfo, DatasetName, OptimizerName } from "../api/types";
import { MAX_NOISE, OPTIMIZERS, type PlaygroundForm } from "./form";
import { LayersEditor } from "./LayersEditor";

interface Props {
  form: PlaygroundForm;
  onChange(patch: Partial<PlaygroundForm>): void;
  datasets: DatasetInfo[] | null;
  /** A live run fixes data and network; only the hyperparameters can change mid-run. */
  live: boolean;
}

/**
 * The sets this page can show end to end today: binary classification on the plane (the
 * boundary canvas draws P(class 1)). The server also trains multi-class, regression and image
 * sets; they join the list with their views (issue #3's web work).
 */
function drawable(d: DatasetInfo): boolean {
  return d.kind === "plane" && d.task === "binary";
}

export function Controls({ form, onChange, datasets, live }: Props) {
  const current = datasets?.find((d) => d.name === form.dataset);
  return (
    <>
      {live && <p className="hint">Data and network are fixed while the run is live; optimizer, learning rate and batch size apply at once.</p>}
      <fieldset className="control-group" disabled={live}>
        <legend>Data</legend>
        <label className="field">
          <span>Dataset</span>
          <select
            data-testid="dataset-select"
            value={form.dataset}
            disabled={datasets === null}
            onChange={(e) => onChange({ dataset: e.target.value as DatasetName })}
          >
            {datasets === null ? (
              <option value={form.dataset}>Loading datasets…</option>
            ) : (
              datasets.filter(drawable).map((d) => (
                <option key={d.name} value={d.name}>
                  {d.title}
                </option>
              ))
            )}
          </select>
          {current && <small className="hint">{current.description}</small>}
        </label>
        <label className="field">
          <span>
            Noise <output>{Math.round(form.noise * 100)}%</output>
          </span>
          <input
            type="range"
            min={0}
            max={MAX_NOISE}
            step={0.05}
            value={form.noise}
            data-testid="noise-input"
            onChange={(e) => onChange({ noise: Number(e.target.value) })}
          />
        </label>
      </fieldset>

      <LayersEditor layers={form.layers} onChange={(layers) => onChange({ layers })} disabled={live} />

      <fieldset className="control-group">
        <legend>Training</legend>
        <label className="field">
          <span>Optimizer</span>
          <select
            data-testid="optimizer-select"
            value={form.optimizer}
            onChange={(e) => onChange({ optimizer: e.target.value as OptimizerName })}
          >
            {OPTIMIZERS.map((o) => (
              <option key={o} value={o}>
                {o}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>Learning rate</span>
          <input
            type="number"
            inputMode="decimal"
            min={0}
            max={10}
            step="any"
            data-testid="lr-input"
            value={form.learningRate}
            onChange={(e) => onChange({ learningRate: e.target.value })}
          />
        </label>
        <label className="field">
          <span>Batch size</span>
          <input
            type="number"
            inputMode="numeric"
            min={1}
            max={100000}
            step={1}
            data-testid="batch-size-input"
            value={form.batchSize}
            onChange={(e) => onChange({ batchSize: e.target.value })}
          />
        </label>
        <label className="field">
          <span>Max steps</span>
          <input
            type="number"
            inputMode="numeric"
            min={1}
            step={1}
            placeholder="until stopped"
            data-testid="max-steps-input"
            value={form.maxSteps}
            disabled={live}
            onChange={(e) => onChange({ maxSteps: e.target.value })}
          />
        </label>
        <label className="field">
          <span>Seed</span>
          <input
            type="number"
            inputMode="numeric"
            min={0}
            step={1}
            data-testid="seed-input"
            value={form.seed}
            disabled={live}
            onChange={(e) => onChange({ seed: e.target.value })}
          />
        </label>
      </fieldset>
    </>
  );
}
