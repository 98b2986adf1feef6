"""Live runs: a training Session driven on its own thread, its events recorded and broadcast.

The server and the CLI's ``train`` both use :class:`RunManager`, so a run started from the
page and one started headless go through exactly the same engine, probes and recorder.

Control commands (start, pause, resume, stop, hyperparameter changes) are queued and applied
by the run's own thread between two steps: the Session is never touched by two threads, and a
busy training loop cannot starve a command waiting for a lock.

When a run ends (completed, stopped, diverged, or failed with finite weights) its thread writes
its last events and stores the final model as run artifacts (:mod:`neuralscope.final_model`)
before it lets go of the run, so there is no gap: live while its thread holds it, and once it
is not, its terminal status and its model are in the store.
"""

from __future__ import annotations

import contextlib
import logging
import queue
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import torch

from neuralscope.bus import EventBus
from neuralscope.events import (
    Event,
    HyperparametersEvent,
    HyperparametersPayload,
    RunStatus,
    StatusEvent,
    StatusPayload,
)
from neuralscope.final_model import final_model, store_final_model, weights_finite
from neuralscope.store import Recorder, RunRecord, Store
from neuralscope.training import (
    HyperparameterUpdate,
    IllegalTransition,
    ProbeConfig,
    Session,
    SessionConfig,
    SessionProbes,
)

log = logging.getLogger(__name__)

ControlAction = Literal["start", "pause", "resume", "stop", "set"]
# Asked every IDLE_CHECK_EVERY steps; returns why the run should pause now, or None.
IdleCheck = Callable[[], str | None]
# Called on the run's thread once it has left the training loop: (run id, session, failed).
EndHook = Callable[[str, Session, bool], None]
IDLE_CHECK_EVERY = 256
COMMAND_TIMEOUT_S = 10.0
FLUSH_TIMEOUT_S = 5.0


class TooManyLiveRuns(RuntimeError):
    """Refused: the configured number of concurrently live runs is reached."""


@dataclass(frozen=True)
class _Command:
    action: ControlAction
    update: HyperparameterUpdate | None
    reply: Future[RunStatus]
    # A task run on the run's thread instead of ``action`` (e.g. one traced backprop step).
    task: Callable[[Session, SessionProbes], Sequence[Event]] | None = None


