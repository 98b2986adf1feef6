"""The recorder: concurrent producers, one write per batch, and surviving database trouble."""

from __future__ import annotations

import logging
import math
import threading
import time
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pytest
from tests.store.store_backends import Backend

from neuralscope.events import (
    BoundaryEvent,
    BoundaryPayload,
    CompactArray,
    Event,
    EventKind,
    FindingEvent,
    GradientNorm,
    GradientsEvent,
    GradientsPayload,
    LayerStat,
    LayerStatsEvent,
    LayerStatsPayload,
    MetricsEvent,
    MetricsPayload,
    RunStatus,
    StatusEvent,
    StatusPayload,
)
from neuralscope.findings import Finding, Severity
from neuralscope.store import Recorder, Store
from neuralscope.store import recorder as recorder_module


@pytest.fixture
def recorder(store: Store) -> Iterator[Recorder]:
    with Recorder(store, flush_interval=0.05) as rec:
        yield rec


def _metrics(run_id: str, step: int, **values: float) -> MetricsEvent:
    return MetricsEvent(
        run_id=run_id, step=step, time=1000.0 + step, payload=MetricsPayload(values=values)
    )


def _status(
    run_id: str, step: int, time: float, status: RunStatus, reason: str | None = None
) -> StatusEvent:
    payload = StatusPayload(status=status, reason=reason)
    return StatusEvent(run_id=run_id, step=step, time=time, payload=payload)


def _boundary(run_id: str, step: int) -> BoundaryEvent:
    grid = CompactArray.from_numpy(np.full((4, 4), step % 256, dtype=np.uint8))
    payload = BoundaryPayload(resolution=4, x_range=(0.0, 1.0), y_range=(0.0, 1.0), values=grid)
    return BoundaryEvent(run_id=run_id, step=step, time=1.0, payload=payload)


def _events_for(run_id: str, step: int) -> list[Event]:
    """What one training step of a busy run might emit."""
    events: list[Event] = [_metrics(run_id, step, loss=1.0 / (step + 1), acc=step / 1e4)]
    if step % 3 == 0:
        norms = [GradientNorm(parameter=p, norm=float(step)) for p in ("l1.weight", "l1.bias")]
        payload = GradientsPayload(norms=norms)
        events.append(GradientsEvent(run_id=run_id, step=step, time=1.0, payload=payload))
    if step % 5 == 0:
        stat = LayerStat(layer="l1", mean=0.5, std=0.1, dead_fraction=0.0)
        stats = LayerStatsPayload(probe="val", layers=[stat])
        events.append(LayerStatsEvent(run_id=run_id, step=step, time=1.0, payload=stats))
    if step % 49 == 0:
        events.append(_boundary(run_id, step))
    if step % 97 == 0:
        finding = Finding(code="x", severity=Severity.INFO, message="m", recommendation="r")
        events.append(FindingEvent(run_id=run_id, step=step, time=1.0, payload=finding))
    return events


