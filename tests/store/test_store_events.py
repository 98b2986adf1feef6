"""Events and snapshots come back as the typed events that went in."""

from __future__ import annotations

import math

import numpy as np
import pytest
from sqlalchemy import func, select

from neuralscope.events import (
    BoundaryEvent,
    BoundaryPayload,
    CompactArray,
    EventKind,
    FindingEvent,
    GradientNorm,
    GradientsEvent,
    GradientsPayload,
    HyperparameterChange,
    HyperparametersEvent,
    HyperparametersPayload,
    LayerStat,
    LayerStatsEvent,
    LayerStatsPayload,
    RunStatus,
    StatusEvent,
    StatusPayload,
)
from neuralscope.findings import Severity, make_finding
from neuralscope.store import RunNotFound, Store
from neuralscope.store.models import Snapshot


@pytest.fixture
def run_id(store: Store) -> str:
    return store.runs.create(name="e", kind="playground", config={}).id


def _running(run_id: str, step: int, time: float) -> StatusEvent:
    return StatusEvent(
        run_id=run_id, step=step, time=time, payload=StatusPayload(status=RunStatus.RUNNING)
    )


def _boundary(run_id: str, step: int, fill: int) -> BoundaryEvent:
    grid = np.full((8, 8), fill, dtype=np.uint8)
    grid[0, 0] = 255 - fill
    return BoundaryEvent(
        run_id=run_id,
        step=step,
        time=1_700_000_000.123456 + step,
        payload=BoundaryPayload(
            resolution=8,
            x_range=(-6.0, 6.0),
            y_range=(-6.0, 6.0),
            values=CompactArray.from_numpy(grid),
        ),
    )


def test_discrete_events_round_trip_typed(store: Store, run_id: str) -> None:
    finding = make_finding(
        "loss_divergence",
        Severity.CRITICAL,
        "loss became NaN",
        "lower the learning rate",
        evidence={"loss": math.nan, "threshold": math.inf, "history": [1.0, 2.5]},
    )
    events = [
        _running(run_id, step=0, time=1.5),
        HyperparametersEvent(
            run_id=run_id,
            step=10,
            time=2.25,
            payload=HyperparametersPayload(
                changes=[HyperparameterChange(name="lr", old=0.1, new=0.01)]
            ),
        ),
        FindingEvent(run_id=run_id, step=12, time=3.0, payload=finding),
        StatusEvent(
            run_id=run_id,
            step=12,
            time=3.5,
            payload=StatusPayload(status=RunStatus.DIVERGED, reason="loss is NaN"),
        ),
    ]
    store.events.add_many(events)
    got = store.events.list(run_id)
    assert [type(e) for e in got] == [type(e) for e in events]
    assert got[:2] == events[:2]
    assert got[3] == events[3]
    found = got[2]
    assert isinstance(found, FindingEvent)
    loss = found.payload.evidence["loss"]
    assert isinstance(loss, float)
    assert math.isnan(loss)
    assert found.payload.evidence["threshold"] == math.inf
    assert found.payload.evidence["history"] == [1.0, 2.5]
    assert found.payload.model_copy(update={"evidence": {}}) == finding.model_copy(
        update={"evidence": {}}
    )


def test_event_filters(store: Store, run_id: str) -> None:
    events = [_running(run_id, step=s, time=float(s)) for s in range(5)]
    store.events.add_many(events)
    assert store.events.list(run_id, after_step=2) == events[3:]
    assert store.events.list(run_id, limit=2) == events[:2]
    assert store.events.list(run_id, kinds=[EventKind.FINDING]) == []
    assert store.events.list(run_id, kinds=[EventKind.STATUS], after_step=3, limit=9) == events[4:]
    with pytest.raises(RunNotFound):
        store.events.add_many([events[0].model_copy(update={"run_id": "ghost"})])


def test_snapshots_latest_and_list(store: Store, run_id: str) -> None:
    boundaries = [_boundary(run_id, step, fill=step) for step in (0, 20, 10)]
    gradients = GradientsEvent(
        run_id=run_id,
        step=30,
        time=5.0,
        payload=GradientsPayload(norms=[GradientNorm(parameter="dense1.weight", norm=math.inf)]),
    )
    stats = LayerStatsEvent(
        run_id=run_id,
        step=30,
        time=5.0,
        payload=LayerStatsPayload(
            probe="validation (250 samples)",
            layers=[LayerStat(layer="features.3", mean=0.1, std=1.0, dead_fraction=0.25)],
        ),
    )
    store.snapshots.add_many([*boundaries, gradients, stats])

    latest = store.snapshots.latest(run_id, EventKind.BOUNDARY)
    assert latest == boundaries[1]
    assert isinstance(latest, BoundaryEvent)
    assert np.array_equal(latest.payload.values.to_numpy(), boundaries[1].payload.values.to_numpy())
    assert store.snapshots.latest(run_id, EventKind.GRADIENTS) == gradients
    assert store.snapshots.latest(run_id, EventKind.LAYER_STATS) == stats
    assert store.snapshots.latest(run_id, EventKind.METRICS) is None

    listed = store.snapshots.list(run_id, EventKind.BOUNDARY)
    assert [e.step for e in listed] == [0, 10, 20]
    assert store.snapshots.list(run_id, EventKind.BOUNDARY, after_step=0, limit=1) == [
        boundaries[2]
    ]
    assert store.snapshots.steps(run_id, EventKind.BOUNDARY) == [0, 10, 20]


def test_latest_snapshot_on_a_tie_is_the_last_recorded(store: Store, run_id: str) -> None:
    first, second = _boundary(run_id, 5, fill=1), _boundary(run_id, 5, fill=2)
    store.snapshots.add_many([first])
    store.snapshots.add_many([second])
    assert store.snapshots.latest(run_id, EventKind.BOUNDARY) == second


def test_snapshots_are_compressed(store: Store, run_id: str) -> None:
    big = BoundaryEvent(
        run_id=run_id,
        step=1,
        time=1.0,
        payload=BoundaryPayload(
            resolution=100,
            x_range=(-1.0, 1.0),
            y_range=(-1.0, 1.0),
            values=CompactArray.from_numpy(np.zeros((100, 100), dtype=np.uint8)),
        ),
    )
    store.snapshots.add_many([big])
    with store.database.read() as session:
        stored = session.scalar(select(func.length(Snapshot.payload)))
    assert stored is not None
    assert stored < len(big.payload.model_dump_json()) / 20
