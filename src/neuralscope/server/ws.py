"""``/ws/runs/{id}``: live events of one run.

The first message is a :class:`LiveSnapshot` (so late joiners draw the whole run); every later
message is an :class:`EventMessage` batch. Messages are paced to at most ``MAX_MESSAGES_PER_S``
(fewer per viewer when many watch one run, see :func:`message_rate`):
between two sends the bus coalesces frames, so a slow browser gets fewer, fresher frames and
training never waits for it.
"""

from __future__ import annotations

import asyncio
import contextlib
import weakref
from collections import OrderedDict

from fastapi import APIRouter, WebSocket, WebSocketDisconnect
from fastapi.concurrency import run_in_threadpool

from neuralscope.bus import SubscriptionClosed
from neuralscope.events import Event
from neuralscope.server.batched import BatchedBuilds
from neuralscope.server.deps import Services, WsServicesDep
from neuralscope.server.views import live_snapshot
from neuralscope.store import RunNotFound

MAX_MESSAGES_PER_S = 20
# All viewers of one run together get about this many messages per second (each at least
# MIN_MESSAGES_PER_S): sends share the process (and the GIL) with the training thread, so 50
# viewers at 20/s each would slow training down; fewer, coalesced messages carry the same news.
RUN_MESSAGES_PER_S = 150
MIN_MESSAGES_PER_S = 3
# Snapshots built at once: a burst of viewers joining (50 tabs opening a shared link) would
# otherwise materialise 50 copies of the run's curves together and raise the process's memory
# high-water mark with the run's length; two keep both cores busy. Viewers of one run who join
# together share builds (``batched``): a burst costs at most two builds per run.
MAX_CONCURRENT_SNAPSHOTS = 2
router = APIRouter()
# Per event loop (a semaphore and a lock belong to the loop they first wait on).
_snapshot_slots: weakref.WeakKeyDictionary[
    asyncio.AbstractEventLoop, tuple[asyncio.Semaphore, BatchedBuilds]
] = weakref.WeakKeyDictionary()


def _snapshot_text(services: Services, run_id: str) -> str:
    return live_snapshot(services, run_id).model_dump_json()


async def _snapshot(services: Services, run_id: str) -> str:
    """The run's snapshot as JSON, read after this call began, built off the event loop and
    shared with the viewers of the same run who asked at the same time."""
    loop = asyncio.get_running_loop()
    slots, builds = _snapshot_slots.setdefault(
        loop, (asyncio.Semaphore(MAX_CONCURRENT_SNAPSHOTS), BatchedBuilds())
    )

    async def build() -> str:
        async with slots:
            return await run_in_threadpool(_snapshot_text, services, run_id)

    return await builds.get(f"{id(services)}:{run_id}", build)


class _JsonCache:
    """Each event's JSON, serialised once however many viewers receive it.

    The bus hands the same event object to every subscription of a run, so with 50 viewers
    the frames would otherwise be serialised 50 times, on the process that also trains. Keys
    are object ids; the entry keeps its event alive, so an id cannot be reused while cached.
    An event is needed only until every viewer has sent the batch holding it (a fraction of a
    second), so a few hundred entries suffice; boundary frames are tens of KB each.
    """

    def __init__(self, size: int = 512) -> None:
        self._size = size
        self._entries: OrderedDict[int, tuple[Event, str]] = OrderedDict()

    def message(self, events: list[Event]) -> str:
        """The same text as ``EventMessage(events=events).model_dump_json()``."""
        parts = []
        for event in events:
            entry = self._entries.get(id(event))
            if entry is None or entry[0] is not event:
                entry = (event, event.model_dump_json())
                self._entries[id(event)] = entry
                if len(self._entries) > self._size:
                    self._entries.popitem(last=False)
            parts.append(entry[1])
        return '{"type":"events","events":[' + ",".join(parts) + "]}"


_json_cache = _JsonCache()


def message_rate(viewers: int) -> float:
    """Messages per second for each of ``viewers`` viewers of one run."""
    share = RUN_MESSAGES_PER_S / max(viewers, 1)
    return max(MIN_MESSAGES_PER_S, min(MAX_MESSAGES_PER_S, share))


async def _wait_for_disconnect(websocket: WebSocket) -> None:
    with contextlib.suppress(WebSocketDisconnect):
        while True:
            message = await websocket.receive()
            if message["type"] == "websocket.disconnect":
                return


@router.websocket("/ws/runs/{run_id}")
async def stream_run(websocket: WebSocket, run_id: str, services: WsServicesDep) -> None:
    offered = [p for p in websocket.scope.get("subprotocols", []) if p.startswith("bearer.")]
    try:
        await run_in_threadpool(services.store.runs.get, run_id)
    except RunNotFound:
        await websocket.close(code=4404, reason=f"no run with id {run_id}")
        return
    await websocket.accept(subprotocol=offered[0] if offered else None)
    subscription = services.bus.subscribe(run_id)  # before the snapshot, so nothing falls between
    disconnected = asyncio.create_task(_wait_for_disconnect(websocket))
    try:
        await websocket.send_text(await _snapshot(services, run_id))
        while not disconnected.done():
            batch_task = asyncio.create_task(subscription.next_batch())
            done, _ = await asyncio.wait(
                {batch_task, disconnected}, return_when=asyncio.FIRST_COMPLETED
            )
            if batch_task not in done:
                batch_task.cancel()
                break
            await websocket.send_text(_json_cache.message(batch_task.result()))
            await asyncio.sleep(1 / message_rate(services.bus.subscriber_count(run_id)))
    except SubscriptionClosed as exc:
        await websocket.close(code=1013, reason=str(exc))
    except (WebSocketDisconnect, RuntimeError):
        pass  # the viewer went away mid-send
    finally:
        services.bus.unsubscribe(subscription)
        disconnected.cancel()