class LiveRun:
    """One Session, the thread that trains it, and the queue of commands for it."""

    def __init__(
        self,
        run_id: str,
        session: Session,
        probes: SessionProbes,
        emit: Callable[[Sequence[Event]], None],
        clock: Callable[[], float] = time.time,
        idle_check: IdleCheck | None = None,
        on_end: EndHook | None = None,
    ) -> None:
        self.run_id = run_id
        self._on_end = on_end
        self._idle_check = idle_check
        self.session = session
        self._probes = probes
        self._emit = emit
        self._clock = clock
        self._commands: queue.SimpleQueue[_Command] = queue.SimpleQueue()
        self._wakeup = threading.Event()
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._main, name=f"run-{run_id[:8]}", daemon=True)

    @property
    def done(self) -> bool:
        return self._done.is_set()

    def launch(self) -> None:
        self._emit(self._probes.snapshot())
        self._thread.start()

    def wait(self, timeout: float | None = None) -> bool:
        """Block until the run's thread has finished; True if it has."""
        return self._done.wait(timeout)

    def control(
        self, action: ControlAction, update: HyperparameterUpdate | None = None
    ) -> RunStatus:
        """Apply a command between two steps and return the status after it.

        Raises IllegalTransition when the action is not allowed in the current status.
        """
        return self._submit(_Command(action, update, Future()))

    def call(self, task: Callable[[Session, SessionProbes], Sequence[Event]]) -> RunStatus:
        """Run ``task`` on the run's thread between two steps; emit the events it returns."""
        return self._submit(_Command("set", None, Future(), task))

    def _submit(self, command: _Command) -> RunStatus:
        self._commands.put(command)
        self._wakeup.set()
        deadline = time.monotonic() + COMMAND_TIMEOUT_S
        while True:
            try:
                return command.reply.result(timeout=0.05)
            except TimeoutError:
                if self.done:  # the thread is gone: nobody else touches the Session now
                    self._drain_commands()
                elif time.monotonic() > deadline:
                    raise

    def _status_event(self, status: RunStatus, reason: str | None = None) -> StatusEvent:
        return StatusEvent(
            run_id=self.run_id,
            step=self.session.global_step,
            time=self._clock(),
            payload=StatusPayload(status=status, reason=reason),
        )

    def _apply(self, command: _Command) -> RunStatus:
        session = self.session
        events: list[Event] = []
        if command.task is not None:
            self._emit(command.task(session, self._probes))
            return session.status
        if command.action == "set":
            changes = session.set_hyperparameters(command.update or HyperparameterUpdate())
            if changes:
                events.append(
                    HyperparametersEvent(
                        run_id=self.run_id,
                        step=session.global_step,
                        time=self._clock(),
                        payload=HyperparametersPayload(changes=changes),
                    )
                )
        else:
            getattr(session, command.action)()
            events.append(self._status_event(session.status))
            if command.action in ("pause", "stop"):
                events.extend(self._probes.snapshot())
        self._emit(events)
        return session.status

    def _pause_if_idle(self, idle_check: IdleCheck) -> None:
        reason = idle_check()
        if reason is not None and self.session.status is RunStatus.RUNNING:
            self.session.pause()
            self._emit([self._status_event(RunStatus.PAUSED, reason), *self._probes.snapshot()])

    def _drain_commands(self) -> None:
        while True:
            try:
                command = self._commands.get_nowait()
            except queue.Empty:
                return
            try:
                command.reply.set_result(self._apply(command))
            except Exception as exc:  # handed to the caller, who turns it into an HTTP error
                command.reply.set_exception(exc)

    def _main(self) -> None:
        torch.set_num_threads(1)  # tiny nets: one thread is as fast, and never oversubscribes
        failed = False
        try:
            while True:
                self._drain_commands()
                status = self.session.status
                if status.is_terminal:
                    break
                if status is not RunStatus.RUNNING:
                    self._wakeup.wait(timeout=1.0)
                    self._wakeup.clear()
                    continue
                result = self.session.step()
                events = self._probes.after_step(result)
                if events:
                    self._emit(events)
                if self._idle_check and result.step % IDLE_CHECK_EVERY == 0:
                    self._pause_if_idle(self._idle_check)
        except Exception as exc:
            failed = True
            log.exception("run %s failed", self.run_id)
            self._emit([self._status_event(RunStatus.FAILED, f"{type(exc).__name__}: {exc}")])
        finally:
            if self._on_end is not None:
                try:  # before done: until the model is stored, the live session serves it
                    self._on_end(self.run_id, self.session, failed)
                except Exception:
                    log.exception("run %s: its end hook failed", self.run_id)
            self._done.set()
            self._drain_commands()


