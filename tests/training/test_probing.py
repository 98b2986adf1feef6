"""SessionProbes: which events come at which step, what they hold, and that they round-trip."""

from __future__ import annotations

import math
from collections.abc import Sequence

import pytest
import torch

from neuralscope.data import DataConfig
from neuralscope.events import (
    Event,
    EventKind,
    FindingEvent,
    LayerStatsEvent,
    MetricsEvent,
    RunStatus,
    StatusEvent,
    parse_event,
)
from neuralscope.nets import NetSpec
from neuralscope.training import (
    Hyperparameters,
    ProbeConfig,
    Session,
    SessionConfig,
    SessionProbes,
    StepResult,
)

NOW = 1_700_000_000.5
M, G, S, B = (
    EventKind.METRICS,
    EventKind.GRADIENTS,
    EventKind.LAYER_STATS,
    EventKind.BOUNDARY,
)


def make_session(max_steps: int | None = None, hidden: Sequence[int] = (8, 8)) -> Session:
    session = Session(
        SessionConfig(
            spec=NetSpec.mlp(list(hidden), "relu"),
            data=DataConfig(dataset="gauss", n_samples=200),
            hyperparameters=Hyperparameters(optimizer="adam", learning_rate=0.01),
            max_steps=max_steps,
        )
    )
    session.start()
    return session


def probes_for(session: Session, **cadence: int) -> SessionProbes:
    config = ProbeConfig(**{"boundary_min_interval_s": 0.0, **cadence})
    return SessionProbes(session, "run-1", config, clock=lambda: NOW)


def assert_round_trips(events: Sequence[Event]) -> None:
    for event in events:
        assert parse_event(event.model_dump_json()) == event


def test_cadences_emit_exactly_the_due_kinds() -> None:
    session = make_session()
    probes = probes_for(
        session, metrics_every=2, gradients_every=3, stats_every=4, boundary_every=6
    )
    emitted: dict[int, list[EventKind]] = {}
    for _ in range(12):
        events = probes.after_step(session.step())
        emitted[session.global_step] = [e.kind for e in events]
        assert all(e.step == session.global_step and e.time == NOW for e in events)
        assert all(e.run_id == "run-1" for e in events)
        assert_round_trips(events)
    assert emitted == {
        1: [],
        2: [M],
        3: [G],
        4: [M, S],
        5: [],
        6: [M, G, B],
        7: [],
        8: [M, S],
        9: [G],
        10: [M],
        11: [],
        12: [M, G, S, B],
    }


def test_no_hook_stays_attached_after_a_stats_step() -> None:
    session = make_session()
    probes = probes_for(session, stats_every=1)
    assert [e.kind for e in probes.after_step(session.step())].count(S) == 1
    assert all(not m._forward_hooks for m in session.model.modules())


def test_metrics_hold_the_mean_batch_loss_and_full_split_scores() -> None:
    session = make_session()
    probes = probes_for(session, metrics_every=3)
    results: list[StepResult] = []
    events: list[Event] = []
    for _ in range(3):
        results.append(session.step())
        events.extend(probes.after_step(results[-1]))
    assert len(events) == 1
    assert isinstance(events[0], MetricsEvent)
    values = events[0].payload.values
    assert values["train/loss"] == pytest.approx(sum(r.loss for r in results) / 3)
    assert values["val/loss"] == pytest.approx(session.evaluate("val").loss)
    assert values["val/accuracy"] == pytest.approx(session.evaluate("val").accuracy)
    assert values["train/accuracy"] == pytest.approx(session.evaluate("train").accuracy)
    # the next mean starts afresh
    later: list[StepResult] = []
    events = []
    for _ in range(3):
        later.append(session.step())
        events.extend(probes.after_step(later[-1]))
    assert isinstance(events[0], MetricsEvent)
    assert events[0].payload.values["train/loss"] == pytest.approx(sum(r.loss for r in later) / 3)


def test_layer_stats_probe_the_validation_set() -> None:
    session = make_session(hidden=(5, 3))
    (event,) = [e for e in probes_for(session).snapshot() if isinstance(e, LayerStatsEvent)]
    assert event.payload.probe == "validation (100 samples)"
    assert [s.layer for s in event.payload.layers] == ["act1", "act2"]


