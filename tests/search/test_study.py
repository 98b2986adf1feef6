"""Creating, validating and cancelling studies; the storage under concurrent writers."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import optuna
import pytest

from neuralscope.search import (
    StorageUnavailable,
    StudyExists,
    create_study,
    open_storage,
    request_cancel,
)
from neuralscope.search import storage as storage_module
from neuralscope.search.contract import ATTR_CANCELLED, ATTR_CONFIG, SearchSpace, StudyConfig
from neuralscope.search.spaces import default_space
from neuralscope.search.study import StudyNotFound, load_study


def _url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'db' / 'studies.db'}"


def test_create_study_stores_config_and_directions(tmp_path: Path) -> None:
    url = _url(tmp_path)
    config = StudyConfig(name="p1", dataset="digits", objective="pareto", n_trials=4)
    study = create_study(config, url)
    assert [d.name for d in study.directions] == ["MAXIMIZE", "MAXIMIZE", "MINIMIZE"]
    assert StudyConfig.model_validate(study.user_attrs[ATTR_CONFIG]) == config
    loaded, loaded_config = load_study(open_storage(url), "p1")
    assert loaded_config == config
    assert isinstance(loaded.sampler, optuna.samplers.NSGAIISampler)
    with pytest.raises(StudyExists, match="p1"):
        create_study(config, url)


def test_create_study_names_the_bad_field(tmp_path: Path) -> None:
    url = _url(tmp_path)
    with pytest.raises(ValueError, match="dataset: unknown dataset 'nope'"):
        create_study(StudyConfig(name="a", dataset="nope"), url)
    with pytest.raises(ValueError, match=r"space\.family: digits is image data"):
        create_study(StudyConfig(name="b", dataset="digits", space=default_space("mlp")), url)
    bad = SearchSpace.model_validate(
        {"family": "cnn", "params": {"wings": {"type": "int", "low": 1, "high": 2}}}
    )
    with pytest.raises(ValueError, match=r"params\.wings"):
        create_study(StudyConfig(name="c", dataset="digits", space=bad), url)


def test_request_cancel_marks_the_study(tmp_path: Path) -> None:
    url = _url(tmp_path)
    create_study(StudyConfig(name="c1", dataset="iris"), url)
    request_cancel(url, "c1")
    storage = open_storage(url)
    study_id = storage.get_study_id_from_name("c1")
    assert storage.get_study_user_attrs(study_id)[ATTR_CANCELLED] is True
    with pytest.raises(StudyNotFound):
        request_cancel(url, "missing")


def test_unreachable_storage_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(StorageUnavailable, match=r"postgresql\+psycopg://u:\*\*\*@127.0.0.1:9/x"):
        open_storage("postgresql+psycopg://u:secret@127.0.0.1:9/x")
    blocker = tmp_path / "file"
    blocker.write_text("")
    with pytest.raises(StorageUnavailable, match="cannot open"):
        open_storage(f"sqlite:///{blocker / 'sub' / 'db.sqlite'}")


# The writers load storage.py by path: importing the neuralscope package would load torch
# and cost each process seconds, which is not what this test measures.
_WRITER = """
import importlib.util, sys, optuna
spec = importlib.util.spec_from_file_location("search_storage", sys.argv[2])
storage_module = sys.modules["search_storage"] = importlib.util.module_from_spec(spec)
spec.loader.exec_module(storage_module)
open_storage = storage_module.open_storage
optuna.logging.set_verbosity(optuna.logging.WARNING)
study = optuna.load_study(study_name="w", storage=open_storage(sys.argv[1]))
for i in range(15):
    trial = study.ask()
    trial.set_user_attr("x", i)
    study.tell(trial, float(i))
"""


@pytest.mark.slow
def test_concurrent_sqlite_writers_never_see_database_is_locked(tmp_path: Path) -> None:
    url = _url(tmp_path)
    optuna.create_study(study_name="w", storage=open_storage(url))
    # Another connection holds the write lock for 7 s: the writers wait for it (busy
    # timeout) instead of failing with "database is locked", then race each other.
    holder = sqlite3.connect(str(tmp_path / "db" / "studies.db"), isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", _WRITER, url, storage_module.__file__],
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(3)
    ]
    time.sleep(7)
    holder.execute("ROLLBACK")
    holder.close()
    errors = [w.communicate(timeout=120)[1] for w in writers]
    assert [w.returncode for w in writers] == [0] * 3, errors
    study = optuna.load_study(study_name="w", storage=open_storage(url))
    assert len(study.get_trials(states=[optuna.trial.TrialState.COMPLETE])) == 45


def test_sqlite_storage_waits_for_locks_and_writes_in_wal(tmp_path: Path) -> None:
    from sqlalchemy import text

    from neuralscope.search.storage import SQLITE_BUSY_TIMEOUT_S

    storage = open_storage(_url(tmp_path))
    with storage.engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA busy_timeout")).scalar() == SQLITE_BUSY_TIMEOUT_S * 1000
        # The transaction holds the write lock from its start (BEGIN IMMEDIATE): a second
        # writer cannot slip in between a read and a write of the first.
        other = sqlite3.connect(str(tmp_path / "db" / "studies.db"), timeout=0)
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            other.execute("BEGIN IMMEDIATE")
        other.close()
    assert SQLITE_BUSY_TIMEOUT_S > 30  # plain Optuna gave up after ~30 s here (measured)
