/** Hidden layers: add or remove a layer, units and activation per layer. */

import type { Activation } from "../api/types";
import { ACTIVATIONS, MAX_LAYERS, MAX_UNITS, type LayerForm } from "./form";

interface Props {
  layers: LayerForm[];
  onChange(layers: LayerForm[]): void;
  disabled: boolean;
}

export function LayersEditor({ layers, onChange, disabled }: Props) {
  const update = (index: number, patch: Partial<LayerForm>) =>
    onChange(layers.map((layer, i) => (i === index ? { ...layer, ...patch } : layer)));
  const remove = (index: number) => onChange(layers.filter((_, i) => i !== index));
  const add = () => {
    const last = layers[layers.length - 1];
    onChange([...layers, { units: last?.units ?? "8", activation: last?.activation ?? "tanh" }]);
  };

  return (
    <fieldset className="control-group" disabled={disabled}>
      <legend>Hidden layers</legend>
      {layers.length === 0 && <p className="hint">No hidden layers: a linear model (logistic regression).</p>}
      <ol className="layers" data-testid="layers-editor">
        {layers.map((layer, i) => (
          <li key={i} className="layer-row">
            <span className="layer-name">Layer {i + 1}</span>
            <label className="inline-field layer-units">
              <span>units</span>
              <input
                type="number"
                inputMode="numeric"
                min={1}
                max={MAX_UNITS}
                step={1}
                value={layer.units}
                onChange={(e) => update(i, { units: e.target.value })}
                aria-label={`Layer ${i + 1} units`}
              />
            </label>
            <label className="inline-field layer-activation">
              <span>activation</span>
              <select
                value={layer.activation}
                onChange={(e) => update(i, { activation: e.target.value as Activation })}
                aria-label={`Layer ${i + 1} activation`}
              >
                {ACTIVATIONS.map((a) => (
                  <option key={a} value={a}>
                    {a}
                  </option>
                ))}
              </select>
            </label>
            <button
              type="button"
              className="button button-quiet layer-remove"
              onClick={() => remove(i)}
              aria-label={`Remove layer ${i + 1}`}
            >
              Remove
            </button>
          </li>
        ))}
      </ol>
      <button type="button" className="button" onClick={add} disabled={layers.length >= MAX_LAYERS}>
        Add layer
      </button>
    </fieldset>
  );
}
