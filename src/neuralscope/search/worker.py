"""A search worker: runs a study's trials until it is done or cancelled, one child process each.

Each trial runs in a fresh child process forked from a *forkserver* that has torch, optuna and
the data loaders imported already (a child starts in milliseconds, not the seconds an import
takes), so nothing a trial allocates outlives it and memory does not grow across trials
(Keras Tuner's complaint). Trial processes use one torch thread (PERFORMANCE.md). A worker that
sees several GPUs runs one trial per GPU at once (:func:`assign_devices`).

A trial process proves it is alive through Optuna's heartbeat; it exits when its worker dies
(checked every second), so the trial of a SIGKILLed worker goes stale and the next worker that
looks marks it FAIL. A trial process that crashes or passes the study's ``trial_timeout_s`` is
killed and its trial marked FAIL by the worker at once.

The worker stops starting trials when the study has ``n_trials`` finished (complete, pruned or
failed) or running, when it is cancelled, after ``max_trials`` of its own, or on SIGINT/SIGTERM
(which also stops its running trials; they are marked FAIL).
"""

from __future__ import annotations

import multiprocessing
import os
import resource
import signal
import threading
import time
import warnings
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path
from types import FrameType

import optuna
from optuna.trial import TrialState

from neuralscope.data.catalog import DatasetNotAvailable, fetch_hint, is_cached
from neuralscope.search.devices import assign_devices
from neuralscope.search.logs import log, study_logger
from neuralscope.search.storage import Heartbeat, close_storage, open_storage
from neuralscope.search.study import FINISHED, is_cancelled, load_study

MAX_CRASHES = 3  # trial processes in a row that die before asking for a trial
PRELOAD = ["torch", "optuna", "sklearn.datasets", "neuralscope.search._warm"]


@dataclass(frozen=True)
class WorkerOptions:
    """Where the study is and how this worker runs it."""

    storage_url: str
    study_name: str
    home: Path
    max_trials: int | None = None
    device: str = "auto"
    heartbeat: Heartbeat = field(default_factory=Heartbeat)
    poll_s: float = 0.5
    # The sampler of the k-th trial this worker starts is seeded with seed + k: a one-worker
    # study is then reproducible. None: a fresh seed per trial (workers sharing a study must
    # not draw the same parameters).
    seed: int | None = None


@dataclass(frozen=True)
class _Job:
    options: WorkerOptions
    device: str
    worker_pid: int
    index: int  # how many trials this worker started before this one


@dataclass
class _Running:
    process: multiprocessing.process.BaseProcess
    conn: Connection
    started: float
    trial_id: int | None = None


@dataclass
class WorkerSummary:
    """What this worker did."""

    started: int = 0
    crashed: int = 0
    stop_reason: str = ""


def _watch_worker(pid: int) -> None:
    def watch() -> None:
        while True:
            time.sleep(1.0)
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                os._exit(3)  # the worker is gone: stop, let the heartbeat go stale

    threading.Thread(target=watch, daemon=True).start()


def _trial_main(job: _Job, conn: Connection) -> None:
    """Entry point of a trial process: ask one trial, run it, tell its result."""
    try:
        _run_one(job, conn)
    except BaseException as exc:
        logger = study_logger(job.options.home, job.options.study_name)
        logger.exception("trial process failed: %s", exc, extra={"fields": {"device": job.device}})
        raise


def _run_one(job: _Job, conn: Connection) -> None:
    import torch

    from neuralscope.search.experiment import load_data
    from neuralscope.search.objective import Objective

    torch.set_num_threads(1)
    _watch_worker(job.worker_pid)
    options = job.options
    storage = open_storage(options.storage_url, options.heartbeat)
    if options.seed is None:
        seed = (os.getpid() * 7919 + time.time_ns()) % (2**31)
    else:
        seed = (options.seed + job.index) % (2**31)
    study, config = load_study(storage, options.study_name, seed)
    data = load_data(config, options.home / "datasets")

    logger = study_logger(options.home, options.study_name)
    started: list[int] = []

    def on_start(trial: optuna.Trial) -> None:
        started.append(trial._trial_id)
        conn.send(trial._trial_id)
        log(logger, "trial started", trial=trial.number, device=job.device)

    def cancelled() -> bool:
        return is_cancelled(storage, study._study_id)

    objective = Objective(config, data, options.home, job.device, on_start, cancelled)
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", optuna.exceptions.ExperimentalWarning)
        study.optimize(objective, n_trials=1, catch=(Exception,))
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    if started:
        trial = storage.get_trial(started[0])
        log(logger, "trial finished", trial=trial.number, state=trial.state.name,
            values=trial.values, device=job.device, max_rss_mb=round(rss_mb, 1))  # fmt: skip