def test_snapshot_before_and_after_the_first_step() -> None:
    session = make_session()
    probes = probes_for(session)
    first = probes.snapshot()
    assert [e.kind for e in first] == [M, S, EventKind.ACTIVATIONS, B]  # no gradients yet
    assert isinstance(first[0], MetricsEvent)
    assert first[0].payload.values["train/loss"] == pytest.approx(session.evaluate("train").loss)
    session.step()
    later = probes.snapshot()
    assert [e.kind for e in later] == [M, G, S, EventKind.ACTIVATIONS, B]
    assert_round_trips(first + later)


def test_net_without_hidden_layers_has_no_layer_stats() -> None:
    session = make_session(hidden=())
    assert [e.kind for e in probes_for(session).snapshot()] == [M, B]


def test_divergence_emits_the_finding_and_the_status() -> None:
    session = make_session()
    probes = probes_for(session)
    with torch.no_grad():
        session.model.output.bias.fill_(math.nan)
    events = probes.after_step(session.step())
    assert [e.kind for e in events] == [EventKind.FINDING, EventKind.STATUS]
    finding, status = events
    assert isinstance(finding, FindingEvent)
    assert finding.payload.code == "loss_divergence"
    assert isinstance(status, StatusEvent)
    assert status.payload.status is RunStatus.DIVERGED
    assert status.payload.reason == finding.payload.message
    assert_round_trips(events)
    # A snapshot of the broken model still serialises: non-finite metrics are left out.
    snapshot = probes.snapshot()
    metrics = snapshot[0]
    assert isinstance(metrics, MetricsEvent)
    assert "val/loss" not in metrics.payload.values
    assert_round_trips(snapshot)


def test_completion_emits_final_metrics_and_status_once() -> None:
    session = make_session(max_steps=5)
    probes = probes_for(session, metrics_every=10, gradients_every=10, boundary_every=10)
    kinds = [[e.kind for e in probes.after_step(session.step())] for _ in range(5)]
    assert kinds == [[], [], [], [], [M, EventKind.STATUS]]

    session = make_session(max_steps=4)
    probes = probes_for(session, metrics_every=2)
    events = [e for _ in range(4) for e in probes.after_step(session.step())]
    assert [e.kind for e in events].count(M) == 2  # the metrics due at step 4 are the final ones
    status = events[-1]
    assert isinstance(status, StatusEvent)
    assert status.payload.status is RunStatus.COMPLETED
    assert status.step == 4


@pytest.mark.parametrize("field", ["metrics_every", "stats_every", "boundary_resolution"])
def test_probe_config_rejects_cadences_below_one(field: str) -> None:
    with pytest.raises(ValueError, match=field):
        ProbeConfig(**{field: 0})


def test_one_pass_evaluation_equals_evaluating_each_split() -> None:
    session = make_session()
    for _ in range(30):
        session.step()
    train, val = session.evaluate_splits()
    assert train.loss == pytest.approx(session.evaluate("train").loss, rel=1e-6)
    assert train.accuracy == session.evaluate("train").accuracy
    assert val.loss == pytest.approx(session.evaluate("val").loss, rel=1e-6)
    assert val.accuracy == session.evaluate("val").accuracy


def test_boundary_frames_are_capped_in_wall_time_but_the_last_one_always_comes() -> None:
    session = make_session(max_steps=100)
    clock = iter(0.001 * i for i in range(10_000))  # 1 ms of "wall time" per step
    config = ProbeConfig(boundary_every=10, boundary_min_interval_s=0.05)
    probes = SessionProbes(session, "run-1", config, clock=lambda: next(clock))
    frames = []
    while session.status is RunStatus.RUNNING:
        frames += [e.step for e in probes.after_step(session.step()) if e.kind is B]
    # Due every 10 steps (10 ms apart), but at most one per 50 ms: steps 10, 60; then the end.
    assert frames == [10, 60, 100]


def test_a_pause_right_after_a_metrics_step_does_not_record_that_step_twice() -> None:
    session = make_session()
    probes = probes_for(session, metrics_every=10)
    scheduled = []
    for _ in range(10):
        scheduled += [e for e in probes.after_step(session.step()) if e.kind is M]
    assert [e.step for e in scheduled] == [10]
    assert [e.kind for e in probes.snapshot() if e.kind is M] == []  # step 10 has its metrics
    session.step()
    assert [e.step for e in probes.snapshot() if e.kind is M] == [11]  # a new step: picture
