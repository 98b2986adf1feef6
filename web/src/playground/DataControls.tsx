/** The Playground's data controls: dataset, noise, classes, derived inputs, or a CSV upload. */

import { useState } from "react";
import type { CsvUploadOut, DatasetInfo, DatasetName, FeatureName } from "../api/types";
import { CsvUpload } from "./CsvUpload";
import { FEATURE_TITLES, FEATURES, MAX_NOISE, type PlaygroundForm } from "./form";

interface Props {
  form: PlaygroundForm;
  onChange(patch: Partial<PlaygroundForm>): void;
  datasets: DatasetInfo[] | null;
  disabled: boolean;
}

const CSV_TITLE = "Your CSV file";
const CLASS_COUNTS = [2, 3, 4, 5];

export function DataControls({ form, onChange, datasets, disabled }: Props) {
  const [upload, setUpload] = useState<CsvUploadOut | null>(null);
  const current = datasets?.find((d) => d.name === form.dataset);
  const plane = current?.kind === "plane";
  const synthetic = current !== undefined && (current.kind === "plane" || current.kind === "line");
  const multiclass = form.dataset === "blobs" || form.dataset === "spirals_multi";
  const toggleFeature = (name: FeatureName, on: boolean) =>
    onChange({ features: FEATURES.filter((f) => (f === name ? on : form.features.includes(f))) });
  const choose = (name: DatasetName) => {
    const info = datasets?.find((d) => d.name === name);
    // Derived inputs exist only on the plane; a table comes back with its upload.
    onChange({
      dataset: name,
      features: info?.kind === "plane" ? form.features : [],
      table: name === "csv" ? (upload?.table ?? null) : null,
    });
  };

  return (
    <fieldset className="control-group" disabled={disabled}>
      <legend>Data</legend>
      <label className="field">
        <span>Dataset</span>
        <select
          data-testid="dataset-select"
          value={form.dataset}
          disabled={datasets === null}
          onChange={(e) => choose(e.target.value as DatasetName)}
        >
          {datasets === null ? (
            <option value={form.dataset}>Loading datasets…</option>
          ) : (
            <>
              {datasets.map((d) => (
                <option key={d.name} value={d.name} disabled={!d.available}>
                  {d.title}
                  {d.available ? "" : " (import it first: neuralscope datasets import mnist DIR)"}
                </option>
              ))}
              <option value="csv">{CSV_TITLE}</option>
            </>
          )}
        </select>
        {current && (
          <small className="hint">
            {current.description} ({current.task}, input {current.input_shape.join("×")})
          </small>
        )}
      </label>
      {form.dataset === "csv" && (
        <CsvUpload
          upload={upload}
          onUploaded={(out) => {
            setUpload(out);
            onChange({ dataset: "csv", table: out.table, features: [] });
          }}
        />
      )}
      {synthetic && (
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
      )}
      {multiclass && (
        <label className="field">
          <span>Classes</span>
          <select data-testid="classes-select" value={form.nClasses} onChange={(e) => onChange({ nClasses: Number(e.target.value) })}>
            {CLASS_COUNTS.map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
        </label>
      )}
      {plane && (
        <div className="field" role="group" aria-label="Extra inputs">
          <span>Extra inputs (besides x₁, x₂)</span>
          <div className="pg-features">
            {FEATURES.map((f) => (
              <label key={f} className="toggle">
                <input type="checkbox" checked={form.features.includes(f)} onChange={(e) => toggleFeature(f, e.target.checked)} /> {FEATURE_TITLES[f]}
              </label>
            ))}
          </div>
        </div>
      )}
    </fieldset>
  );
}
