"""``/api/runs``: create, list, inspect and steer training runs."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.concurrency import run_in_threadpool

from neuralscope.data import make_dataset
from neuralscope.events import EventKind
from neuralscope.server.deps import ServicesDep
from neuralscope.server.errors import ApiError
from neuralscope.server.schemas import (
    ControlRequest,
    DatasetPoints,
    ErrorResponse,
    EventsOut,
    LiveSnapshot,
    MetricsOut,
    RunCreate,
    RunOut,
    RunPage,
)
from neuralscope.server.views import FLUSH_TIMEOUT_S, live_snapshot, run_out, series_out
from neuralscope.training import SessionConfig

NOT_FOUND: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorResponse, "description": "No run with this id"}
}
router = APIRouter(prefix="/api/runs", tags=["runs"], responses={422: {"model": ErrorResponse}})


@router.post(
    "",
    status_code=201,
    response_model=RunOut,
    operation_id="create_run",
    responses={429: {"model": ErrorResponse, "description": "Too many live runs"}},
)
async def create_run(body: RunCreate, services: ServicesDep) -> RunOut:
    """Create a Playground run from a spec; with ``start`` it begins training at once."""
    record = await run_in_threadpool(
        services.runs.create, body.config, name=body.name, start=body.start
    )
    return run_out(record, services)


@router.get("", response_model=RunPage, operation_id="list_runs")
async def list_runs(
    services: ServicesDep,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> RunPage:
    """Runs, newest first."""
    page = await run_in_threadpool(services.store.runs.list, limit=limit, offset=offset)
    return RunPage(
        items=[run_out(r, services) for r in page.items],
        total=page.total,
        limit=limit,
        offset=offset,
    )


@router.get("/{run_id}", response_model=RunOut, operation_id="get_run", responses=NOT_FOUND)
async def get_run(run_id: str, services: ServicesDep) -> RunOut:
    return run_out(await run_in_threadpool(services.store.runs.get, run_id), services)


@router.post(
    "/{run_id}/control",
    response_model=RunOut,
    operation_id="control_run",
    responses={
        **NOT_FOUND,
        409: {"model": ErrorResponse, "description": "Not allowed in this state"},
    },
)
async def control_run(run_id: str, body: ControlRequest, services: ServicesDep) -> RunOut:
    """Start, pause, resume or stop a run, or change its hyperparameters (``set``)."""
    if body.action == "set" and body.hyperparameters is None:
        raise ApiError(422, "invalid", "hyperparameters: required when action is 'set'")
    record = await run_in_threadpool(
        services.runs.control, run_id, body.action, body.hyperparameters
    )
    return run_out(record, services)


@router.get(
    "/{run_id}/metrics",
    response_model=MetricsOut,
    operation_id="get_run_metrics",
    responses=NOT_FOUND,
)
async def get_run_metrics(
    run_id: str,
    services: ServicesDep,
    names: Annotated[list[str] | None, Query(description="Metric names; all when omitted")] = None,
    max_points: Annotated[int | None, Query(ge=2, le=100_000)] = None,
) -> MetricsOut:
    """Scalar series (loss, accuracy, gradient norms, activation statistics) by name."""
    await run_in_threadpool(services.store.runs.get, run_id)
    await run_in_threadpool(services.recorder.flush, FLUSH_TIMEOUT_S)
    series = await run_in_threadpool(series_out, services, run_id, names, max_points)
    return MetricsOut(run_id=run_id, series=series)


@router.get(
    "/{run_id}/events",
    response_model=EventsOut,
    operation_id="list_run_events",
    responses=NOT_FOUND,
)
async def list_run_events(
    run_id: str,
    services: ServicesDep,
    kinds: Annotated[list[EventKind] | None, Query()] = None,
    after_step: Annotated[int | None, Query(ge=0)] = None,
    limit: Annotated[int, Query(ge=1, le=10_000)] = 1000,
) -> EventsOut:
    """Discrete events: status changes, hyperparameter changes and findings."""
    await run_in_threadpool(services.store.runs.get, run_id)
    await run_in_threadpool(services.recorder.flush, FLUSH_TIMEOUT_S)
    events = await run_in_threadpool(
        services.store.events.list, run_id, kinds=kinds, after_step=after_step, limit=limit
    )
    return EventsOut(run_id=run_id, events=events)


@router.get(
    "/{run_id}/snapshot",
    response_model=LiveSnapshot,
    operation_id="get_run_snapshot",
    responses=NOT_FOUND,
)
async def get_run_snapshot(run_id: str, services: ServicesDep) -> LiveSnapshot:
    """The same picture the WebSocket sends first: run, curves, markers, newest frames."""
    return await run_in_threadpool(live_snapshot, services, run_id)


@router.get(
    "/{run_id}/data", response_model=DatasetPoints, operation_id="get_run_data", responses=NOT_FOUND
)
async def get_run_data(run_id: str, services: ServicesDep) -> DatasetPoints:
    """The run's training and validation points (re-drawn from its seed)."""
    record = await run_in_threadpool(services.store.runs.get, run_id)
    config = SessionConfig.model_validate(record.config)
    data = make_dataset(config.data, seed=config.seed)

    def points(x: object) -> list[tuple[float, float]]:
        return [(round(a, 4), round(b, 4)) for a, b in x.tolist()]  # type: ignore[attr-defined]

    return DatasetPoints(
        run_id=run_id,
        dataset=config.data.dataset,
        bounds=data.bounds,
        train_x=points(data.x_train),
        train_y=[int(v) for v in data.y_train.flatten().tolist()],
        val_x=points(data.x_val),
        val_y=[int(v) for v in data.y_val.flatten().tolist()],
    )