def test_concurrent_producers_persist_everything_exactly_once(
    store: Store, recorder: Recorder
) -> None:
    runs = [store.runs.create(name=f"r{i}", kind="playground", config={}).id for i in range(2)]
    threads_n, steps_per_thread = 4, 700
    start = threading.Barrier(threads_n)
    expected: list[Event] = []
    lock = threading.Lock()

    def produce(thread: int) -> None:
        start.wait()
        mine: list[Event] = []
        for i in range(steps_per_thread):
            step = i * threads_n + thread  # unique across threads
            batch = _events_for(runs[thread % 2], step)
            (recorder.record if len(batch) == 1 else recorder.record_many)(
                batch[0] if len(batch) == 1 else batch  # type: ignore[arg-type]
            )
            mine.extend(batch)
        with lock:
            expected.extend(mine)

    threads = [threading.Thread(target=produce, args=(t,)) for t in range(threads_n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    recorder.flush(timeout=60)
    assert len(expected) > 4000
    assert recorder.pending == 0
    assert recorder.dropped == 0

    for run_id in runs:
        mine = [e for e in expected if e.run_id == run_id]
        steps = sorted(e.step for e in mine if isinstance(e, MetricsEvent))
        series = store.metrics.series(run_id)
        assert series["loss"].steps == steps
        assert series["acc"].steps == steps
        grad_steps = sorted(e.step for e in mine if isinstance(e, GradientsEvent))
        assert series["grad_norm/l1.weight"].steps == grad_steps
        assert series["grad_norm/l1.bias"].values == [float(s) for s in grad_steps]
        stat_steps = sorted(e.step for e in mine if isinstance(e, LayerStatsEvent))
        for name in ("act_mean/l1", "act_std/l1", "dead_fraction/l1"):
            assert series[name].steps == stat_steps
        kinds = Counter(e.kind for e in mine)
        for kind in (EventKind.GRADIENTS, EventKind.LAYER_STATS, EventKind.BOUNDARY):
            assert len(store.snapshots.list(run_id, kind)) == kinds[kind]
        assert len(store.events.list(run_id)) == kinds[EventKind.FINDING]

        run = store.runs.get(run_id)
        assert run.last_step == max(e.step for e in mine)
        newest = max(steps)
        assert run.summary == {"loss": 1.0 / (newest + 1), "acc": newest / 1e4}


def test_status_events_drive_the_run(store: Store, recorder: Recorder) -> None:
    run_id = store.runs.create(name="s", kind="playground", config={}).id
    t0 = 1_800_000_000.0
    recorder.record_many(
        [
            _status(run_id, 0, t0, RunStatus.RUNNING),
            _status(run_id, 5, t0 + 1, RunStatus.PAUSED, reason="user paused"),
        ]
    )
    recorder.flush()
    run = store.runs.get(run_id)
    assert run.status is RunStatus.PAUSED
    assert run.started_at == datetime.fromtimestamp(t0, UTC)
    assert (run.finished_at, run.error) == (None, None)

    recorder.record(_status(run_id, 9, t0 + 2, RunStatus.DIVERGED, reason="loss is NaN"))
    recorder.record(_metrics(run_id, 9, loss=math.nan))
    recorder.flush()
    run = store.runs.get(run_id)
    assert run.status is RunStatus.DIVERGED
    assert run.finished_at == datetime.fromtimestamp(t0 + 2, UTC)
    assert run.error == "loss is NaN"
    assert run.last_step == 9
    assert math.isnan(run.summary["loss"])
    assert [e.step for e in store.events.list(run_id, kinds=[EventKind.STATUS])] == [0, 5, 9]


def test_survives_a_database_that_fails_for_a_while(
    backend: Backend, artifacts_dir: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with Store(backend.url_with_short_lock_wait(), artifacts_dir) as store:
        run_id = store.runs.create(name="r", kind="playground", config={}).id
        with Recorder(store, flush_interval=0.02, max_retry_delay=0.1) as recorder:
            with caplog.at_level(logging.WARNING, logger=recorder_module.__name__):
                with backend.write_lock():
                    for step in range(50):
                        recorder.record(_metrics(run_id, step, loss=float(step)))  # never blocks
                    with pytest.raises(TimeoutError):
                        recorder.flush(timeout=0.8)
                    assert recorder.pending == 50
                recorder.flush(timeout=30)
            assert any("will retry" in r.getMessage() for r in caplog.records)
            assert recorder.pending == 0
        assert store.metrics.series(run_id)["loss"].steps == list(range(50))
        assert store.runs.get(run_id).last_step == 49


def test_overload_sheds_boundary_grids_never_scalars(backend: Backend, artifacts_dir: Path) -> None:
    with Store(backend.url_with_short_lock_wait(), artifacts_dir) as store:
        run_id = store.runs.create(name="r", kind="playground", config={}).id
        with Recorder(store, flush_interval=0.02, max_pending=10, max_retry_delay=0.1) as recorder:
            with backend.write_lock():
                for step in range(30):
                    recorder.record_many(
                        [_metrics(run_id, step, loss=1.0), _boundary(run_id, step)]
                    )
                assert recorder.dropped >= 20
            recorder.flush(timeout=30)
        assert len(store.metrics.series(run_id)["loss"].steps) == 30
        kept = len(store.snapshots.list(run_id, EventKind.BOUNDARY))
        assert kept + recorder.dropped == 30


def test_events_of_unknown_runs_are_dropped_without_blocking(
    store: Store, recorder: Recorder
) -> None:
    run_id = store.runs.create(name="r", kind="playground", config={}).id
    recorder.record_many([_metrics("ghost", 1, loss=1.0), _metrics(run_id, 1, loss=2.0)])
    recorder.flush(timeout=10)
    assert recorder.dropped == 1
    assert store.metrics.latest(run_id) == {"loss": 2.0}


def test_an_unstorable_event_is_dropped_alone(
    store: Store, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    real = recorder_module.write_batch

    def picky(session: object, events: list[Event]) -> int:
        if any(e.step == 13 for e in events):
            raise ValueError("cannot store step 13")
        return real(session, events)  # type: ignore[arg-type]

    monkeypatch.setattr(recorder_module, "write_batch", picky)
    run_id = store.runs.create(name="r", kind="playground", config={}).id
    with Recorder(store, flush_interval=10) as recorder:
        recorder.record_many([_metrics(run_id, s, loss=float(s)) for s in range(20)])
        with caplog.at_level(logging.ERROR, logger=recorder_module.__name__):
            recorder.flush(timeout=10)
        assert recorder.dropped == 1
    assert store.metrics.series(run_id)["loss"].steps == [s for s in range(20) if s != 13]
    assert any("dropping an event" in r.getMessage() for r in caplog.records)


def test_flush_is_prompt_and_close_is_final(store: Store) -> None:
    run_id = store.runs.create(name="r", kind="playground", config={}).id
    recorder = Recorder(store, flush_interval=60)
    recorder.record(_metrics(run_id, 1, loss=1.0))
    started = time.monotonic()
    recorder.flush(timeout=10)  # does not wait for the 60 s interval
    assert time.monotonic() - started < 5
    recorder.record(_metrics(run_id, 2, loss=2.0))
    recorder.close()
    recorder.close()  # idempotent
    assert store.metrics.series(run_id)["loss"].steps == [1, 2]
    with pytest.raises(RuntimeError, match="closed"):
        recorder.record(_metrics(run_id, 3, loss=3.0))


def test_summary_keeps_the_value_of_the_highest_step(store: Store, recorder: Recorder) -> None:
    run_id = store.runs.create(name="r", kind="playground", config={}).id
    recorder.record(_metrics(run_id, 10, loss=1.0))
    recorder.flush()
    recorder.record(_metrics(run_id, 5, loss=9.0, **{"val/accuracy": 0.5}))  # a late evaluation
    recorder.flush()
    run = store.runs.get(run_id)
    assert run.summary == {"loss": 1.0, "val/accuracy": 0.5}
    assert run.last_step == 10


def test_close_gives_up_after_its_timeout(backend: Backend, artifacts_dir: Path) -> None:
    with Store(backend.url_with_short_lock_wait(), artifacts_dir) as store:
        run_id = store.runs.create(name="r", kind="playground", config={}).id
        recorder = Recorder(store, flush_interval=0.02, max_retry_delay=0.1)
        with backend.write_lock():
            recorder.record(_metrics(run_id, 1, loss=1.0))
            started = time.monotonic()
            recorder.close(timeout=0.5)
            assert time.monotonic() - started < 10
        assert recorder.pending == 1
        with pytest.raises(RuntimeError, match="writer thread has stopped"):
            recorder.flush(timeout=5)
