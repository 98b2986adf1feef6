"""The recorder: persists events in the background so training never waits on the database.

``record()`` only appends to an in-memory buffer under a lock. A writer thread wakes every
``flush_interval`` seconds (or at once on ``flush()``/``close()``) and writes what has gathered in
one transaction per batch (see ``_batch.py`` for what each event kind becomes).

Failures never reach the thread that records:

* A transient database error (locked, connection lost, server restarting) keeps the batch and
  retries it with exponential backoff (0.1 s doubling up to ``max_retry_delay``), logging each
  failure. Nothing is dropped, however long the outage.
* Any other error (an event the database rejects) falls back to writing the batch's events one
  by one and drops, with an error logged, only those that fail on their own.
* While more than ``max_pending`` events wait (the database is down or slower than training),
  new ``boundary`` grids are dropped — they are the large, coalescable kind. Scalars and
  discrete events are never dropped.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from types import TracebackType

from sqlalchemy import exc

from neuralscope.events import BoundaryEvent, Event
from neuralscope.store._batch import write_batch
from neuralscope.store.repository import Store

log = logging.getLogger(__name__)

MAX_BATCH = 5000
_TRANSIENT = (exc.OperationalError, exc.InterfaceError, exc.TimeoutError, exc.DisconnectionError)


class Recorder:
    """Buffers events from any thread and writes them to ``store`` in the background."""

    def __init__(
        self,
        store: Store,
        *,
        flush_interval: float = 0.5,
        max_pending: int = 200_000,
        max_retry_delay: float = 5.0,
    ) -> None:
        self._store = store
        self._flush_interval = flush_interval
        self._max_pending = max_pending
        self._max_retry_delay = max_retry_delay
        self._cond = threading.Condition()
        self._pending: list[Event] = []
        self._recorded = 0  # events accepted so far
        self._done = 0  # events persisted (or dropped as unstorable), in recording order
        self._dropped = 0
        self._flush_waiters = 0
        self._closed = False  # no more record() calls
        self._stop = False  # the writer exits as soon as it can
        self._writer_gone = False
        self._thread = threading.Thread(target=self._run, name="neuralscope-recorder", daemon=True)
        self._thread.start()

    @property
    def pending(self) -> int:
        """Events recorded but not yet written."""
        with self._cond:
            return self._recorded - self._done

    @property
    def dropped(self) -> int:
        """Events dropped: boundary grids shed under overload, and events that cannot be stored."""
        with self._cond:
            return self._dropped

    def record(self, event: Event) -> None:
        """Queue one event for writing; returns at once."""
        self.record_many([event])

    def record_many(self, events: Sequence[Event]) -> None:
        """Queue events for writing, in order; returns at once."""
        with self._cond:
            if self._closed:
                raise RuntimeError("the recorder is closed")
            accepted = list(events)
            if self._recorded - self._done >= self._max_pending:
                accepted = [e for e in accepted if not isinstance(e, BoundaryEvent)]
                if len(accepted) < len(events):
                    self._dropped += len(events) - len(accepted)
                    log.warning("recorder overloaded: dropping boundary snapshots")
            self._pending.extend(accepted)
            self._recorded += len(accepted)
            if len(self._pending) >= MAX_BATCH:
                self._cond.notify_all()

    def flush(self, timeout: float | None = None) -> None:
        """Block until every event recorded before this call is written.

        Raises:
            TimeoutError: ``timeout`` seconds passed first (the events stay queued).
            RuntimeError: the writer thread is gone (after a timed-out ``close()``).
        """
        with self._cond:
            target = self._recorded
            self._flush_waiters += 1
            self._cond.notify_all()
            try:
                finished = self._cond.wait_for(
                    lambda: self._done >= target or self._writer_gone, timeout
                )
            finally:
                self._flush_waiters -= 1
            if self._done < target:
                if not finished:
                    raise TimeoutError(f"{target - self._done} events are not written yet")
                raise RuntimeError("the recorder's writer thread has stopped")

    def close(self, timeout: float | None = None) -> None:
        """Write everything recorded, then stop the writer thread.

        With ``timeout``, give up waiting after that many seconds; what is still unwritten
        then is lost, and an error is logged saying how much.
        """
        with self._cond:
            if self._closed:
                return
            self._closed = True
        try:
            self.flush(timeout)
        except TimeoutError:
            log.error("recorder closed with %d events unwritten", self.pending)
        finally:
            with self._cond:
                self._stop = True
                self._cond.notify_all()
            self._thread.join()

    def __enter__(self) -> Recorder:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc_value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def _run(self) -> None:
        try:
            self._write_until_stopped()
        finally:
            with self._cond:
                self._writer_gone = True
                self._cond.notify_all()  # wake flush() callers

    def _write_until_stopped(self) -> None:
        failures = 0
        while True:
            with self._cond:
                self._cond.wait_for(self._should_write_now, self._flush_interval)
                if self._stop:
                    return
                batch = self._pending[:MAX_BATCH]
            if not batch:
                continue
            done = self._persist(batch)
            with self._cond:
                del self._pending[:done]
                self._done += done
                self._cond.notify_all()
            if done < len(batch):
                failures += 1
                delay = min(self._max_retry_delay, 0.05 * 2**failures)
                with self._cond:
                    self._cond.wait_for(lambda: self._stop, delay)
            else:
                failures = 0

    def _should_write_now(self) -> bool:
        if self._stop:
            return True
        return bool(self._pending) and (self._flush_waiters > 0 or len(self._pending) >= MAX_BATCH)

    def _persist(self, batch: list[Event]) -> int:
        """Write ``batch``; return how many of its leading events are done with."""
        try:
            self._write(batch)
            return len(batch)
        except _TRANSIENT as error:
            log.warning(
                "recorder: database unavailable, will retry %d events: %s", len(batch), error
            )
            return 0
        except Exception:
            log.exception("recorder: a batch of %d events failed; writing one by one", len(batch))
        for index, event in enumerate(batch):
            try:
                self._write([event])
            except _TRANSIENT as error:
                log.warning("recorder: database unavailable, will retry: %s", error)
                return index
            except Exception:
                log.exception("recorder: dropping an event that cannot be stored: %r", event)
                with self._cond:
                    self._dropped += 1
        return len(batch)

    def _write(self, batch: list[Event]) -> None:
        with self._store.database.write() as session:
            dropped = write_batch(session, batch)
        if dropped:
            with self._cond:
                self._dropped += dropped
