"""The read side of search studies: summaries, paged trials, best trial, importance, Pareto front.

Reads what :mod:`neuralscope.search.contract` says studies and trials store, from any Optuna
RDB storage (the project's database URL). Listings read only the rows a page shows
(:mod:`neuralscope.search._rows`), so a page of a study with thousands of trials stays fast;
parameter importance (Optuna's default PED-ANOVA evaluator, Watanabe et al. 2023,
"PED-ANOVA: Efficiently Quantifying Hyperparameter Importance in Arbitrary Subspaces") and the
Pareto front (non-dominated completed trials, Deb et al. 2002, NSGA-II) load the whole study and
are asked for separately.
"""

from __future__ import annotations

import math
import warnings
from datetime import datetime
from typing import Any, Literal

import optuna
import sqlalchemy as sa
from pydantic import BaseModel, ConfigDict, Field

from neuralscope.search import _rows
from neuralscope.search.contract import (
    ATTR_ARCHITECTURE,
    ATTR_ARTIFACTS,
    ATTR_CANCELLED,
    ATTR_CONFIG,
    ATTR_CURVE,
    ATTR_METRICS,
    ATTR_MODULES,
    ATTR_PRUNED_BY,
    ATTR_WORKER,
    ArchitectureLayer,
    CurvePoint,
    StudyConfig,
    TrialMetrics,
    TrialModules,
)
from neuralscope.search.study import StudyNotFound  # one "no such study" for the package

TrialState = Literal["running", "complete", "pruned", "fail", "waiting"]
StudyState = Literal["running", "finished", "cancelled", "idle"]
TrialOrder = Literal["number", "-number", "best"]
_CARD_KEYS = (
    ATTR_METRICS, ATTR_ARCHITECTURE, ATTR_PRUNED_BY, ATTR_WORKER, ATTR_CURVE, ATTR_MODULES,
)  # fmt: skip
_DETAIL_KEYS = (*_CARD_KEYS, ATTR_ARTIFACTS)


class _Out(BaseModel):
    model_config = ConfigDict(frozen=True)


class StateCounts(_Out):
    running: int = 0
    complete: int = 0
    pruned: int = 0
    fail: int = 0
    waiting: int = 0


class StudySummary(_Out):
    """A study at a glance (the list and the study page header)."""

    name: str
    state: StudyState
    objective: str | None = Field(description="accuracy, health or pareto; None: not ours")
    directions: list[str]
    config: StudyConfig | None
    counts: StateCounts
    finished: int = Field(description="complete + pruned + failed trials")
    n_trials: int | None = Field(description="the study's trial budget")
    best_trial: int | None = Field(description="number of the best trial (pareto: best accuracy)")
    best_values: list[float] | None
    cancelled: bool
    started_at: datetime | None
    updated_at: datetime | None


class TrialSummary(_Out):
    """One trial as a gallery card shows it."""

    number: int
    state: TrialState
    values: list[float] | None
    params: dict[str, Any]
    metrics: TrialMetrics | None
    architecture: list[ArchitectureLayer]
    curve: list[CurvePoint]
    pruned_by: str | None
    worker: str | None
    modules: TrialModules | None = Field(
        default=None, description="functional modules of the last hidden layer (issue #7)"
    )
    started_at: datetime | None
    completed_at: datetime | None


class TrialDetail(TrialSummary):
    artifacts: str | None = Field(description="directory of the files on the worker's machine")


class TrialPage(_Out):
    items: list[TrialSummary]
    total: int
    limit: int
    offset: int


class ParamImportance(_Out):
    name: str
    importance: float = Field(description="share of the objective's variance, sums to 1")


class Importance(_Out):
    objective: str = Field(description="which objective the importances explain")
    params: list[ParamImportance]
    reason: str | None = Field(default=None, description="why there are none yet")


class ParetoFront(_Out):
    objectives: list[str]
    directions: list[str]
    front: list[TrialSummary] = Field(description="non-dominated completed trials")
    points: list[list[float]] = Field(description="[number, *values] of every completed trial")


def _trial(row: _rows.TrialRow, detail: bool = False) -> TrialSummary:
    a = row.attrs
    fields: dict[str, Any] = {
        "number": row.number,
        "state": row.state.lower(),
        "values": row.values,
        "params": row.params,
        "metrics": a.get(ATTR_METRICS),
        "architecture": a.get(ATTR_ARCHITECTURE) or [],
        "curve": a.get(ATTR_CURVE) or [],
        "pruned_by": a.get(ATTR_PRUNED_BY),
        "worker": a.get(ATTR_WORKER),
        "modules": a.get(ATTR_MODULES),
        "started_at": row.started,
        "completed_at": row.completed,
    }
    if detail:
        return TrialDetail(**fields, artifacts=a.get(ATTR_ARTIFACTS))
    return TrialSummary(**fields)


