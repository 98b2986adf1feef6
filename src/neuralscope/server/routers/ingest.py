"""``/api/watch``: runs watched in the user's own training loop, sent by ``watch(server=...)``.

Like every ``/api`` route these need the server's token when one is configured. Events are
validated against the typed event union, recorded by the server's recorder (the same tables as
every run) and published on the bus, so the web app shows them live.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Response
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, ConfigDict, Field

from neuralscope.events import Event, EventKind, HistogramsEvent
from neuralscope.server.deps import MAX_INDEX, Services, ServicesDep
from neuralscope.server.errors import ApiError
from neuralscope.server.schemas import ErrorResponse, RunOut
from neuralscope.server.views import EventQuery, recorded_events, run_out
from neuralscope.store import RunNotFound
from neuralscope.store.owner import REMOTE
from neuralscope.watching.config import WatchRunConfig

RUN_KIND = "watch"
MAX_EVENTS = 5000

router = APIRouter(prefix="/api/watch", tags=["watch"], responses={422: {"model": ErrorResponse}})
_ERRORS: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorResponse, "description": "No run with this id"},
    409: {"model": ErrorResponse, "description": "The run is not a watched run"},
}


class WatchRunCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str | None = Field(
        default=None,
        pattern=r"^[0-9a-f]{32}$",
        description="Client-chosen run id (uuid4 hex); creating an existing watch run again "
        "returns it unchanged, so a client may retry",
    )
    name: str = Field(max_length=200)
    config: WatchRunConfig


class EventBatch(BaseModel):
    model_config = ConfigDict(extra="forbid")

    events: list[Event] = Field(max_length=MAX_EVENTS)


class IngestOut(BaseModel):
    accepted: int


class HistogramFrames(BaseModel):
    """A watched run's histogram snapshots in step order (for a step slider)."""

    run_id: str
    frames: list[HistogramsEvent]


def _create(services: Services, body: WatchRunCreate) -> RunOut:
    if body.id is not None:
        try:
            existing = services.store.runs.get(body.id)
        except RunNotFound:
            pass
        else:
            if existing.kind != RUN_KIND:
                raise ApiError(409, "conflict", f"run {body.id} exists and is not a watch run")
            return run_out(existing, services)
    record = services.store.runs.create(
        name=body.name,
        kind=RUN_KIND,
        config=body.config.model_dump(mode="json"),
        run_id=body.id,
        owner=REMOTE,  # the remote process ends it; a restart here must not fail it
    )
    return run_out(record, services)


@router.post(
    "/runs",
    status_code=201,
    response_model=RunOut,
    operation_id="create_watch_run",
    responses=_ERRORS,
)
async def create_watch_run(body: WatchRunCreate, services: ServicesDep) -> RunOut:
    """Create (or, with a known ``id``, return) a run of kind ``watch``."""
    return await run_in_threadpool(_create, services, body)


@router.post(
    "/runs/{run_id}/events",
    response_model=IngestOut,
    operation_id="ingest_watch_events",
    responses=_ERRORS,
)
async def ingest_watch_events(
    run_id: str, body: EventBatch, services: ServicesDep, response: Response
) -> IngestOut:
    """Record a batch of a watched run's events, in order, and publish them live."""
    record = await run_in_threadpool(services.store.runs.get, run_id)
    if record.kind != RUN_KIND:
        raise ApiError(409, "conflict", f"run {run_id} is not a watch run")
    if any(e.run_id != run_id for e in body.events):
        raise ApiError(422, "invalid", "every event's run_id must be the run in the path")
    services.recorder.record_many(body.events)
    for event in body.events:
        services.bus.publish(event)
    response.headers["Cache-Control"] = "no-store"
    return IngestOut(accepted=len(body.events))


@router.get(
    "/runs/{run_id}/histograms",
    response_model=HistogramFrames,
    operation_id="list_watch_histograms",
    responses=_ERRORS,
)
async def list_watch_histograms(
    run_id: str,
    services: ServicesDep,
    after_step: Annotated[int | None, Query(ge=0, le=MAX_INDEX)] = None,
    limit: Annotated[int, Query(ge=1, le=2000)] = 500,
) -> HistogramFrames:
    """Weight, bias, gradient and activation histograms recorded after ``after_step``."""
    query = EventQuery(snapshot=EventKind.HISTOGRAMS, after_step=after_step, limit=limit)
    events = await run_in_threadpool(recorded_events, services, run_id, query)
    return HistogramFrames(
        run_id=run_id, frames=[e for e in events if isinstance(e, HistogramsEvent)]
    )
