/**
 * ``#/search/<name>``: one study, live. Progress and summary, the trial gallery, curves,
 * parallel coordinates, importance, Pareto front, accuracy-vs-health comparison, and the
 * selected trial's files and 3-D model. The WebSocket keeps the study and running trials fresh;
 * analyses are re-read when a trial finishes.
 */

import { useMemo, useState } from "react";
import { call, errorMessage } from "../api/client";
import { useApi } from "../api/context";
import type { StudySummary, TrialSummary } from "../api/types";
import { useRequest } from "../api/useRequest";
import { ErrorBanner } from "../components/ErrorBanner";
import { CompareBest } from "./CompareBest";
import { CurvesChart } from "./CurvesChart";
import { Downloads } from "./Downloads";
import { formatDuration, formatValues, objectiveNames, OBJECTIVE_LABELS } from "./format";
import { ImportanceBars } from "./ImportanceBars";
import { Model3D } from "./Model3D";
import { ParallelCoords } from "./ParallelCoords";
import { ParetoScatter } from "./ParetoScatter";
import { SlicePlot } from "./SlicePlot";
import { useStudyLive } from "./studyLive";
import { TrialCard } from "./TrialCard";

export const GALLERY_PAGE = 24;

function Section({ title, children, id }: { title: string; children: React.ReactNode; id?: string }) {
  return (
    <section className="search-panel" aria-labelledby={id ?? title}>
      <h2 id={id ?? title}>{title}</h2>
      {children}
    </section>
  );
}

function Summary({ study, trials }: { study: StudySummary; trials: TrialSummary[] }) {
  const done = trials.filter((t) => t.metrics);
  const mean = done.length ? done.reduce((a, t) => a + (t.metrics?.train_seconds ?? 0), 0) / done.length : null;
  const total = study.n_trials ?? study.finished;
  return (
    <dl className="search-stats" data-testid="study-stats">
      <div>
        <dt>Best</dt>
        <dd>{study.best_trial === null ? "—" : `${formatValues(study, study.best_values)} (trial ${study.best_trial})`}</dd>
      </div>
      <div>
        <dt>Trials</dt>
        <dd>
          {study.finished}/{total} finished
        </dd>
      </div>
      <div>
        <dt>Complete · pruned · failed</dt>
        <dd>
          {study.counts.complete} · {study.counts.pruned} · {study.counts.fail}
        </dd>
      </div>
      <div>
        <dt>Running</dt>
        <dd>{study.counts.running}</dd>
      </div>
      <div>
        <dt>Mean training time</dt>
        <dd>{mean === null ? "—" : formatDuration(mean)}</dd>
      </div>
      <div>
        <dt>Objective</dt>
        <dd>{study.objective ? OBJECTIVE_LABELS[study.objective] : study.directions.join(", ")}</dd>
      </div>
    </dl>
  );
}

