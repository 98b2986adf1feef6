"""Workers on real Optuna storages: SQLite shared by two worker processes (one killed mid-trial),
PostgreSQL, cancellation, logs and memory of trial processes."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import optuna
import pytest
from tests.pgserver import PostgresServer
from tests.search.helpers import tiny_study

from neuralscope.search import (
    Heartbeat,
    WorkerOptions,
    create_study,
    open_storage,
    request_cancel,
    run_worker,
)
from neuralscope.search.contract import ATTR_ARTIFACTS, ATTR_METRICS
from neuralscope.search.logs import log_path
from neuralscope.search.storage import close_storage

State = optuna.trial.TrialState


def _trials(url: str, name: str) -> list[optuna.trial.FrozenTrial]:
    storage = open_storage(url)
    try:
        return optuna.load_study(study_name=name, storage=storage).trials
    finally:
        close_storage(storage)


def _worker(url: str, name: str, home: Path) -> subprocess.Popen[str]:
    command = [sys.executable, "-m", "neuralscope.cli", "worker", "--study", name, "--storage",
               url, "--home", str(home), "--heartbeat", "1", "--grace", "4"]  # fmt: skip
    # A session of its own: killing its process group kills the worker and its trial processes,
    # as if the machine had died.
    return subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True
    )


def test_cancelled_study_starts_no_trial(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'db.sqlite'}"
    close_storage(create_study(tiny_study("c"), url)._storage)
    request_cancel(url, "c")
    summary = run_worker(WorkerOptions(storage_url=url, study_name="c", home=tmp_path))
    assert summary.stop_reason == "cancelled"
    assert summary.started == 0
    assert _trials(url, "c") == []


@pytest.mark.slow
def test_two_workers_share_a_study_and_a_killed_worker_loses_only_its_trial(
    tmp_path: Path,
) -> None:
    url = f"sqlite:///{tmp_path / 'db.sqlite'}"
    close_storage(create_study(tiny_study("two", n_trials=4, max_epochs=3), url)._storage)
    victim, survivor = _worker(url, "two", tmp_path), _worker(url, "two", tmp_path)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:  # kill the victim while both work on a trial
        states = [t.state for t in _trials(url, "two")]
        if states.count(State.RUNNING) == 2:
            break
        time.sleep(0.3)
    else:
        pytest.fail("the two workers never ran trials at the same time")
    os.killpg(victim.pid, signal.SIGKILL)
    victim.communicate()
    _, err = survivor.communicate(timeout=180)
    assert survivor.returncode == 0, err
    assert "database is locked" not in err
    trials = _trials(url, "two")
    states = [t.state for t in trials]
    assert State.RUNNING not in states
    assert states.count(State.FAIL) == 1  # the victim's trial, marked by the heartbeat
    finished = [t for t in trials if t.state in (State.COMPLETE, State.PRUNED)]
    assert len(finished) >= 3
    for trial in trials:
        if trial.state == State.COMPLETE:
            assert ATTR_METRICS in trial.user_attrs
            assert Path(trial.user_attrs[ATTR_ARTIFACTS]).is_dir()
    lines = [json.loads(line) for line in log_path(tmp_path, "two").read_text().splitlines()]
    rss = [e["max_rss_mb"] for e in lines if e["message"] == "trial finished"]
    assert len(rss) >= 3
    assert max(rss) < 1.25 * min(rss)  # each trial in a fresh process: no growth across trials
    assert {e["study"] for e in lines} == {"two"}


@pytest.mark.slow
@pytest.mark.postgres
def test_worker_completes_a_study_on_postgres(pg_server: PostgresServer, tmp_path: Path) -> None:
    database = pg_server.create_database()
    url = pg_server.url(database)
    try:
        study = create_study(tiny_study("pg", n_trials=2, max_epochs=1, objective="pareto"), url)
        close_storage(study._storage)
        options = WorkerOptions(
            storage_url=url, study_name="pg", home=tmp_path, heartbeat=Heartbeat(1, 4)
        )
        summary = run_worker(options)
        assert summary.stop_reason == "complete"
        trials = _trials(url, "pg")
        assert [t.state for t in trials] == [State.COMPLETE, State.COMPLETE]
        assert all(len(t.values) == 3 for t in trials)
    finally:
        pg_server.drop_database(database)
