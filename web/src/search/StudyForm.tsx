/**
 * Configure and start a study: dataset, objective, budget, workers, health weights and the
 * search space (JSON or YAML, checked as you type). Every setting says what it does and its
 * usual range, next to where it is set.
 */

import { useMemo, useState, type FormEvent } from "react";
import { call, errorMessage } from "../api/client";
import { useApi } from "../api/context";
import type { DatasetChoice, HealthWeights, SearchDefaults, SearchSpace, StudyCreate, StudyOut } from "../api/types";
import { ErrorBanner } from "../components/ErrorBanner";
import { describeRange, parseSpace, toText, type SpaceFormat } from "./spaceText";

interface Props {
  defaults: SearchDefaults;
  onCreated(study: StudyOut): void;
}

export const WEIGHT_HELP: Record<keyof HealthWeights, string> = {
  accuracy: "Validation accuracy itself. 2 by default: health refines accuracy, it does not replace it.",
  utilization: "Share of live neurons (not dead or saturated) on validation data. Low: the net wastes width.",
  param_efficiency: "1 while the parameter count stays below the data's interpolation threshold (samples × classes), less for bigger nets.",
  stability: "How rarely the training loss rises between windows of steps. Spikes and divergence lower it.",
  gradient_health: "Share of sampled steps whose gradients are finite, not exploding and not vanishing.",
  convergence: "How far the loss fell from chance level, less any over-fitting (Prechelt's generalization loss).",
  consistency: "Whether accuracy agrees across five validation splits (chi-square test), not lucky on one.",
};

const DEFAULT_WEIGHTS: HealthWeights = {
  accuracy: 2,
  utilization: 1,
  param_efficiency: 1,
  stability: 1,
  gradient_health: 1,
  convergence: 1,
  consistency: 1,
};

const OBJECTIVE_HELP: Record<string, string> = {
  accuracy: "Maximise validation accuracy only (simple). Wins can be fragile: dead units, unstable training, huge nets.",
  health: "Maximise a weighted score of accuracy and five health metrics (balanced, the default).",
  pareto: "Search accuracy, health and size at once (NSGA-II) and keep the Pareto front of trade-offs.",
};

/** Samplers take seeds below 2^31; worker i of a study adds 1000 i (search/commands.py). */
const MAX_SEED = 2 ** 31 - 1;

function familyOf(datasets: DatasetChoice[], name: string): string | null {
  return datasets.find((d) => d.name === name)?.family ?? null;
}

function NumberField(props: {
  id: string;
  label: string;
  help: string;
  value: number;
  min: number;
  max: number;
  step?: number;
  onChange(value: number): void;
}) {
  return (
    <div className="search-field">
      <label htmlFor={props.id}>{props.label}</label>
      <input
        id={props.id}
        type="number"
        inputMode="decimal"
        min={props.min}
        max={props.max}
        step={props.step ?? 1}
        value={Number.isFinite(props.value) ? props.value : ""}
        aria-describedby={`${props.id}-help`}
        onChange={(e) => props.onChange(e.target.valueAsNumber)}
      />
      <p id={`${props.id}-help`} className="search-help">
        {props.help}
      </p>
    </div>
  );
}

