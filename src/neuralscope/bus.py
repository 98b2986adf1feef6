"""In-process event bus: training threads publish, WebSocket viewers subscribe.

Each subscriber owns a bounded mailbox with two compartments:

* scalar events (metrics, status, hyperparameter changes, findings) queue in order and are
  never dropped; a viewer that falls so far behind that ``max_pending`` of them pile up is
  disconnected instead (it reconnects and receives a fresh snapshot);
* coalescable events (boundary grids, layer statistics, gradient norms) keep only the newest
  one per kind, so a slow browser sees fewer frames but never slows training down.

``publish`` is called from training threads and never blocks on a consumer.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections import defaultdict, deque

from neuralscope.events import COALESCABLE_KINDS, Event, EventKind


class SubscriptionClosed(Exception):
    """The subscription was closed by the bus (run gone, or the viewer fell too far behind)."""


class Subscription:
    """One viewer's mailbox; read it from the asyncio loop that created it."""

    def __init__(self, run_id: str, loop: asyncio.AbstractEventLoop, max_pending: int) -> None:
        self.run_id = run_id
        self._loop = loop
        self._max_pending = max_pending
        self._lock = threading.Lock()
        self._scalars: deque[Event] = deque()
        self._latest: dict[EventKind, Event] = {}
        self._ready = asyncio.Event()
        self.closed_reason: str | None = None

    def put(self, event: Event) -> None:
        """Called by the publisher (any thread)."""
        with self._lock:
            if self.closed_reason is not None:
                return
            was_empty = not self._scalars and not self._latest
            if event.kind in COALESCABLE_KINDS:
                self._latest[event.kind] = event
            elif len(self._scalars) >= self._max_pending:
                self.closed_reason = "viewer fell too far behind"
            else:
                self._scalars.append(event)
        if was_empty or self.closed_reason is not None:
            self._wake()

    def _wake(self) -> None:
        # A closed loop means nobody is listening any more.
        with contextlib.suppress(RuntimeError):
            self._loop.call_soon_threadsafe(self._ready.set)

    def drain(self) -> list[Event]:
        """Everything pending: queued scalars in order, then the newest coalesced frames."""
        with self._lock:
            events = list(self._scalars) + sorted(self._latest.values(), key=lambda e: e.step)
            self._scalars.clear()
            self._latest.clear()
            self._ready.clear()
            return events

    async def next_batch(self) -> list[Event]:
        """Wait until something is pending and return it; raise when the bus closed us."""
        while True:
            if self.closed_reason is not None:
                raise SubscriptionClosed(self.closed_reason)
            batch = self.drain()
            if batch:
                return batch
            await self._ready.wait()


class EventBus:
    """Fan-out of events to subscriptions, keyed by run id."""

    def __init__(self, max_pending: int = 10_000) -> None:
        self._max_pending = max_pending
        self._lock = threading.Lock()
        self._subs: defaultdict[str, set[Subscription]] = defaultdict(set)

    def subscribe(self, run_id: str) -> Subscription:
        """Subscribe from inside a running asyncio loop."""
        sub = Subscription(run_id, asyncio.get_running_loop(), self._max_pending)
        with self._lock:
            self._subs[run_id].add(sub)
        return sub

    def unsubscribe(self, sub: Subscription) -> None:
        with self._lock:
            subs = self._subs.get(sub.run_id)
            if subs is not None:
                subs.discard(sub)
                if not subs:
                    del self._subs[sub.run_id]

    def publish(self, event: Event) -> None:
        with self._lock:
            subs = list(self._subs.get(event.run_id, ()))
        for sub in subs:
            sub.put(event)

    def subscriber_count(self, run_id: str) -> int:
        with self._lock:
            return len(self._subs.get(run_id, ()))
