"""How the recorder turns a batch of events into rows, all in one transaction.

=================  ==================================================  ===========================
event kind         metric rows                                         also stored as
=================  ==================================================  ===========================
``metrics``        one per value, under its own name                   (feeds ``runs.summary``)
``gradients``      ``grad_norm/<parameter>``                           snapshot
``layer_stats``    ``act_mean/<layer>``, ``act_std/<layer>``,          snapshot
                   ``dead_fraction/<layer>``
``boundary``       none                                                snapshot
``histograms``,    none                                                snapshot
``samples``
``calibration``    ``calibration/<split>/<ece|mce|signed_gap|...>``     snapshot
``modules``        ``modularity/<layer>``, ``modules/<layer>``,         snapshot
                   ``module/<id>/<metric>`` (EMA-smoothed)
``activations``    none                                                snapshot
``status``         none                                                event; updates the run
``hyperparameters``, ``finding``  none                                 event
=================  ==================================================  ===========================

After the rows, each run touched gets ``last_step`` (the highest step seen) and its summary
merged with the batch's ``metrics`` values, each value replacing one of a lower or equal step
(so a late validation result for an older step never hides a newer one, and vice versa).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import UTC, datetime

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from neuralscope.events import (
    ActivationsEvent,
    BoundaryEvent,
    CalibrationEvent,
    Event,
    GradientsEvent,
    HistogramsEvent,
    LayerStatsEvent,
    MetricsEvent,
    ModulesEvent,
    RunStatus,
    SamplesEvent,
    StatusEvent,
)
from neuralscope.store.event_log import insert_events, insert_snapshots
from neuralscope.store.models import Metric, Run
from neuralscope.store.runs import apply_progress, apply_status, merge_summary, utcnow

log = logging.getLogger(__name__)

_SNAPSHOT_TYPES = (
    GradientsEvent,
    LayerStatsEvent,
    BoundaryEvent,
    HistogramsEvent,
    CalibrationEvent,
    SamplesEvent,
    ModulesEvent,
    ActivationsEvent,
)
_ERROR_STATUSES = frozenset({RunStatus.FAILED, RunStatus.DIVERGED})


def metric_rows(event: Event) -> list[tuple[str, float]]:
    """The scalars an event carries, as ``(metric name, value)``."""
    if isinstance(event, MetricsEvent):
        return list(event.payload.values.items())
    if isinstance(event, GradientsEvent):
        return [(f"grad_norm/{g.parameter}", g.norm) for g in event.payload.norms]
    if isinstance(event, LayerStatsEvent):
        rows: list[tuple[str, float]] = []
        for stat in event.payload.layers:
            rows.append((f"act_mean/{stat.layer}", stat.mean))
            rows.append((f"act_std/{stat.layer}", stat.std))
            rows.append((f"dead_fraction/{stat.layer}", stat.dead_fraction))
        return rows
    if isinstance(event, CalibrationEvent):
        c = event.payload
        scalars = {"ece": c.ece, "mce": c.mce, "signed_gap": c.signed_gap}
        if c.p_value is not None:
            scalars["p_value"] = c.p_value
        if c.auroc is not None:
            scalars["auroc"] = c.auroc
        return [(f"calibration/{c.split}/{k}", v) for k, v in scalars.items()]
    if isinstance(event, ModulesEvent):
        m = event.payload
        out = [(f"modularity/{x.layer}", x.modularity) for x in m.layers]
        out += [
            (f"modules/{x.layer}", float(sum(1 for y in m.modules if y.layer == x.layer)))
            for x in m.layers
        ]
        out += [(f"module/{y.id}/{k}", v) for y in m.modules for k, v in y.smoothed.items()]
        return out
    return []


def write_batch(session: Session, events: Sequence[Event]) -> int:
    """Persist ``events`` in the session's transaction; return how many were dropped.

    Events of runs that do not exist (never created, or deleted while recording) can never be
    stored; they are dropped with a warning instead of failing the whole batch forever.
    """
    run_ids = {e.run_id for e in events}
    runs = {
        run.id: run
        for run in session.scalars(select(Run).where(Run.id.in_(run_ids)).with_for_update())
    }
    unknown = run_ids - runs.keys()
    if unknown:
        log.warning("dropping events of unknown runs %s", sorted(unknown))
    kept = [e for e in events if e.run_id in runs]

    metrics: list[dict[str, object]] = []
    snapshots: list[Event] = []
    discrete: list[Event] = []
    newest: dict[str, dict[str, tuple[int, float]]] = {}
    last_step: dict[str, int] = {}
    for event in kept:
        last_step[event.run_id] = max(last_step.get(event.run_id, 0), event.step)
        for name, value in metric_rows(event):
            row = {"run_id": event.run_id, "step": event.step, "time": event.time}
            metrics.append({**row, "name": name, "value": value})
        if isinstance(event, MetricsEvent):
            latest = newest.setdefault(event.run_id, {})
            for name, value in event.payload.values.items():
                if name not in latest or latest[name][0] <= event.step:
                    latest[name] = (event.step, value)
        if isinstance(event, _SNAPSHOT_TYPES):
            snapshots.append(event)
        elif not isinstance(event, MetricsEvent):
            discrete.append(event)
        if isinstance(event, StatusEvent):
            status = event.payload.status
            error = event.payload.reason if status in _ERROR_STATUSES else None
            apply_status(runs[event.run_id], status, error, datetime.fromtimestamp(event.time, UTC))

    if metrics:
        session.execute(insert(Metric), metrics)
    insert_snapshots(session, snapshots)
    insert_events(session, discrete)
    now = utcnow()
    for run_id, step in last_step.items():
        run = runs[run_id]
        apply_progress(run, max(run.last_step, step), now)
        merge_summary(run, newest.get(run_id, {}))
    return len(events) - len(kept)