export function StudyForm({ defaults, onCreated }: Props) {
  const api = useApi();
  const base = defaults.config;
  const firstDataset = defaults.datasets.find((d) => d.available)?.name ?? base.dataset;
  const [name, setName] = useState(`${firstDataset}-${new Date().toISOString().slice(5, 16).replace(/[-:T]/g, "")}`);
  const [dataset, setDataset] = useState(firstDataset);
  const [objective, setObjective] = useState<string>(base.objective);
  const [nTrials, setNTrials] = useState(base.n_trials);
  const [workers, setWorkers] = useState(1);
  const [maxEpochs, setMaxEpochs] = useState(base.max_epochs);
  const [maxTrain, setMaxTrain] = useState<number>(NaN);
  const [seed, setSeed] = useState<number>(NaN);
  const [pruning, setPruning] = useState(base.pruning);
  const [weights, setWeights] = useState<HealthWeights>(base.health_weights ?? DEFAULT_WEIGHTS);
  const [format, setFormat] = useState<SpaceFormat>("yaml");
  const family = familyOf(defaults.datasets, dataset);
  const defaultSpace = (family && defaults.spaces[family]) || null;
  const [edited, setEdited] = useState<string | null>(null);
  const text = edited ?? (defaultSpace ? toText(defaultSpace, format) : "");
  const parsed = useMemo(() => parseSpace(text, format, family), [text, format, family]);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const chosen = defaults.datasets.find((d) => d.name === dataset);

  const switchFormat = (next: SpaceFormat) => {
    if (next === format) return;
    if (edited !== null && parsed.space) setEdited(toText(parsed.space, next));
    else if (edited !== null) return; // keep the text until it parses
    setFormat(next);
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!parsed.space) return;
    setBusy(true);
    setError(null);
    const space: SearchSpace | null = edited === null ? null : parsed.space;
    const body: StudyCreate = {
      config: {
        ...base,
        name,
        dataset,
        objective: objective as StudyCreate["config"]["objective"],
        n_trials: nTrials,
        max_epochs: maxEpochs,
        pruning,
        health_weights: weights,
        space,
        ...(Number.isFinite(maxTrain) ? { max_train_samples: maxTrain } : {}),
      },
      workers,
      ...(Number.isFinite(seed) ? { sampler_seed: seed } : {}),
    };
    try {
      onCreated(await call(api.rest.POST("/api/studies", { body })));
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="search-form" onSubmit={submit} aria-label="New study">
      <ErrorBanner message={error} onDismiss={() => setError(null)} />
      <div className="search-form-grid">
        <div className="search-field">
          <label htmlFor="study-name">Study name</label>
          <input id="study-name" value={name} required pattern="[A-Za-z0-9][A-Za-z0-9_.\-]{0,63}" aria-describedby="study-name-help" onChange={(e) => setName(e.target.value)} />
          <p id="study-name-help" className="search-help">
            1–64 letters, digits, “.”, “_” or “-”. Workers on other machines join it by this name.
          </p>
        </div>
        <div className="search-field">
          <label htmlFor="study-dataset">Dataset</label>
          <select id="study-dataset" value={dataset} aria-describedby="study-dataset-help" onChange={(e) => setDataset(e.target.value)}>
            {defaults.datasets.map((d) => (
              <option key={d.name} value={d.name}>
                {d.title} ({d.kind}, {d.family}){d.available ? "" : " — not downloaded"}
              </option>
            ))}
          </select>
          <p id="study-dataset-help" className="search-help">
            The model family follows the data: CNN for images, Embedding+LSTM for text, MLP for tables.
            {chosen && !chosen.available && <strong> Not on this machine yet: {chosen.hint}.</strong>}
          </p>
        </div>
      </div>

      <fieldset className="search-objectives">
        <legend>Objective</legend>
        {Object.entries(OBJECTIVE_HELP).map(([value, help]) => (
          <label key={value} className="search-radio">
            <input type="radio" name="objective" value={value} checked={objective === value} onChange={() => setObjective(value)} />
            <span>
              <strong>{value}</strong> — {help}
            </span>
          </label>
        ))}
      </fieldset>

      <div className="search-form-grid">
        <NumberField id="study-trials" label="Trials" min={1} max={100000} value={nTrials} onChange={setNTrials} help="How many configurations to try. 20–100 is typical; more finds better trials slowly." />
        <NumberField id="study-workers" label="Workers on this machine" min={0} max={defaults.max_workers} value={workers} onChange={setWorkers} help={`Trials run in parallel, one per process (0–${defaults.max_workers}). About one per CPU core or GPU; 0 only creates the study.`} />
        <NumberField id="study-epochs" label="Epochs per trial" min={1} max={1000} value={maxEpochs} onChange={setMaxEpochs} help="The training budget of each trial. 5–20 for small sets; pruning stops hopeless trials early." />
        <NumberField id="study-max-train" label="Training samples (optional)" min={10} max={10000000} value={maxTrain} onChange={setMaxTrain} help="Cap the training set for a faster, rougher search. Empty: use all of it." />
        <NumberField id="study-seed" label="Sampler seed (optional)" min={0} max={MAX_SEED - 1000 * defaults.max_workers} value={seed} onChange={setSeed} help="The same seed draws the same trials again: a one-worker study becomes reproducible (worker i uses seed + 1000 i). Empty: fresh draws every time." />
      </div>
      <label className="search-check">
        <input type="checkbox" checked={pruning} onChange={(e) => setPruning(e.target.checked)} /> Prune bad trials early
        <span className="search-help"> — stop a trial whose curve falls behind the others' (median rule) or whose health collapses (exploding gradients, dead layers).</span>
      </label>

      {objective !== "accuracy" && (
        <fieldset className="search-weights">
          <legend>Health weights</legend>
          <p className="search-help">Each metric is in 0–1; the score is their weighted mean × 100. A weight of 0 leaves a metric out.</p>
          <div className="search-form-grid">
            {(Object.keys(WEIGHT_HELP) as (keyof HealthWeights)[]).map((key) => (
              <NumberField key={key} id={`weight-${key}`} label={key.charAt(0).toUpperCase() + key.slice(1).replace("_", " ")} min={0} max={10} step={0.5} value={weights[key] ?? 1} onChange={(v) => setWeights({ ...weights, [key]: v })} help={WEIGHT_HELP[key]} />
            ))}
          </div>
        </fieldset>
      )}

      <fieldset className="search-space">
        <legend>Search space ({family ?? "?"} family)</legend>
        <div className="search-space-bar" role="group" aria-label="Space format">
          {(["yaml", "json"] as const).map((f) => (
            <button key={f} type="button" className="button button-quiet" aria-pressed={format === f} onClick={() => switchFormat(f)}>
              {f.toUpperCase()}
            </button>
          ))}
          <button type="button" className="button button-quiet" disabled={edited === null} onClick={() => setEdited(null)}>
            Reset to the default space
          </button>
        </div>
        <label htmlFor="study-space" className="search-help">
          Edit ranges and choices; leave a hyperparameter out to keep its default.
        </label>
        <textarea id="study-space" className="search-space-text" spellCheck={false} rows={14} value={text} aria-invalid={parsed.errors.length > 0} aria-describedby="study-space-errors" onChange={(e) => setEdited(e.target.value)} />
        <div id="study-space-errors" aria-live="polite">
          {parsed.errors.length > 0 && (
            <ul className="search-errors" data-testid="space-errors">
              {parsed.errors.map((m) => (
                <li key={m}>{m}</li>
              ))}
            </ul>
          )}
        </div>
        {parsed.space && (
          <dl className="search-params" data-testid="space-explained">
            {Object.entries(parsed.space.params).map(([key, param]) => (
              <div key={key} className="search-param">
                <dt>
                  <code>{key}</code> <span className="search-range">{describeRange(param)}</span>
                </dt>
                <dd>{param.help || defaultSpace?.params[key]?.help || "No description."}</dd>
              </div>
            ))}
          </dl>
        )}
      </fieldset>
      <div className="search-form-actions">
        <button type="submit" className="button button-primary" disabled={busy || !parsed.space}>
          {busy ? "Starting…" : "Start study"}
        </button>
      </div>
    </form>
  );
}
