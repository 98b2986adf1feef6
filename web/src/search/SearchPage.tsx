/** ``#/search``: every study with its state, progress and best value; a form to start one. */

import { useState } from "react";
import { call } from "../api/client";
import { useApi } from "../api/context";
import type { StudyOut } from "../api/types";
import { useRequest } from "../api/useRequest";
import { ErrorBanner } from "../components/ErrorBanner";
import { formatValues, OBJECTIVE_LABELS } from "./format";
import { StudyForm } from "./StudyForm";

export function studyHref(name: string): string {
  return `#/search/${encodeURIComponent(name)}`;
}

function StudyRow({ item }: { item: StudyOut }) {
  const s = item.study;
  const total = s.n_trials ?? s.finished;
  return (
    <li className="search-study" data-testid="study-row">
      <div className="search-study-head">
        <a href={studyHref(s.name)} className="search-study-name">
          {s.name}
        </a>
        <span className={`search-state search-state-${s.state}`}>{s.state}</span>
      </div>
      <p className="search-study-meta">
        {s.config?.dataset ?? "?"} · {s.objective ? OBJECTIVE_LABELS[s.objective] : "not a neuralscope study"}
      </p>
      <div className="search-progress" role="progressbar" aria-label={`${s.name} progress`} aria-valuemin={0} aria-valuemax={total} aria-valuenow={s.finished}>
        <span style={{ width: `${total ? Math.min(100, (100 * s.finished) / total) : 0}%` }} />
      </div>
      <p className="search-study-meta">
        {s.finished}/{total} trials · {s.counts.running} running · {s.counts.pruned} pruned · {s.counts.fail} failed
        {item.local_workers > 0 && ` · ${item.local_workers} worker${item.local_workers > 1 ? "s" : ""} here`}
      </p>
      <p className="search-study-best">
        Best: <strong>{s.best_trial === null ? "no completed trial yet" : `${formatValues(s, s.best_values)} (trial ${s.best_trial})`}</strong>
      </p>
    </li>
  );
}

export function SearchPage() {
  const api = useApi();
  const [showForm, setShowForm] = useState(false);
  const list = useRequest("studies", () => call(api.rest.GET("/api/studies")));
  const defaults = useRequest(showForm ? "search-defaults" : null, () => call(api.rest.GET("/api/search/defaults")));
  const items = list.data?.items ?? [];

  return (
    <div className="search-page">
      <header className="page-header">
        <h1>Search</h1>
        <div className="search-actions">
          <button type="button" className="button" onClick={list.reload} disabled={list.loading}>
            Refresh
          </button>
          <button type="button" className="button button-primary" aria-expanded={showForm} onClick={() => setShowForm(!showForm)}>
            {showForm ? "Close the form" : "New study"}
          </button>
        </div>
      </header>
      <p className="search-intro">
        Health-aware hyperparameter and architecture search: every trial trains a network and is scored on accuracy and on how healthy it
        trained (live neurons, stable loss, sound gradients, consistent accuracy, size).
      </p>
      {showForm && (
        <section className="search-panel" aria-label="Start a study">
          <h2>Start a study</h2>
          <ErrorBanner message={defaults.error} />
          {defaults.loading && <p className="loading">Loading datasets and default spaces…</p>}
          {defaults.data && <StudyForm defaults={defaults.data} onCreated={(s) => (window.location.hash = studyHref(s.study.name))} />}
        </section>
      )}
      <ErrorBanner message={list.error} />
      {list.loading && <p className="loading">Loading studies…</p>}
      {list.data && items.length === 0 && (
        <div className="empty-state" data-testid="studies-empty">
          <p>No studies yet.</p>
          <p>
            Start one with <strong>New study</strong> above, or from a terminal: <code>neuralscope search --dataset digits --trials 20</code>.
          </p>
        </div>
      )}
      {items.length > 0 && (
        <ul className="search-studies" aria-label="Studies">
          {items.map((item) => (
            <StudyRow key={item.study.name} item={item} />
          ))}
        </ul>
      )}
    </div>
  );
}
