"""Share links: ``POST /api/runs/{id}/share``, ``GET /api/shared/{token}`` (a read-only
replay) and ``POST /api/shared/{token}/fork`` (issue #3); ``GET /api/runs/{id}/shares`` and
``DELETE /api/runs/{id}/shares/{share_id}`` list and revoke a run's links (issue #8).

Read-only by construction: the replay carries no run id (events in it read ``run_id:
"shared"``), and the only write behind a token is a fork, a new run of the same config that
its creator then owns. A token is found by a database lookup on its SHA-256 (see
:mod:`neuralscope.store.shares`); an unknown or revoked token is 404 and says nothing more.
Every request resolves the token afresh and the replay is one response (there is no shared
stream to keep open), so a revoked link is dead from the very next request. The token is
returned once, by the ``POST`` that creates it; listings carry only the link's id.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.concurrency import run_in_threadpool

from neuralscope.data import TableError
from neuralscope.events import Event, EventKind
from neuralscope.server.deps import Services, ServicesDep
from neuralscope.server.errors import ApiError
from neuralscope.server.schemas import DatasetPoints, ErrorResponse, RunOut
from neuralscope.server.schemas_playground import (
    SharedRunOut,
    ShareLinkOut,
    ShareLinksOut,
    ShareOut,
)
from neuralscope.server.views import (
    CURVE_PREFIXES,
    FLUSH_TIMEOUT_S,
    MARKER_KINDS,
    dataset_points,
    run_out,
    series_out,
)
from neuralscope.store.shares import ShareNotFound
from neuralscope.training import SessionConfig

SHARED_RUN_ID = "shared"
NO_SHARE: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorResponse, "description": "No shared run at this link"}
}
router = APIRouter(tags=["share"], responses={422: {"model": ErrorResponse}})


def _config(services: Services, token: str) -> tuple[str, SessionConfig]:
    try:
        link = services.store.shares.resolve(token)
    except ShareNotFound as exc:
        raise ApiError(404, "not_found", str(exc)) from exc
    record = services.store.runs.get(link.run_id)
    return link.run_id, SessionConfig.model_validate(record.config)


@router.post(
    "/api/runs/{run_id}/share",
    status_code=201,
    response_model=ShareOut,
    operation_id="share_run",
    responses={
        404: {"model": ErrorResponse, "description": "No run with this id"},
        409: {"model": ErrorResponse, "description": "Not a Playground run"},
    },
)
async def share_run(run_id: str, services: ServicesDep) -> ShareOut:
    """A new unguessable link that opens this run read-only for anyone who has it."""
    record = await run_in_threadpool(services.store.runs.get, run_id)
    if record.kind != "playground":
        raise ApiError(409, "conflict", f"only Playground runs can be shared, not {record.kind!r}")
    link = await run_in_threadpool(services.store.shares.create, run_id)
    return ShareOut(
        id=link.id, created_at=link.created_at, token=link.token, url=f"/#/shared/{link.token}"
    )


@router.get(
    "/api/runs/{run_id}/shares",
    response_model=ShareLinksOut,
    operation_id="list_run_shares",
    responses={404: {"model": ErrorResponse, "description": "No run with this id"}},
)
async def list_run_shares(run_id: str, services: ServicesDep) -> ShareLinksOut:
    """The run's live share links, oldest first: ids and dates, never their tokens."""
    links = await run_in_threadpool(services.store.shares.for_run, run_id)
    return ShareLinksOut(
        run_id=run_id, links=[ShareLinkOut(id=li.id, created_at=li.created_at) for li in links]
    )


@router.delete(
    "/api/runs/{run_id}/shares/{share_id}",
    response_model=ShareLinksOut,
    operation_id="revoke_run_share",
    responses={404: {"model": ErrorResponse, "description": "This run has no such link"}},
)
async def revoke_run_share(run_id: str, share_id: str, services: ServicesDep) -> ShareLinksOut:
    """Revoke a link: from now on its token opens nothing (404), as if it never existed.
    Answers the run's links that are left."""
    try:
        await run_in_threadpool(services.store.shares.revoke, run_id, share_id)
    except ShareNotFound as exc:
        raise ApiError(404, "not_found", f"run {run_id!r} has no share link {share_id!r}") from exc
    return await list_run_shares(run_id, services)


def _anonymous(events: list[Event]) -> list[Event]:
    return [e.model_copy(update={"run_id": SHARED_RUN_ID}) for e in events]


def _replay(services: Services, token: str, max_points: int, max_frames: int) -> SharedRunOut:
    run_id, config = _config(services, token)
    services.recorder.flush(timeout=FLUSH_TIMEOUT_S)
    record = services.store.runs.get(run_id)
    names = [n for n in services.store.metrics.names(run_id) if n.startswith(CURVE_PREFIXES)]
    return SharedRunOut(
        name=record.name,
        status=record.status,
        config=config,
        created_at=record.created_at,
        last_step=record.last_step,
        summary=record.summary,
        series=series_out(services, run_id, names, max_points),
        markers=_anonymous(services.store.events.list(run_id, kinds=MARKER_KINDS)),
        frames=_anonymous(services.store.shares.frames(run_id, EventKind.BOUNDARY, max_frames)),
        points=_anonymous_points(dataset_points(services, run_id, config)),
    )


def _anonymous_points(points: DatasetPoints | None) -> DatasetPoints | None:
    return None if points is None else points.model_copy(update={"run_id": SHARED_RUN_ID})


@router.get(
    "/api/shared/{token}",
    response_model=SharedRunOut,
    operation_id="get_shared_run",
    responses=NO_SHARE,
)
async def get_shared_run(
    token: str,
    services: ServicesDep,
    max_points: Annotated[int, Query(ge=2, le=100_000)] = 2000,
    max_frames: Annotated[int, Query(ge=1, le=500)] = 60,
) -> SharedRunOut:
    """The shared run as a replay: config, curves, markers and boundary frames over time."""
    return await run_in_threadpool(_replay, services, token, max_points, max_frames)


@router.post(
    "/api/shared/{token}/fork",
    status_code=201,
    response_model=RunOut,
    operation_id="fork_shared_run",
    responses={**NO_SHARE, 429: {"model": ErrorResponse, "description": "Too many live runs"}},
)
async def fork_shared_run(token: str, services: ServicesDep) -> RunOut:
    """A new run with the shared run's config, created but not started: it is the caller's."""
    _, config = await run_in_threadpool(_config, services, token)
    try:
        record = await run_in_threadpool(services.runs.create, config, start=False)
    except TableError as exc:
        raise ApiError(422, "invalid", f"the shared run's table: {exc}") from exc
    return await run_in_threadpool(run_out, record, services)  # reads artifact names