class Worker:
    """Runs trial processes for one study (see the module docstring)."""

    def __init__(self, options: WorkerOptions) -> None:
        self.options = options
        self.storage = open_storage(options.storage_url, options.heartbeat)
        self.study, self.config = load_study(self.storage, options.study_name)
        datasets = options.home / "datasets"
        if not is_cached(self.config.dataset, datasets):
            raise DatasetNotAvailable(
                f"{self.config.dataset} is not on this machine: "
                f"{fetch_hint(self.config.dataset, datasets)}"
            )
        import torch

        self.slots = assign_devices(options.device, torch.cuda.device_count())
        self.logger = study_logger(options.home, options.study_name)
        self.summary = WorkerSummary()
        self._stop = ""
        self._signalled = ""
        self._running: dict[int, _Running] = {}
        self._crash_streak = 0

    def _signal(self, signum: int, _frame: FrameType | None) -> None:
        # Its own field: the main loop may be assigning _stop when the signal arrives.
        self._signalled = self._signalled or signal.Signals(signum).name
        for running in self._running.values():
            if running.process.is_alive():
                running.process.terminate()

    def run(self) -> WorkerSummary:
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(PRELOAD)
        previous = {}
        if threading.current_thread() is threading.main_thread():
            previous = {s: signal.signal(s, self._signal) for s in (signal.SIGINT, signal.SIGTERM)}
        log(self.logger, "worker started", slots=self.slots, max_trials=self.options.max_trials)
        try:
            while True:
                self._reap()
                if not self._stop:
                    self._stop = self._signalled or self._stop_reason()
                if self._stop and not self._running:
                    break
                if not self._stop:
                    self._fill(context)
                time.sleep(self.options.poll_s)
        finally:
            for s, handler in previous.items():
                signal.signal(s, handler)
            close_storage(self.storage)
        self.summary.stop_reason = self._stop
        log(self.logger, "worker stopped", reason=self._stop, started=self.summary.started,
            crashed=self.summary.crashed)  # fmt: skip
        return self.summary

    def _counts(self) -> tuple[int, int]:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", optuna.exceptions.ExperimentalWarning)
            optuna.storages.fail_stale_trials(self.study)
        trials = self.storage.get_all_trials(
            self.study._study_id, deepcopy=False, states=(*FINISHED, TrialState.RUNNING)
        )
        finished = sum(t.state in FINISHED for t in trials)
        return finished, len(trials) - finished

    def _stop_reason(self) -> str:
        if is_cancelled(self.storage, self.study._study_id):
            return "cancelled"
        limit = self.options.max_trials
        if limit is not None and self.summary.started >= limit:
            return "max_trials"
        finished, _ = self._counts()
        return "complete" if finished >= self.config.n_trials else ""

    def _fill(self, context: multiprocessing.context.ForkServerContext) -> None:
        for slot, device in enumerate(self.slots):
            if slot in self._running:
                continue
            finished, running = self._counts()
            limit = self.options.max_trials
            if finished + running >= self.config.n_trials:
                return  # the last trials are running elsewhere; wait for them
            if limit is not None and self.summary.started >= limit:
                return
            if self._signalled:
                return
            receive, send = context.Pipe(duplex=False)
            job = _Job(self.options, device, os.getpid(), self.summary.started)
            process = context.Process(target=_trial_main, args=(job, send), daemon=False)
            process.start()
            send.close()
            self._running[slot] = _Running(process, receive, time.monotonic())
            self.summary.started += 1
            if self._signalled:  # arrived while it was starting
                process.terminate()

    def _reap(self) -> None:
        for slot, running in list(self._running.items()):
            while running.trial_id is None and running.conn.poll():
                try:
                    running.trial_id = int(running.conn.recv())
                except EOFError:
                    break
            overdue = time.monotonic() - running.started > self.config.trial_timeout_s
            if overdue and running.process.is_alive():
                log(self.logger, "trial timed out", trial_id=running.trial_id)
                running.process.kill()
            if running.process.is_alive():
                continue
            running.process.join()
            running.conn.close()
            del self._running[slot]
            if running.process.exitcode == 0:
                self._crash_streak = 0
                continue
            self.summary.crashed += 1
            self._fail(running.trial_id, running.process.exitcode)
            self._crash_streak = 0 if running.trial_id is not None else self._crash_streak + 1
            if self._crash_streak >= MAX_CRASHES and not self._stop:
                self._stop = "trial processes crash before starting a trial (see the log)"

    def _fail(self, trial_id: int | None, exitcode: int | None) -> None:
        if trial_id is None:
            return
        try:
            if self.storage.get_trial(trial_id).state == TrialState.RUNNING:
                self.storage.set_trial_state_values(trial_id, TrialState.FAIL)
        except (RuntimeError, optuna.exceptions.UpdateFinishedTrialError):
            return
        log(self.logger, "trial process ended abnormally", trial_id=trial_id, exitcode=exitcode)


def run_worker(options: WorkerOptions) -> WorkerSummary:
    """Run trials of ``options.study_name`` until the study is done or cancelled."""
    return Worker(options).run()
