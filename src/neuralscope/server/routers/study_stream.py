"""``/ws/studies/{name}``: a study's trial starts, curve points, completions and new bests, live.

Workers write to the database from any machine, so the stream polls it: every ``POLL_S`` one
narrow query reads every trial's state (a few milliseconds for thousands of trials); only trials
whose state changed are read in full, and only running trials' curves are re-read. The first
message is what ``GET /api/studies/{name}/live`` returns (a ``snapshot`` of the study and a
``trial_started`` for each running trial); every later message is a batch of changes.
Authentication follows ``/ws/runs``: ``?token=`` or the ``bearer.<token>`` subprotocol.
"""

from __future__ import annotations

import asyncio
import contextlib

from fastapi import APIRouter, WebSocket, WebSocketDisconnect
from fastapi.concurrency import run_in_threadpool

from neuralscope.search.catalog import StudyCatalog, TrialState
from neuralscope.search.study import StudyNotFound
from neuralscope.server.schemas_search import StudyEvent, StudyEvents
from neuralscope.server.search_service import NO_STUDY, SearchDep, call, open_search

POLL_S = 0.5
_FINISHED = {"complete", "pruned", "fail"}
router = APIRouter(tags=["search"])


class StudyWatcher:
    """Remembers what a viewer was sent and turns the next poll into the events it missed."""

    def __init__(self, catalog: StudyCatalog, name: str) -> None:
        self.catalog = catalog
        self.name = name
        self.states: dict[int, TrialState] = {}
        self.curve_lengths: dict[int, int] = {}
        self.best: int | None = None

    def first(self) -> list[StudyEvent]:
        summary = self.catalog.summary(self.name)
        self.best = summary.best_trial
        self.states = self.catalog.trial_states(self.name)
        running = [n for n, s in self.states.items() if s == "running"]
        events = [StudyEvent(type="snapshot", study=summary)]
        for card in self.catalog.cards(self.name, running):
            self.curve_lengths[card.number] = len(card.curve)
            events.append(StudyEvent(type="trial_started", trial=card))
        return events

    def poll(self) -> list[StudyEvent]:
        states = self.catalog.trial_states(self.name)
        changed = sorted(n for n, s in states.items() if self.states.get(n) != s)
        still = [n for n, s in states.items() if s == "running" and n not in changed]
        self.states = states
        events: list[StudyEvent] = []
        for card in self.catalog.cards(self.name, changed) if changed else []:
            if card.state == "running":
                self.curve_lengths[card.number] = len(card.curve)
                events.append(StudyEvent(type="trial_started", trial=card))
            elif card.state in _FINISHED:
                self.curve_lengths.pop(card.number, None)
                events.append(StudyEvent(type="trial_finished", trial=card))
        for number, points in (self.catalog.curves(self.name, still) if still else {}).items():
            seen = self.curve_lengths.get(number, 0)
            if len(points) > seen:
                self.curve_lengths[number] = len(points)
                events.append(StudyEvent(type="curve", number=number, points=points[seen:]))
        if changed:
            summary = self.catalog.summary(self.name)
            events.insert(0, StudyEvent(type="snapshot", study=summary))
            if summary.best_trial is not None and summary.best_trial != self.best:
                self.best = summary.best_trial
                [best] = self.catalog.cards(self.name, [summary.best_trial])
                events.append(StudyEvent(type="new_best", trial=best))
        return events


@router.get(
    "/api/studies/{name}/live",
    response_model=StudyEvents,
    operation_id="get_study_live",
    responses=NO_STUDY,
)
async def get_study_live(name: str, search: SearchDep) -> StudyEvents:
    """The study now: what ``/ws/studies/{name}`` sends first."""
    events = await run_in_threadpool(call, StudyWatcher(search.catalog, name).first)
    return StudyEvents(events=events)


async def _wait_for_disconnect(websocket: WebSocket) -> None:
    with contextlib.suppress(WebSocketDisconnect):
        while True:
            message = await websocket.receive()
            if message["type"] == "websocket.disconnect":
                return


@router.websocket("/ws/studies/{name}")
async def stream_study(websocket: WebSocket, name: str) -> None:
    offered = [p for p in websocket.scope.get("subprotocols", []) if p.startswith("bearer.")]
    search = await run_in_threadpool(open_search, websocket.app)
    watcher = StudyWatcher(search.catalog, name)
    try:
        first = await run_in_threadpool(watcher.first)
    except StudyNotFound as exc:
        await websocket.close(code=4404, reason=str(exc.args[0]))
        return
    await websocket.accept(subprotocol=offered[0] if offered else None)
    disconnected = asyncio.create_task(_wait_for_disconnect(websocket))
    try:
        await websocket.send_text(StudyEvents(events=first).model_dump_json())
        while not disconnected.done():
            await asyncio.wait({disconnected}, timeout=POLL_S)
            if disconnected.done():
                break
            events = await run_in_threadpool(watcher.poll)
            if events:
                await websocket.send_text(StudyEvents(events=events).model_dump_json())
    except StudyNotFound:
        await websocket.close(code=4404, reason=f"study {name!r} was deleted")
    except (WebSocketDisconnect, RuntimeError):
        pass  # the viewer went away mid-send
    finally:
        disconnected.cancel()
