/** One layer in the builder's stack: drag handle, settings in place, live shape, problem. */

import type { PointerEvent as ReactPointerEvent, ReactNode } from "react";
import type { Activation, LayerShapeOut } from "../api/types";
import { ACTIVATIONS, LAYER_TITLES, MAX_FILTERS, MAX_KERNEL, MAX_UNITS, type LayerDraft } from "./layers";

interface Props {
  draft: LayerDraft;
  index: number;
  count: number;
  shape: LayerShapeOut | undefined;
  problem: string | null;
  disabled: boolean;
  onChange(patch: Partial<LayerDraft>): void;
  onMove(to: number): void;
  onRemove(): void;
  onHandleDown(event: ReactPointerEvent): void;
}

function NumberField(props: { label: string; value: string; min: number; max: number; step?: string; name: string; onChange(v: string): void }) {
  return (
    <label className="inline-field">
      <span>{props.label}</span>
      <input
        type="number"
        inputMode="decimal"
        min={props.min}
        max={props.max}
        step={props.step ?? "1"}
        value={props.value}
        aria-label={props.name}
        onChange={(e) => props.onChange(e.target.value)}
      />
    </label>
  );
}

function ActivationField({ value, name, onChange }: { value: Activation; name: string; onChange(a: Activation): void }) {
  return (
    <label className="inline-field">
      <span>activation</span>
      <select value={value} aria-label={name} onChange={(e) => onChange(e.target.value as Activation)}>
        {ACTIVATIONS.map((a) => (
          <option key={a} value={a}>
            {a}
          </option>
        ))}
      </select>
    </label>
  );
}

function settings(draft: LayerDraft, name: string, onChange: Props["onChange"]): ReactNode {
  switch (draft.type) {
    case "dense":
      return (
        <>
          <NumberField label="units" name={`${name} units`} value={draft.units} min={1} max={MAX_UNITS} onChange={(units) => onChange({ units })} />
          <ActivationField value={draft.activation} name={`${name} activation`} onChange={(activation) => onChange({ activation })} />
        </>
      );
    case "conv2d":
      return (
        <>
          <NumberField label="filters" name={`${name} filters`} value={draft.filters} min={1} max={MAX_FILTERS} onChange={(filters) => onChange({ filters })} />
          <NumberField label="kernel" name={`${name} kernel size`} value={draft.kernelSize} min={1} max={MAX_KERNEL} onChange={(kernelSize) => onChange({ kernelSize })} />
          <NumberField label="stride" name={`${name} stride`} value={draft.stride} min={1} max={MAX_KERNEL} onChange={(stride) => onChange({ stride })} />
          <label className="inline-field">
            <span>padding</span>
            <select value={draft.padding} aria-label={`${name} padding`} onChange={(e) => onChange({ padding: e.target.value as "valid" | "same" })}>
              <option value="valid">valid</option>
              <option value="same">same</option>
            </select>
          </label>
          <ActivationField value={draft.activation} name={`${name} activation`} onChange={(activation) => onChange({ activation })} />
        </>
      );
    case "maxpool2d":
      return (
        <>
          <NumberField label="pool" name={`${name} pool size`} value={draft.poolSize} min={1} max={MAX_KERNEL} onChange={(poolSize) => onChange({ poolSize })} />
          <label className="inline-field">
            <span>stride</span>
            <input
              type="number"
              min={1}
              max={MAX_KERNEL}
              placeholder="= pool"
              value={draft.stride}
              aria-label={`${name} stride`}
              onChange={(e) => onChange({ stride: e.target.value })}
            />
          </label>
        </>
      );
    case "dropout":
      return <NumberField label="rate" name={`${name} rate`} value={draft.p} min={0} max={0.99} step="0.05" onChange={(p) => onChange({ p })} />;
    default:
      return <span className="hint">no settings</span>;
  }
}

function shapeText(shape: LayerShapeOut): string {
  return `→ ${shape.output_shape.join("×")} · ${shape.parameters.toLocaleString("en")} params`;
}

export function LayerCard({ draft, index, count, shape, problem, disabled, onChange, onMove, onRemove, onHandleDown }: Props) {
  const name = `Layer ${index + 1}`;
  return (
    <li className={`pg-layer pg-layer-${draft.type}${problem ? " pg-layer-invalid" : ""}`} data-layer-index={index} data-testid="pg-layer">
      <div className="pg-layer-head">
        <span
          className="pg-drag-handle"
          aria-hidden="true"
          title="Drag to reorder"
          onPointerDown={disabled ? undefined : onHandleDown}
        >
          ⠿
        </span>
        <strong className="pg-layer-title">
          {index + 1}. {LAYER_TITLES[draft.type]}
        </strong>
        <span className="pg-layer-buttons">
          <button type="button" className="button button-quiet pg-icon" aria-label={`Move ${name.toLowerCase()} up`} disabled={index === 0} onClick={() => onMove(index - 1)}>
            ↑
          </button>
          <button type="button" className="button button-quiet pg-icon" aria-label={`Move ${name.toLowerCase()} down`} disabled={index === count - 1} onClick={() => onMove(index + 1)}>
            ↓
          </button>
          <button type="button" className="button button-quiet pg-icon" aria-label={`Remove ${name.toLowerCase()}`} onClick={onRemove}>
            ✕
          </button>
        </span>
      </div>
      <div className="pg-layer-settings">{settings(draft, name, onChange)}</div>
      <div className="pg-layer-shape" data-testid="pg-layer-shape">
        {shape ? shapeText(shape) : ""}
      </div>
      {problem && (
        <p className="pg-layer-error" role="alert" data-testid="pg-layer-error">
          {problem}
        </p>
      )}
    </li>
  );
}