class RunManager:
    """Creates runs, keeps the live ones, and routes their events to the store and the bus."""

    def __init__(
        self,
        store: Store,
        recorder: Recorder,
        bus: EventBus,
        *,
        device: str = "cpu",
        probe_config: ProbeConfig | None = None,
        max_live: int = 8,
        unwatched_pause_s: float = 60.0,
        data_home: Path | None = None,
    ) -> None:
        self.store = store
        self._data_home = data_home
        self.recorder = recorder
        self.bus = bus
        self._device = device
        self._probe_config = probe_config or ProbeConfig()
        self._max_live = max_live
        self._unwatched_pause_s = unwatched_pause_s
        self._lock = threading.Lock()
        self._live: dict[str, LiveRun] = {}

    def _emit(self, events: Sequence[Event]) -> None:
        self.recorder.record_many(events)
        for event in events:
            self.bus.publish(event)

    def create(
        self,
        config: SessionConfig,
        *,
        name: str | None = None,
        start: bool = False,
        weights: dict[str, torch.Tensor] | None = None,
    ) -> RunRecord:
        """Store a new Playground run, build its Session and (optionally) start training.

        With ``weights`` (a zoo model's state dict) the run starts from them, not the seeded
        init: its first recorded metrics are the saved model's.
        """
        with self._lock:
            self._live = {k: v for k, v in self._live.items() if not v.done}
            if len(self._live) >= self._max_live:
                raise TooManyLiveRuns(
                    f"{self._max_live} runs are already live; stop one before starting another"
                )
        session = Session(
            config, device=self._device, data_home=self._data_home, tables=self.table_bytes
        )
        if weights is not None:  # before the run is stored: names and shapes must fit
            session.load_weights(weights)
        record = self.store.runs.create(
            name=name or default_run_name(config),
            kind="playground",
            config=config.model_dump(mode="json"),
        )
        probes = SessionProbes(session, record.id, self._probe_config)
        # A run without a step limit whose viewers all left (closed tab) would train forever.
        idle = self._unwatched_check(record.id) if config.max_steps is None else None
        live = LiveRun(
            record.id, session, probes, self._emit, idle_check=idle, on_end=self._keep_model
        )
        with self._lock:
            self._live[record.id] = live
        live.launch()
        if start:
            live.control("start")
        self.recorder.flush(timeout=FLUSH_TIMEOUT_S)
        return self.store.runs.get(record.id)

    def _keep_model(self, run_id: str, session: Session, failed: bool) -> None:
        """Write the run's last events (its terminal status among them) and store its model as
        its artifacts, both before the run stops being live: whoever sees ``live: false`` reads
        the final status and the model. Never raises (logged instead)."""
        try:
            self.recorder.flush(timeout=FLUSH_TIMEOUT_S)
        except (TimeoutError, RuntimeError):
            log.warning("run %s: its last events were not written in time", run_id)
        try:
            if failed and not weights_finite(session.model):
                log.warning("run %s failed with non-finite weights: no model is stored", run_id)
                return
            store_final_model(self.store, run_id, session.model, session.config)
        except Exception:
            log.exception("run %s: its final model could not be stored", run_id)

    def ended_session(self, record: RunRecord) -> Session:
        """A Session over an ended run's data holding its stored final model (for metrics).

        Raises :class:`~neuralscope.final_model.NoFinalModel` when the run kept no model, and
        the dataset registry's errors when its data cannot be made again here.
        """
        stored = final_model(self.store, record)
        config = SessionConfig.model_validate(record.config)
        session = Session(config, device="cpu", data_home=self._data_home, tables=self.table_bytes)
        state = stored.model().state_dict()  # NoFinalModel when it does not rebuild
        session.load_weights(state)
        return session

    def table_bytes(self, table_id: str) -> bytes:
        """An uploaded table's stored bytes (the Session's ``tables`` source); KeyError when
        no artifact has this id."""
        with self.store.artifacts.open(table_id) as stream:
            return stream.read()

    def _unwatched_check(self, run_id: str) -> IdleCheck:
        last_watched = time.monotonic()
        limit = self._unwatched_pause_s

        def check() -> str | None:
            nonlocal last_watched
            now = time.monotonic()
            if self.bus.subscriber_count(run_id):
                last_watched = now
                return None
            if now - last_watched < limit:
                return None
            last_watched = now
            return (
                f"paused automatically: nobody has watched this run for {limit:g} s and it has "
                "no step limit; resume it to go on"
            )

        return check

    def live(self, run_id: str) -> LiveRun | None:
        with self._lock:
            return self._live.get(run_id)

    def live_count(self) -> int:
        with self._lock:
            return sum(1 for run in self._live.values() if not run.done)

    def control(
        self, run_id: str, action: ControlAction, update: HyperparameterUpdate | None = None
    ) -> RunRecord:
        """Apply ``action`` to a live run; IllegalTransition if the run is not live or refuses."""
        live = self.live(run_id)
        if live is None:
            record = self.store.runs.get(run_id)  # raises RunNotFound
            raise IllegalTransition(
                f"run {run_id} is {record.status.value} and no longer live; it cannot {action}"
            )
        live.control(action, update)
        self.recorder.flush(timeout=FLUSH_TIMEOUT_S)
        return self.store.runs.get(run_id)

    def call(
        self, run_id: str, task: Callable[[Session, SessionProbes], Sequence[Event]]
    ) -> RunRecord:
        """Run ``task`` on a live run's thread (see :meth:`LiveRun.call`)."""
        live = self.live(run_id)
        if live is None:
            record = self.store.runs.get(run_id)  # raises RunNotFound
            raise IllegalTransition(f"run {run_id} is {record.status.value} and no longer live")
        live.call(task)
        self.recorder.flush(timeout=FLUSH_TIMEOUT_S)
        return self.store.runs.get(run_id)

    def shutdown(self, timeout: float = 5.0) -> None:
        """Stop every live run (recording why) and wait for their threads."""
        with self._lock:
            runs = list(self._live.values())
        for live in runs:
            if not live.done:
                with contextlib.suppress(IllegalTransition, TimeoutError):
                    live.control("stop")
        for live in runs:
            live.wait(timeout)
        self.recorder.flush()


def default_run_name(config: SessionConfig) -> str:
    return f"{config.data.dataset} {config.spec.short_name()}"