def _objectives(config: StudyConfig | None, n: int) -> list[str]:
    if config is not None and config.objective == "pareto":
        return ["accuracy", "health", "params"]
    if config is not None:
        return [config.objective]
    return [f"objective {i}" for i in range(n)]


class StudyCatalog:
    """Reads studies from an Optuna RDB storage (``storage.engine`` is queried directly)."""

    def __init__(self, storage: optuna.storages.RDBStorage) -> None:
        self.storage = storage
        self.engine: sa.Engine = storage.engine

    def _study_id(self, conn: sa.Connection, name: str) -> int:
        row = conn.execute(
            sa.text("SELECT study_id FROM studies WHERE study_name = :n"), {"n": name}
        ).first()
        if row is None:
            raise StudyNotFound(f"no study named {name!r}")
        return int(row[0])

    def has_study(self, name: str) -> bool:
        with self.engine.connect() as conn:
            try:
                self._study_id(conn, name)
            except StudyNotFound:
                return False
            return True

    def _summaries(self, conn: sa.Connection, ids: dict[str, int]) -> list[StudySummary]:
        sids = list(ids.values())
        attrs = _rows.study_attrs(conn, sids, [ATTR_CONFIG, ATTR_CANCELLED])
        dirs = _rows.directions(conn, sids)
        stats = _rows.state_stats(conn, sids)
        out = []
        for name, sid in ids.items():
            raw = attrs[sid].get(ATTR_CONFIG)
            config = StudyConfig.model_validate(raw) if raw is not None else None
            counts = StateCounts(**{s.lower(): st.count for s, st in stats[sid].items()})
            finished = counts.complete + counts.pruned + counts.fail
            cancelled = bool(attrs[sid].get(ATTR_CANCELLED, False))
            best = _rows.best_number(conn, sid, 0, dirs[sid][:1] != ["minimize"])
            best_values = None
            if best is not None:
                [best_row] = _rows.trial_rows(conn, sid, numbers=[best])
                _rows.fill(conn, [best_row], [])
                best_values = best_row.values
            state: StudyState = "idle"
            if counts.running:
                state = "running"
            elif cancelled:
                state = "cancelled"
            elif config is not None and finished >= config.n_trials:
                state = "finished"
            starts = [st.first_start for st in stats[sid].values() if st.first_start]
            ends = [st.last_complete for st in stats[sid].values() if st.last_complete]
            out.append(
                StudySummary(
                    name=name,
                    state=state,
                    objective=config.objective if config else None,
                    directions=dirs[sid],
                    config=config,
                    counts=counts,
                    finished=finished,
                    n_trials=config.n_trials if config else None,
                    best_trial=best,
                    best_values=best_values,
                    cancelled=cancelled,
                    started_at=min(starts, default=None),
                    updated_at=max(ends + starts, default=None),
                )
            )
        return out

    def list_studies(self) -> list[StudySummary]:
        """Every study, newest first."""
        with self.engine.connect() as conn:
            ids = _rows.study_ids(conn)
            return sorted(self._summaries(conn, ids), key=lambda s: -ids[s.name])

    def summary(self, name: str) -> StudySummary:
        with self.engine.connect() as conn:
            return self._summaries(conn, {name: self._study_id(conn, name)})[0]

    def trials(
        self,
        name: str,
        *,
        limit: int = 50,
        offset: int = 0,
        states: list[TrialState] | None = None,
        order: TrialOrder = "number",
    ) -> TrialPage:
        """A page of trials; ``best`` orders by the first objective, unfinished ones last."""
        db_states = [s.upper() for s in states] if states else None
        with self.engine.connect() as conn:
            sid = self._study_id(conn, name)
            sql_order = {"number": "t.number ASC", "-number": "t.number DESC"}.get(order)
            if sql_order is None:
                maximize = _rows.directions(conn, [sid])[sid][:1] != ["minimize"]
                sense = "DESC" if maximize else "ASC"
                sql_order = f"(v.value IS NULL) ASC, v.value {sense}, t.number ASC"
            rows = _rows.trial_rows(
                conn, sid, states=db_states, order=sql_order, limit=limit, offset=offset
            )
            _rows.fill(conn, rows, _CARD_KEYS)
            total = _rows.count_trials(conn, sid, db_states)
        return TrialPage(items=[_trial(r) for r in rows], total=total, limit=limit, offset=offset)

    def trial(self, name: str, number: int) -> TrialDetail:
        with self.engine.connect() as conn:
            rows = _rows.trial_rows(conn, self._study_id(conn, name), numbers=[number])
            if not rows:
                raise StudyNotFound(f"study {name!r} has no trial {number}")
            _rows.fill(conn, rows, _DETAIL_KEYS)
        result = _trial(rows[0], detail=True)
        assert isinstance(result, TrialDetail)
        return result

    def best_trial(self, name: str) -> TrialDetail | None:
        """The best completed trial (pareto studies: the most accurate); None before any."""
        best = self.summary(name).best_trial
        return None if best is None else self.trial(name, best)

    def curves(self, name: str, numbers: list[int]) -> dict[int, list[CurvePoint]]:
        with self.engine.connect() as conn:
            rows = _rows.trial_rows(conn, self._study_id(conn, name), numbers=numbers)
            _rows.fill(conn, rows, [ATTR_CURVE])
        return {
            r.number: [CurvePoint.model_validate(p) for p in r.attrs.get(ATTR_CURVE) or []]
            for r in rows
        }

    def _study(self, name: str) -> optuna.Study:
        try:
            return optuna.load_study(study_name=name, storage=self.storage)
        except KeyError as exc:
            raise StudyNotFound(f"no study named {name!r}") from exc

    def importance(self, name: str, objective: int = 0) -> Importance:
        """Parameter importances of one objective over the completed trials."""
        summary = self.summary(name)
        label = _objectives(summary.config, len(summary.directions))[objective]
        if summary.counts.complete < 2:
            reason = f"needs at least 2 completed trials (has {summary.counts.complete})"
            return Importance(objective=label, params=[], reason=reason)
        study = self._study(name)
        sign = -1.0 if summary.directions[objective] == "maximize" else 1.0
        try:
            with warnings.catch_warnings():
                # PED-ANOVA explains *low* targets and warns about it: we pass -value to maximise.
                warnings.simplefilter("ignore", UserWarning)
                scores = optuna.importance.get_param_importances(
                    study, target=lambda t: sign * t.values[objective]
                )
        except (ValueError, RuntimeError) as exc:
            return Importance(objective=label, params=[], reason=str(exc))
        params = [
            ParamImportance(name=k, importance=float(v))
            for k, v in scores.items()
            if math.isfinite(v)
        ]
        why = None if params else "no parameter varied across the completed trials"
        return Importance(objective=label, params=params, reason=why)

    def pareto_front(self, name: str) -> ParetoFront:
        """The non-dominated completed trials (every trial for a single objective's best)."""
        summary = self.summary(name)
        study = self._study(name)
        front = {t.number for t in study.best_trials}
        with self.engine.connect() as conn:
            sid = self._study_id(conn, name)
            done = _rows.trial_rows(conn, sid, states=["COMPLETE"])
            _rows.fill(conn, done, [])
            front_rows = _rows.trial_rows(conn, sid, numbers=sorted(front))
            _rows.fill(conn, front_rows, _CARD_KEYS)
        return ParetoFront(
            objectives=_objectives(summary.config, len(summary.directions)),
            directions=summary.directions,
            front=[_trial(r) for r in front_rows],
            points=[[float(r.number), *(r.values or [])] for r in done],
        )

    def trial_states(self, name: str) -> dict[int, TrialState]:
        """Every trial's state by number (one narrow query: what a live view polls)."""
        with self.engine.connect() as conn:
            rows = _rows.trial_rows(conn, self._study_id(conn, name))
        return {r.number: r.state.lower() for r in rows}  # type: ignore[misc]

    def cards(self, name: str, numbers: list[int]) -> list[TrialSummary]:
        """The gallery cards of these trials, by number."""
        with self.engine.connect() as conn:
            rows = _rows.trial_rows(conn, self._study_id(conn, name), numbers=numbers)
            _rows.fill(conn, rows, _CARD_KEYS)
        return [_trial(r) for r in rows]

    def best_by_metric(self, name: str) -> tuple[TrialSummary | None, TrialSummary | None]:
        """The completed trials with the highest validation accuracy and health score."""
        with self.engine.connect() as conn:
            sid = self._study_id(conn, name)
            done = _rows.trial_rows(conn, sid, states=["COMPLETE"])
            _rows.fill_attrs(conn, done, [ATTR_METRICS])
            scored = [
                (r.number, TrialMetrics.model_validate(r.attrs[ATTR_METRICS]))
                for r in done
                if ATTR_METRICS in r.attrs
            ]
            if not scored:
                return None, None
            by_acc = max(scored, key=lambda s: (s[1].val_accuracy, s[1].health, -s[0]))[0]
            by_health = max(scored, key=lambda s: (s[1].health, s[1].val_accuracy, -s[0]))[0]
            rows = _rows.trial_rows(conn, sid, numbers=sorted({by_acc, by_health}))
            _rows.fill(conn, rows, _CARD_KEYS)
        cards = {r.number: _trial(r) for r in rows}
        return cards[by_acc], cards[by_health]
