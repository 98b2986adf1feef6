"""RunManager over a real store: live runs, commands between steps, unwatched runs pausing."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from neuralscope.bus import EventBus
from neuralscope.events import RunStatus
from neuralscope.runner import RunManager
from neuralscope.store import Recorder, Store
from neuralscope.training import HyperparameterUpdate, IllegalTransition, SessionConfig


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store(f"sqlite:///{tmp_path / 'db.sqlite'}", tmp_path / "artifacts") as s:
        yield s


def manager(store: Store, unwatched_pause_s: float = 60.0) -> tuple[RunManager, Recorder]:
    recorder = Recorder(store, flush_interval=0.05)
    runs = RunManager(store, recorder, EventBus(), unwatched_pause_s=unwatched_pause_s)
    return runs, recorder


def wait_status(store: Store, run_id: str, status: RunStatus, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while store.runs.get(run_id).status is not status:
        assert time.monotonic() < deadline, f"never {status}: {store.runs.get(run_id)}"
        time.sleep(0.05)


def test_unwatched_run_without_step_limit_pauses_itself(store: Store) -> None:
    runs, recorder = manager(store, unwatched_pause_s=0.3)
    record = runs.create(SessionConfig(), start=True)  # no max_steps: would train forever
    wait_status(store, record.id, RunStatus.PAUSED)
    (paused,) = [
        e for e in store.events.list(record.id, kinds=["status"]) if e.payload.status == "paused"
    ]
    assert "nobody has watched" in (paused.payload.reason or "")
    assert runs.control(record.id, "resume").status is RunStatus.RUNNING  # nothing lost
    runs.shutdown()
    recorder.close()


def test_watched_run_keeps_training(store: Store) -> None:
    runs, recorder = manager(store, unwatched_pause_s=0.3)

    async def watch() -> str:
        subscription = runs.bus.subscribe(record_id)
        await asyncio.sleep(1.0)
        runs.bus.unsubscribe(subscription)
        return store.runs.get(record_id).status.value

    record_id = runs.create(SessionConfig(), start=False).id
    runs.control(record_id, "start")
    assert asyncio.run(watch()) == "running"
    runs.shutdown()
    recorder.close()


def test_runs_with_a_step_limit_never_pause_on_their_own(store: Store) -> None:
    runs, recorder = manager(store, unwatched_pause_s=0.0)
    record = runs.create(SessionConfig(max_steps=600), start=True)
    wait_status(store, record.id, RunStatus.COMPLETED)
    statuses = [e.payload.status for e in store.events.list(record.id, kinds=["status"])]
    assert statuses == ["running", "completed"]
    runs.shutdown()
    recorder.close()


def test_commands_are_applied_between_steps_and_refused_after_the_end(store: Store) -> None:
    runs, recorder = manager(store)
    record = runs.create(SessionConfig(max_steps=100_000), start=True)
    runs.control(record.id, "set", HyperparameterUpdate(learning_rate=0.2, batch_size=32))
    live = runs.live(record.id)
    assert live is not None
    assert live.session.hyperparameters.learning_rate == 0.2
    assert live.session.hyperparameters.batch_size == 32
    assert runs.control(record.id, "stop").status is RunStatus.STOPPED
    assert live.wait(10)
    with pytest.raises(IllegalTransition):
        runs.control(record.id, "resume")
    runs.shutdown()
    recorder.close()
