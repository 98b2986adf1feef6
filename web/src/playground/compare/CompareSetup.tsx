/**
 * "Compare configurations": train the current setup (A) and one to three variants of it
 * (B-D: another optimizer, learning rate, batch size, hidden layers, activation or
 * regularisation) side by side on the same data with the same seed
 * (``POST /api/runs/compare``), then open the comparison.
 */

import { useState } from "react";
import { call, errorMessage } from "../../api/client";
import { useApi } from "../../api/context";
import type { Activation, OptimizerName } from "../../api/types";
import { ErrorBanner } from "../../components/ErrorBanner";
import { navigate } from "../../router";
import { OPTIMIZERS, type PlaygroundForm } from "../form";
import { ACTIVATIONS } from "../layers";
import { comparisonConfigs, CONFIG_COLORS, CONFIG_NAMES, MAX_CONFIGS, newVariant, type Variant } from "./variants";

type TextField = "learningRate" | "batchSize" | "hidden" | "l2" | "l1" | "dropout";
/** Each field's title, test id, and A's value for its placeholder (empty keeps it). */
const TEXT_FIELDS: { field: TextField; title: string; test: string; base: (form: PlaygroundForm) => string }[] = [
  { field: "learningRate", title: "learning rate", test: "lr", base: (f) => f.learningRate },
  { field: "batchSize", title: "batch size", test: "batch", base: (f) => f.batchSize },
  { field: "hidden", title: "hidden units", test: "hidden", base: (f) => f.layers.filter((l) => l.type === "dense").map((l) => l.units).join(", ") || "none" },
  { field: "l2", title: "L2", test: "l2", base: () => "0" },
  { field: "l1", title: "L1", test: "l1", base: () => "0" },
  { field: "dropout", title: "dropout (−1: net's)", test: "dropout", base: () => "-1" },
];

interface FieldsProps {
  variant: Variant;
  index: number;
  form: PlaygroundForm;
  onChange: (patch: Partial<Variant>) => void;
  onRemove: () => void;
}

function VariantFields({ variant, index, form, onChange, onRemove }: FieldsProps) {
  const name = CONFIG_NAMES[index + 1] ?? "?";
  return (
    <fieldset className="pg-variant" data-testid="pg-variant" style={{ borderLeftColor: CONFIG_COLORS[index + 1] }}>
      <legend>
        {name}
        <button type="button" className="button button-quiet pg-variant-remove" aria-label={`Remove configuration ${name}`} data-testid="pg-variant-remove" onClick={onRemove}>
          ✕
        </button>
      </legend>
      <label className="inline-field">
        <span>optimizer</span>
        <select value={variant.optimizer} data-testid="pg-compare-optimizer" onChange={(e) => onChange({ optimizer: e.target.value as OptimizerName })}>
          {OPTIMIZERS.map((o) => (
            <option key={o} value={o}>
              {o}
            </option>
          ))}
        </select>
      </label>
      <label className="inline-field">
        <span>activation</span>
        <select value={variant.activation} data-testid="pg-compare-activation" onChange={(e) => onChange({ activation: e.target.value as Activation | "" })}>
          <option value="">as A</option>
          {ACTIVATIONS.map((a) => (
            <option key={a} value={a}>
              {a}
            </option>
          ))}
        </select>
      </label>
      {TEXT_FIELDS.map(({ field, title, test, base }) => (
        <label key={field} className="inline-field">
          <span>{title}</span>
          <input
            type="text"
            inputMode={field === "hidden" ? "text" : "decimal"}
            value={variant[field]}
            placeholder={`as A (${base(form)})`}
            data-testid={`pg-compare-${test}`}
            onChange={(e) => onChange({ [field]: e.target.value })}
          />
        </label>
      ))}
    </fieldset>
  );
}

export function CompareSetup({ form }: { form: PlaygroundForm }) {
  const api = useApi();
  const [variants, setVariants] = useState<Variant[]>(() => [newVariant(form)]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const update = (id: number, patch: Partial<Variant>) => setVariants((vs) => vs.map((v) => (v.id === id ? { ...v, ...patch } : v)));
  const add = () => setVariants((vs) => (vs.length + 1 < MAX_CONFIGS ? [...vs, newVariant(form, { optimizer: form.optimizer })] : vs));
  const remove = (id: number) => setVariants((vs) => vs.filter((v) => v.id !== id));

  const compare = async () => {
    const configs = comparisonConfigs(form, variants);
    if (!configs.ok) {
      setError(configs.error);
      return;
    }
    if (configs.value.length < 2) {
      setError("Add at least one variant (B) to compare with.");
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const out = await call(api.rest.POST("/api/runs/compare", { body: { configs: configs.value, start: true } }));
      navigate({ page: "compare", runIds: out.runs.map((r) => r.id) });
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  const names = CONFIG_NAMES.slice(0, variants.length + 1).join(", ");
  return (
    <fieldset className="control-group pg-compare-setup">
      <legend>Compare configurations</legend>
      <p className="hint">A is this setup; each variant changes only what you set (an empty field keeps A&apos;s), on the same data and seed.</p>
      {variants.map((v, i) => (
        <VariantFields key={v.id} variant={v} index={i} form={form} onChange={(patch) => update(v.id, patch)} onRemove={() => remove(v.id)} />
      ))}
      <div className="pg-compare-actions">
        <button type="button" className="button button-quiet" data-testid="pg-variant-add" onClick={add} disabled={variants.length + 1 >= MAX_CONFIGS}>
          + Add a variant
        </button>
        <button type="button" className="button" data-testid="pg-compare-button" onClick={() => void compare()} disabled={busy || variants.length === 0}>
          {busy ? "Starting…" : `Train ${names} side by side`}
        </button>
      </div>
      <ErrorBanner message={error} onDismiss={() => setError(null)} />
    </fieldset>
  );
}
