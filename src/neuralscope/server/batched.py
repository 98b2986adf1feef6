"""Batched builds: callers who ask for the same key while a build runs share the next one.

When 50 viewers open a shared link at once, each needs the run's snapshot. Building it 50
times (two at a time) makes the last viewer wait for 25 builds and raises memory with the run's
length. A cached snapshot would be wrong: a viewer subscribes to live events *before* asking,
and the snapshot it gets must be read after that, or events between the two are lost. So a
caller never joins a build that has already started: it joins the next one, which starts when
the current one ends and serves everyone who arrived meanwhile. However many callers arrive in
a burst, a key is built at most twice for them, and every snapshot is read after its caller
asked.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field


@dataclass
class _Key:
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    next: asyncio.Future[str] | None = None  # the build not yet started, joined by new callers
    tasks: set[asyncio.Task[None]] = field(default_factory=set)


class BatchedBuilds:
    """``await get(key, build)``: the result of a ``build()`` for ``key`` that started after
    this call (the build of the batch is the one its first caller passed).

    One instance belongs to one event loop. A failed build raises in every caller that waited
    for it; the next call builds again. A caller that goes away does not cancel the build for
    the others."""

    def __init__(self) -> None:
        self._keys: dict[str, _Key] = {}

    async def get(self, key: str, build: Callable[[], Awaitable[str]]) -> str:
        state = self._keys.setdefault(key, _Key())
        if state.next is None:
            fut: asyncio.Future[str] = asyncio.get_running_loop().create_future()
            fut.add_done_callback(_retrieve)
            state.next = fut
            task = asyncio.create_task(self._run(key, state, fut, build))
            state.tasks.add(task)
            task.add_done_callback(state.tasks.discard)
        return await asyncio.shield(state.next)

    async def _run(
        self, key: str, state: _Key, fut: asyncio.Future[str], build: Callable[[], Awaitable[str]]
    ) -> None:
        async with state.lock:  # one build of a key at a time
            state.next = None  # from here on, new callers wait for the following build
            try:
                result = await build()
            except Exception as exc:
                fut.set_exception(exc)
            else:
                fut.set_result(result)
        if state.next is None and not state.lock.locked():
            self._keys.pop(key, None)  # idle: forget the key

    def pending_keys(self) -> int:
        """Keys with a build running or queued (0 when idle: nothing is kept)."""
        return len(self._keys)


def _retrieve(fut: asyncio.Future[str]) -> None:
    """Mark a failure as seen when every caller has gone (no 'never retrieved' noise)."""
    if not fut.cancelled():
        with contextlib.suppress(Exception):
            fut.exception()