export function StudyPage({ name, WebSocketImpl }: { name: string; WebSocketImpl?: typeof WebSocket }) {
  const api = useApi();
  const live = useStudyLive(name, WebSocketImpl);
  const rest = useRequest(`study:${name}`, () => call(api.rest.GET("/api/studies/{name}", { params: { path: { name } } })));
  const study = live.state.study ?? rest.data?.study ?? null;
  const finished = study?.finished ?? 0;
  const [order, setOrder] = useState<"-number" | "best">("-number");
  const [offset, setOffset] = useState(0);
  const [selected, setSelected] = useState<number | null>(null);
  const [cancelError, setCancelError] = useState<string | null>(null);
  const path = { params: { path: { name } } };
  // Re-read analyses when a trial finishes (the key changes), not on every curve point.
  const page = useRequest(study ? `trials:${name}:${order}:${offset}:${finished}` : null, () =>
    call(api.rest.GET("/api/studies/{name}/trials", { params: { path: { name }, query: { limit: GALLERY_PAGE, offset, order } } })),
  );
  const top = useRequest(study ? `top:${name}:${finished}` : null, () =>
    call(api.rest.GET("/api/studies/{name}/trials", { params: { path: { name }, query: { limit: 200, order: "best", state: ["complete"] } } })),
  );
  const importance = useRequest(study ? `imp:${name}:${finished}` : null, () => call(api.rest.GET("/api/studies/{name}/importance", path)));
  const compare = useRequest(study ? `cmp:${name}:${finished}` : null, () => call(api.rest.GET("/api/studies/{name}/compare", path)));
  const pareto = useRequest(study?.objective === "pareto" ? `pareto:${name}:${finished}` : null, () => call(api.rest.GET("/api/studies/{name}/pareto", path)));
  const defaults = useRequest("search-defaults", () => call(api.rest.GET("/api/search/defaults")));

  const cards = useMemo(() => {
    const byNumber = new Map<number, TrialSummary>((page.data?.items ?? []).map((t) => [t.number, t]));
    for (const t of Object.values(live.state.trials)) if (byNumber.has(t.number)) byNumber.set(t.number, t);
    let list = [...byNumber.values()];
    if (order === "-number" && offset === 0) {
      const newest = Math.max(-1, ...list.map((t) => t.number));
      const fresh = Object.values(live.state.trials).filter((t) => t.number > newest);
      list = [...fresh, ...list].sort((a, b) => b.number - a.number).slice(0, GALLERY_PAGE);
    }
    return list;
  }, [page.data, live.state.trials, order, offset]);

  const running = Object.values(live.state.trials).filter((t) => t.state === "running");
  const curveTrials = useMemo(() => {
    const best = (top.data?.items ?? []).slice(0, 6);
    const seen = new Set(best.map((t) => t.number));
    return [...best, ...running.filter((t) => !seen.has(t.number))];
  }, [top.data, running]);

  const help = useMemo(() => {
    const out: Record<string, string> = {};
    const space = study?.config?.space;
    for (const s of [...Object.values(defaults.data?.spaces ?? {}), ...(space ? [space] : [])]) {
      for (const [k, p] of Object.entries(s.params)) if (p.help) out[k] = p.help;
    }
    return out;
  }, [defaults.data, study]);

  if (rest.error && !study) {
    return (
      <div className="search-page">
        <ErrorBanner message={rest.error} />
        <p>
          <a href="#/search">Back to all studies</a>
        </p>
      </div>
    );
  }
  if (!study) return <p className="loading">Loading study {name}…</p>;

  const total = study.n_trials ?? study.finished;
  const shownTrial = selected ?? study.best_trial;
  const names = objectiveNames(study);
  const cancel = async () => {
    setCancelError(null);
    try {
      await call(api.rest.POST("/api/studies/{name}/cancel", path));
      rest.reload();
    } catch (e) {
      setCancelError(errorMessage(e));
    }
  };

  return (
    <div className="search-page search-study-page">
      <header className="page-header">
        <div>
          <p className="search-crumb">
            <a href="#/search">Search</a> /
          </p>
          <h1>{study.name}</h1>
          <p className="search-study-meta">
            {study.config?.dataset} · {study.objective} · <span className={`search-state search-state-${study.state}`}>{study.state}</span>
            {" · "}
            <span data-testid="stream-state">{live.stream === "open" ? "live" : live.stream}</span>
          </p>
        </div>
        {!study.cancelled && study.state !== "finished" && (
          <button type="button" className="button" onClick={() => void cancel()}>
            Cancel study
          </button>
        )}
      </header>
      <ErrorBanner message={live.refused ?? cancelError} />
      <div className="search-progress search-progress-big" role="progressbar" aria-label="Finished trials" aria-valuemin={0} aria-valuemax={total} aria-valuenow={study.finished}>
        <span style={{ width: `${total ? Math.min(100, (100 * study.finished) / total) : 0}%` }} />
      </div>
      {live.state.newBest !== null && (
        <p className="search-new-best" role="status" data-testid="new-best">
          New best: trial {live.state.newBest}
        </p>
      )}
      <Summary study={study} trials={top.data?.items ?? []} />

      <Section title="Trials">
        <div className="search-space-bar" role="group" aria-label="Order trials">
          {(
            [
              ["-number", "Newest first"],
              ["best", "Best first"],
            ] as const
          ).map(([o, label]) => (
            <button key={o} type="button" className="button button-quiet" aria-pressed={order === o} onClick={() => (setOrder(o), setOffset(0))}>
              {label}
            </button>
          ))}
        </div>
        <ErrorBanner message={page.error} />
        {page.loading && !page.data && <p className="loading">Loading trials…</p>}
        {cards.length === 0 && !page.loading && <p className="empty" data-testid="trials-empty">No trials yet. Workers pick the first one up within seconds.</p>}
        <ul className="search-gallery" aria-label="Trial gallery">
          {cards.map((t) => (
            <TrialCard key={t.number} trial={t} study={study} best={t.number === study.best_trial} selected={t.number === shownTrial} onSelect={setSelected} />
          ))}
        </ul>
        {page.data && page.data.total > GALLERY_PAGE && (
          <nav className="pager" aria-label="Pages of trials">
            <button type="button" className="button" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - GALLERY_PAGE))}>
              Previous
            </button>
            <span>
              {offset + 1}–{Math.min(offset + GALLERY_PAGE, page.data.total)} of {page.data.total}
            </span>
            <button type="button" className="button" disabled={offset + GALLERY_PAGE >= page.data.total} onClick={() => setOffset(offset + GALLERY_PAGE)}>
              Next
            </button>
          </nav>
        )}
      </Section>

      <div className="search-columns">
        <Section title="Learning curves">
          <p className="search-help">Validation accuracy per epoch: the six best trials and every running one (the best is black).</p>
          <CurvesChart trials={curveTrials} best={study.best_trial} />
        </Section>
        <Section title="Parameter importance">
          {importance.data ? <ImportanceBars importance={importance.data} help={help} /> : <ErrorBanner message={importance.error} />}
          <h3 className="search-subhead">Slice</h3>
          <SlicePlot
            trials={top.data?.items ?? []}
            params={importance.data?.params.length ? importance.data.params.map((p) => p.name) : [...new Set((top.data?.items ?? []).flatMap((t) => Object.keys(t.params)))]}
            objective={names[0] ?? "value"}
            help={help}
          />
        </Section>
      </div>

      <Section title="Parallel coordinates">
        <p className="search-help">Each line is a completed trial, through its hyperparameters to its {names[0]}; greener is better. Look for axes where the green lines bunch up.</p>
        <ParallelCoords trials={top.data?.items ?? []} objective={names[0] ?? "value"} maximize={study.directions[0] !== "minimize"} />
      </Section>

      {study.objective === "pareto" && (
        <Section title="Pareto front">
          <p className="search-help">Trials no other trial beats on accuracy, health and size at once. Pick one by the trade-off you need.</p>
          {pareto.data ? <ParetoScatter pareto={pareto.data} onSelect={setSelected} /> : <ErrorBanner message={pareto.error} />}
        </Section>
      )}

      <Section title="Why health matters">{compare.data ? <CompareBest compare={compare.data} onSelect={setSelected} /> : <ErrorBanner message={compare.error} />}</Section>

      {shownTrial !== null && (
        <div className="search-columns">
          <Section title={`Trial ${shownTrial} in 3-D`} id="trial-3d">
            <Model3D study={name} number={shownTrial} />
          </Section>
          <Section title={`Downloads of trial ${shownTrial}`} id="trial-downloads">
            <Downloads study={name} number={shownTrial} />
          </Section>
        </div>
      )}
    </div>
  );
}
