/** One trial in the gallery: architecture thumbnail, values, health colour, state. */

import type { StudySummary, TrialSummary } from "../api/types";
import { formatParams, formatValues, healthColor, trialHealth } from "./format";
import { ArchThumb } from "./ArchThumb";
import { TrialModulesLine } from "./TrialModulesLine";

interface Props {
  trial: TrialSummary;
  study: StudySummary;
  best: boolean;
  selected: boolean;
  onSelect(number: number): void;
}

export function TrialCard({ trial, study, best, selected, onSelect }: Props) {
  const health = trialHealth(trial);
  const last = trial.curve[trial.curve.length - 1];
  const classes = ["search-card", `search-card-${trial.state}`, best ? "search-card-best" : "", selected ? "search-card-selected" : ""];
  return (
    <li className={classes.join(" ").trim()} data-testid="trial-card" style={{ borderLeftColor: healthColor(health) }}>
      <button type="button" className="search-card-button" aria-pressed={selected} onClick={() => onSelect(trial.number)}>
        <span className="search-card-head">
          <strong>Trial {trial.number}</strong>
          {best && <span className="search-badge-best">Best</span>}
          <span className={`search-state search-state-${trial.state}`}>{trial.state}</span>
        </span>
        <ArchThumb layers={trial.architecture} />
        <span className="search-card-values">{trial.values ? formatValues(study, trial.values) : last ? `epoch ${last.epoch}: ${(last.val_accuracy * 100).toFixed(1)}%` : "starting…"}</span>
        {trial.metrics && (
          <span className="search-card-metrics">
            acc {(trial.metrics.val_accuracy * 100).toFixed(1)}% · health <span style={{ color: healthColor(health) }}>{trial.metrics.health.toFixed(0)}</span> · {formatParams(trial.metrics.params)} params
          </span>
        )}
        {trial.modules && <TrialModulesLine modules={trial.modules} />}
        {trial.pruned_by && <span className="search-card-metrics">pruned: {trial.pruned_by.replace("_", " ")}</span>}
      </button>
    </li>
  );
}
