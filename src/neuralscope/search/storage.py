"""Optuna storage on the project's database URL, safe for many worker processes at once.

``open_storage`` returns an ``RDBStorage`` with Optuna's heartbeat switched on: a worker's
running trial records a heartbeat every ``interval_s`` seconds, and a trial whose heartbeat is
older than ``grace_s`` (its worker was killed) is marked FAIL by the next worker that looks
(``optuna.storages.fail_stale_trials``).

SQLite is tuned so concurrent writers queue instead of failing with "database is locked"
(the complaint of optuna-dashboard users running parallel workers):

* WAL journal, switched on once under a file lock before Optuna opens the file (readers never
  block the writer; the mode is stored in the file);
* every transaction starts with ``BEGIN IMMEDIATE`` and a 60 s busy timeout. A deferred
  transaction that reads and then writes cannot wait for the lock: SQLite answers
  SQLITE_BUSY at once to avoid a deadlock, whatever the busy timeout. Taking the write lock
  up front makes every writer wait its turn in the busy handler instead;
* Optuna's table creation runs under the same file lock, so two first opens do not race.
"""

from __future__ import annotations

import fcntl
import sqlite3
import time
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import optuna
from sqlalchemy import event, exc
from sqlalchemy.engine import Engine, make_url

SQLITE_BUSY_TIMEOUT_S = 60.0


class StorageUnavailable(RuntimeError):
    """The study database cannot be reached or opened (the message names the masked URL)."""


@dataclass(frozen=True)
class Heartbeat:
    """How often a running trial proves it is alive, and how long until it is declared dead."""

    interval_s: int = 3
    grace_s: int = 20


def mask_url(url: str) -> str:
    """The URL with any password replaced by ``***``."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except exc.ArgumentError:
        return url


def _sqlite_path(url: str) -> Path | None:
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return None
    database = parsed.database or ""
    if database in ("", ":memory:") or database.startswith("file:"):
        raise StorageUnavailable("search needs a SQLite file shared by its workers, not memory")
    return Path(database).expanduser()


@contextmanager
def _file_lock(path: Path) -> Iterator[None]:
    with open(path.with_name(path.name + ".lock"), "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _enable_wal(path: Path) -> None:
    conn = sqlite3.connect(str(path), timeout=SQLITE_BUSY_TIMEOUT_S)
    try:
        conn.execute(f"PRAGMA busy_timeout={int(SQLITE_BUSY_TIMEOUT_S * 1000)}")
        conn.execute("PRAGMA journal_mode=WAL")
    finally:
        conn.close()


def _immediate_transactions(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # SQLAlchemy's "begin" event emits BEGIN
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute(f"PRAGMA busy_timeout={int(SQLITE_BUSY_TIMEOUT_S * 1000)}")
            cursor.execute("PRAGMA synchronous=NORMAL")
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")

    engine.dispose()  # connections opened during set-up lack the settings above


def open_storage(
    storage_url: str, heartbeat: Heartbeat | None = None
) -> optuna.storages.RDBStorage:
    """Open (and create if needed) the Optuna tables at ``storage_url``.

    Raises:
        StorageUnavailable: the database cannot be reached, created or read.
    """
    beat = heartbeat or Heartbeat()
    path = _sqlite_path(storage_url)
    kwargs: dict[str, Any] = {"pool_pre_ping": True}
    if path is not None:
        kwargs["connect_args"] = {"timeout": SQLITE_BUSY_TIMEOUT_S, "check_same_thread": False}
    try:
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
        with _file_lock(path) if path is not None else _no_lock():
            if path is not None:
                _enable_wal(path)
            storage = _rdb_storage(storage_url, kwargs, beat)
    except (exc.SQLAlchemyError, sqlite3.Error, OSError, ImportError) as error:
        raise StorageUnavailable(
            f"cannot open the study database at {mask_url(storage_url)}: {_first_line(error)}"
        ) from error
    if path is not None:
        _immediate_transactions(storage.engine)
    return storage


def _rdb_storage(url: str, kwargs: dict[str, Any], beat: Heartbeat) -> optuna.storages.RDBStorage:
    last: exc.OperationalError | None = None
    for attempt in range(5):  # a server that is still starting (compose) gets a few seconds
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", optuna.exceptions.ExperimentalWarning)
                return optuna.storages.RDBStorage(
                    url,
                    engine_kwargs=dict(kwargs),
                    heartbeat_interval=beat.interval_s,
                    grace_period=beat.grace_s,
                )
        except exc.OperationalError as error:
            last = error
            if "database is locked" not in str(error) and "starting up" not in str(error):
                raise
            time.sleep(0.1 * 2**attempt)
    assert last is not None
    raise last


def close_storage(storage: optuna.storages.BaseStorage) -> None:
    """Close the pooled connections of an RDB storage (or of the one a study's cache wraps)."""
    backend = getattr(storage, "_backend", storage)
    if isinstance(backend, optuna.storages.RDBStorage):
        backend.remove_session()
        backend.engine.dispose()


@contextmanager
def _no_lock() -> Iterator[None]:
    yield


def _first_line(error: BaseException) -> str:
    orig = getattr(error, "orig", None) or error
    lines = str(orig).strip().splitlines()
    return lines[0] if lines else type(error).__name__
