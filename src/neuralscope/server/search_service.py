"""The server's search side: the study catalog over the project's database and the worker
processes the server starts for studies created through the API.

Workers are plain ``python -m neuralscope.cli worker`` subprocesses (the same command that joins
a study from any machine), so a server restart loses nothing: the study lives in the database,
and its trials resume with the next worker. The server reaps the ones that exited and stops the
rest on shutdown (SIGTERM, then SIGKILL after a grace period; a killed worker's running trial is
marked failed by Optuna's heartbeat).
"""

from __future__ import annotations

import logging
import subprocess
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Annotated, Any, ParamSpec, TypeVar

import optuna
from fastapi import Depends, FastAPI, Request
from fastapi.concurrency import run_in_threadpool

from neuralscope.search.catalog import StudyCatalog
from neuralscope.search.commands import worker_commands
from neuralscope.search.storage import close_storage, open_storage
from neuralscope.search.study import StudyNotFound
from neuralscope.server.errors import ApiError
from neuralscope.server.schemas import ErrorResponse

log = logging.getLogger(__name__)
P = ParamSpec("P")
T = TypeVar("T")
STOP_GRACE_S = 10.0


@dataclass
class _Worker:
    study: str
    process: subprocess.Popen[bytes]
    log_file: IO[bytes]


@dataclass
class WorkerPool:
    """Worker subprocesses started by this server, by study."""

    storage_url: str
    home: Path
    _workers: list[_Worker] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def start(self, study: str, count: int, seed: int | None = None) -> None:
        """Start ``count`` workers on ``study`` (seeded as ``search.commands`` says); their
        output goes to a log under home."""
        logs = self.home / "search" / study / "server-workers"
        logs.mkdir(parents=True, exist_ok=True)
        commands = worker_commands(study, self.storage_url, self.home, count, seed)
        with self._lock:
            for command in commands:
                out = (logs / f"worker-{len(self._workers)}.log").open("ab")
                proc = subprocess.Popen(
                    command, stdout=out, stderr=subprocess.STDOUT, close_fds=True
                )
                log.info("started worker pid %d on study %s", proc.pid, study)
                self._workers.append(_Worker(study, proc, out))

    def reap(self) -> None:
        """Forget workers that exited (logging a non-zero exit)."""
        with self._lock:
            alive = []
            for w in self._workers:
                code = w.process.poll()
                if code is None:
                    alive.append(w)
                    continue
                w.log_file.close()
                if code != 0:
                    log.warning("worker %d on study %s exited %d", w.process.pid, w.study, code)
            self._workers = alive

    def running(self, study: str) -> int:
        self.reap()
        with self._lock:
            return sum(1 for w in self._workers if w.study == study)

    def stop_all(self, grace_s: float = STOP_GRACE_S) -> None:
        """SIGTERM every worker, SIGKILL those still alive after ``grace_s``."""
        with self._lock:
            workers, self._workers = self._workers, []
        for w in workers:
            if w.process.poll() is None:
                w.process.terminate()
        for w in workers:
            try:
                w.process.wait(timeout=grace_s)
            except subprocess.TimeoutExpired:
                w.process.kill()
                w.process.wait()
            w.log_file.close()


def read_storage(url: str) -> optuna.storages.RDBStorage:
    """A reading storage: plain transactions (no write lock per read), a patient busy timeout."""
    kwargs: dict[str, object] = {"pool_pre_ping": True}
    if url.startswith("sqlite"):
        kwargs["connect_args"] = {"timeout": 30, "check_same_thread": False}
    return optuna.storages.RDBStorage(url, engine_kwargs=kwargs)


@dataclass
class SearchService:
    """What the search routes share for the app's lifetime."""

    storage_url: str
    catalog: StudyCatalog
    workers: WorkerPool

    def close(self) -> None:
        self.workers.stop_all()
        self.catalog.engine.dispose()


_open_lock = threading.Lock()
NO_STUDY: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorResponse, "description": "No study (or trial) with this name"}
}


def open_search(app: FastAPI) -> SearchService:
    """The app's search service, opened on first use (so apps that never search pay nothing)."""
    with _open_lock:
        service: SearchService | None = getattr(app.state, "search", None)
        if service is None:
            settings = app.state.services.settings
            url = settings.db_url
            close_storage(open_storage(url))  # creates Optuna's tables; WAL on SQLite
            catalog = StudyCatalog(read_storage(url))
            service = SearchService(url, catalog, WorkerPool(url, settings.home))
            app.state.search = service
        return service


async def _search(request: Request) -> SearchService:
    return await run_in_threadpool(open_search, request.app)


SearchDep = Annotated[SearchService, Depends(_search)]


def not_found(exc: StudyNotFound) -> ApiError:
    return ApiError(404, "not_found", str(exc.args[0]))


def call(fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
    """``fn(*args, **kwargs)`` with a missing study or trial as a 404."""
    try:
        return fn(*args, **kwargs)
    except StudyNotFound as exc:
        raise not_found(exc) from exc
