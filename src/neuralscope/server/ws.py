"""``/ws/runs/{id}``: live events of one run.

The first message is a :class:`LiveSnapshot` (so late joiners draw the whole run); every later
message is an :class:`EventMessage` batch. Messages are paced to at most ``MAX_MESSAGES_PER_S``:
between two sends the bus coalesces frames, so a slow browser gets fewer, fresher frames and
training never waits for it.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import OrderedDict

from fastapi import APIRouter, WebSocket, WebSocketDisconnect
from fastapi.concurrency import run_in_threadpool

from neuralscope.bus import SubscriptionClosed
from neuralscope.events import Event
from neuralscope.server.deps import WsServicesDep
from neuralscope.server.views import live_snapshot
from neuralscope.store import RunNotFound

MAX_MESSAGES_PER_S = 20
router = APIRouter()


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
        snapshot = await run_in_threadpool(live_snapshot, services, run_id)
        await websocket.send_text(snapshot.model_dump_json())
        while not disconnected.done():
            batch_task = asyncio.create_task(subscription.next_batch())
            done, _ = await asyncio.wait(
                {batch_task, disconnected}, return_when=asyncio.FIRST_COMPLETED
            )
            if batch_task not in done:
                batch_task.cancel()
                break
            await websocket.send_text(_json_cache.message(batch_task.result()))
            await asyncio.sleep(1 / MAX_MESSAGES_PER_S)
    except SubscriptionClosed as exc:
        await websocket.close(code=1013, reason=str(exc))
    except (WebSocketDisconnect, RuntimeError):
        pass  # the viewer went away mid-send
    finally:
        services.bus.unsubscribe(subscription)
        disconnected.cancel()
