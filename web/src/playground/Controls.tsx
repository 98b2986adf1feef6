/** The Playground's controls: data, network, hyperparameters. */

import type { DatasetInfo, OptimizerName } from "../api/types";
import { DataControls } from "./DataControls";
import { OPTIMIZERS, type PlaygroundForm } from "./form";
import { ArchitectureBuilder } from "./ArchitectureBuilder";

interface Props {
  form: PlaygroundForm;
  onChange(patch: Partial<PlaygroundForm>): void;
  datasets: DatasetInfo[] | null;
  /** A live run fixes data and network; only the hyperparameters can change mid-run. */
  live: boolean;
}

export function Controls({ form, onChange, datasets, live }: Props) {
  return (
    <>
      {live && <p className="hint">Data and network are fixed while the run is live; optimizer, learning rate and batch size apply at once.</p>}
      <DataControls form={form} onChange={onChange} datasets={datasets} disabled={live} />

      <ArchitectureBuilder form={form} onChange={(layers) => onChange({ layers })} disabled={live} />

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
