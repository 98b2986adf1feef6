"""An ended run keeps its model: the runner stores the final weights and spec as run artifacts.

Oracles: a Session trained headless on the same config and seed (training is deterministic on
one CPU thread), and the live session's own model once its thread has let go of it.
"""

from __future__ import annotations

import logging
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import torch
from safetensors.torch import load

from neuralscope.bus import EventBus
from neuralscope.data import DataConfig
from neuralscope.events import RunStatus
from neuralscope.final_model import (
    MODEL_ARTIFACT,
    SPEC_ARTIFACT,
    NoFinalModel,
    final_model,
    has_final_model,
    spec_json,
    weights_finite,
)
from neuralscope.nets import NetSpec
from neuralscope.runner import RunManager
from neuralscope.store import Recorder, Store
from neuralscope.training import Session, SessionConfig
from neuralscope.training.export import to_safetensors


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store(f"sqlite:///{tmp_path / 'db.sqlite'}", tmp_path / "artifacts") as s:
        yield s


@pytest.fixture
def runs(store: Store) -> Iterator[RunManager]:
    recorder = Recorder(store, flush_interval=0.05)
    manager = RunManager(store, recorder, EventBus())
    yield manager
    manager.shutdown()
    recorder.close()


def tiny(max_steps: int | None = 40) -> SessionConfig:
    return SessionConfig.model_validate(
        {
            "spec": NetSpec.model_validate({"layers": [{"units": 5, "activation": "tanh"}]}),
            "data": DataConfig(dataset="xor", n_samples=120),
            "hyperparameters": {"optimizer": "adam", "learning_rate": 0.03, "batch_size": 10},
            "seed": 11,
            "max_steps": max_steps,
        }
    )


def assert_same_weights(a: bytes, b: bytes) -> None:
    """Bit for bit, tensor by tensor (safetensors orders its header's metadata map by hash, so
    two saves of one state dict need not be the same bytes)."""
    first, second = load(a), load(b)
    assert first.keys() == second.keys()
    for name, tensor in first.items():
        assert tensor.dtype == second[name].dtype, name
        assert torch.equal(tensor, second[name]), name


def ended(runs: RunManager, run_id: str, status: RunStatus) -> Session:
    live = runs.live(run_id)
    assert live is not None
    assert live.wait(30), "the run's thread never finished"
    deadline = time.monotonic() + 10
    while runs.store.runs.get(run_id).status is not status:
        assert time.monotonic() < deadline, runs.store.runs.get(run_id)
        time.sleep(0.02)
    return live.session


def test_a_completed_run_stores_the_weights_a_headless_session_trains(
    runs: RunManager, store: Store
) -> None:
    config = tiny(max_steps=40)
    record = runs.create(config, start=True)
    ended(runs, record.id, RunStatus.COMPLETED)
    oracle = Session(config)
    oracle.start()
    while oracle.status is RunStatus.RUNNING:
        oracle.step()
    assert oracle.global_step == 40
    stored = final_model(store, store.runs.get(record.id))
    assert_same_weights(stored.weights_bytes(), to_safetensors(oracle.model))
    assert stored.spec_json == spec_json(config)
    assert has_final_model(store.artifacts.list_for_run(record.id))


def test_a_stopped_run_stores_its_model_as_it_was_when_stopped(
    runs: RunManager, store: Store
) -> None:
    record = runs.create(tiny(max_steps=None), start=True)
    while store.runs.get(record.id).last_step < 5:
        time.sleep(0.02)
    runs.control(record.id, "stop")
    session = ended(runs, record.id, RunStatus.STOPPED)
    stored = final_model(store, store.runs.get(record.id)).weights_bytes()
    assert_same_weights(stored, to_safetensors(session.model))
    assert session.global_step >= 5


def test_a_run_that_is_not_over_has_no_model_yet(runs: RunManager, store: Store) -> None:
    record = runs.create(tiny(), start=False)
    assert not has_final_model(store.artifacts.list_for_run(record.id))
    with pytest.raises(NoFinalModel, match="no model was stored"):
        final_model(store, store.runs.get(record.id))


def test_a_failed_store_is_logged_and_the_run_still_ends_normally(
    runs: RunManager, store: Store, caplog: pytest.LogCaptureFixture
) -> None:
    record = runs.create(tiny(max_steps=30), start=False)
    shutil.rmtree(store.artifacts.root, ignore_errors=True)
    store.artifacts.root.write_text("not a folder")  # every artifact write now fails
    with caplog.at_level(logging.ERROR, logger="neuralscope.runner"):
        runs.control(record.id, "start")
        ended(runs, record.id, RunStatus.COMPLETED)
    assert any("final model could not be stored" in r.getMessage() for r in caplog.records)
    after = store.runs.get(record.id)
    assert after.error is None
    assert after.last_step == 30
    assert store.artifacts.list_for_run(record.id) == []
    statuses = [e.payload.status for e in store.events.list(record.id, kinds=["status"])]
    assert statuses == ["running", "completed"]


def test_a_run_that_failed_with_broken_weights_keeps_no_model(
    runs: RunManager, store: Store, caplog: pytest.LogCaptureFixture
) -> None:
    """The end hook's own policy: a failed run's weights are kept only when finite."""
    record = runs.create(tiny(), start=False)
    live = runs.live(record.id)
    assert live is not None
    runs.control(record.id, "stop")
    assert live.wait(10)
    names = {a.name for a in store.artifacts.list_for_run(record.id)}
    assert names == {MODEL_ARTIFACT, SPEC_ARTIFACT}  # a stopped run with finite weights
    broken = Session(tiny())
    with torch.no_grad():
        next(broken.model.parameters()).fill_(float("nan"))
    assert not weights_finite(broken.model)
    other = runs.create(tiny(), start=False)
    with caplog.at_level(logging.WARNING, logger="neuralscope.runner"):
        runs._keep_model(other.id, broken, True)
    assert "non-finite weights" in caplog.text
    assert store.artifacts.list_for_run(other.id) == []
    runs._keep_model(other.id, Session(tiny()), True)  # finite: a failed run keeps it
    assert has_final_model(store.artifacts.list_for_run(other.id))


def test_a_run_stops_being_live_only_once_its_final_status_is_written(store: Store) -> None:
    """The API reports ``live: false`` from the thread's end; by then the terminal status must
    be in the database too (a slow recorder once showed an ended run as 'running')."""
    recorder = Recorder(store, flush_interval=60.0)  # writes only when flushed
    manager = RunManager(store, recorder, EventBus())
    try:
        record = manager.create(tiny(), start=True)
        live = manager.live(record.id)
        assert live is not None
        assert live.wait(30), "the run's thread never finished"
        assert store.runs.get(record.id).status is RunStatus.COMPLETED
        assert has_final_model(store.artifacts.list_for_run(record.id))
    finally:
        manager.shutdown()
        recorder.close()
