"""``/api/runs``: create, list, inspect and steer training runs (the run's model, for
evaluation and export, in :mod:`.run_models`, included here)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Annotated, Any

import torch
from fastapi import APIRouter, Query
from fastapi.concurrency import run_in_threadpool

from neuralscope.data import (
    TableError,
    dataset_info,
    make_dataset,
)
from neuralscope.events import CompactArray, Event, EventKind
from neuralscope.server.deps import MAX_INDEX, Services, ServicesDep
from neuralscope.server.errors import ApiError
from neuralscope.server.routers import run_models
from neuralscope.server.schemas import (
    CompareCreate,
    CompareOut,
    ControlRequest,
    DatasetPoints,
    ErrorResponse,
    EventsOut,
    ImageSamples,
    LiveSnapshot,
    MetricsOut,
    RunCreate,
    RunOut,
    RunPage,
)
from neuralscope.server.table_points import table_points
from neuralscope.server.views import (
    FLUSH_TIMEOUT_S,
    EventQuery,
    dataset_points,
    live_snapshot,
    recorded_events,
    run_out,
    series_out,
)
from neuralscope.store import RunRecord
from neuralscope.training import Session, SessionConfig, SessionProbes
from neuralscope.training.backprop import BackpropTrace, TraceUnsupported

NOT_FOUND: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorResponse, "description": "No run with this id"}
}
router = APIRouter(prefix="/api/runs", tags=["runs"], responses={422: {"model": ErrorResponse}})


async def _run_out(record: RunRecord, services: Services) -> RunOut:
    return await run_in_threadpool(run_out, record, services)


async def _runs_out(records: Sequence[RunRecord], services: Services) -> list[RunOut]:
    return await run_in_threadpool(lambda: [run_out(r, services) for r in records])


@router.post(
    "",
    status_code=201,
    response_model=RunOut,
    operation_id="create_run",
    responses={429: {"model": ErrorResponse, "description": "Too many live runs"}},
)
async def create_run(body: RunCreate, services: ServicesDep) -> RunOut:
    """Create a Playground run from a spec; with ``start`` it begins training at once."""
    try:
        record = await run_in_threadpool(
            services.runs.create, body.config, name=body.name, start=body.start
        )
    except TableError as exc:  # an uploaded table that is gone or not the one referred to
        raise ApiError(422, "invalid", f"config.data.table: {exc}") from exc
    return await _run_out(record, services)


@router.post(
    "/compare",
    status_code=201,
    response_model=CompareOut,
    operation_id="create_comparison",
    responses={429: {"model": ErrorResponse, "description": "Too many live runs"}},
)
async def create_comparison(body: CompareCreate, services: ServicesDep) -> CompareOut:
    """Create 2-4 runs that differ only in net and hyperparameters: the same data config and
    seed are required (so curves overlay and boundaries sit on the same points)."""
    first = body.configs[0]
    for i, config in enumerate(body.configs[1:], start=1):
        if config.data != first.data or config.seed != first.seed:
            raise ApiError(422, "invalid", f"configs.{i}: data and seed must equal configs.0's")
    records = []
    for config in body.configs:
        try:
            record = await run_in_threadpool(services.runs.create, config, start=body.start)
        except TableError as exc:
            raise ApiError(422, "invalid", f"configs.data.table: {exc}") from exc
        records.append(record)
    return CompareOut(runs=await _runs_out(records, services))


@router.get("", response_model=RunPage, operation_id="list_runs")
async def list_runs(
    services: ServicesDep,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0, le=MAX_INDEX)] = 0,
) -> RunPage:
    """Runs, newest first."""
    page = await run_in_threadpool(services.store.runs.list, limit=limit, offset=offset)
    return RunPage(
        items=await _runs_out(page.items, services),
        total=page.total,
        limit=limit,
        offset=offset,
    )


@router.get("/{run_id}", response_model=RunOut, operation_id="get_run", responses=NOT_FOUND)
async def get_run(run_id: str, services: ServicesDep) -> RunOut:
    return await _run_out(await run_in_threadpool(services.store.runs.get, run_id), services)


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
    return await _run_out(record, services)


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
    after_step: Annotated[int | None, Query(ge=0, le=MAX_INDEX)] = None,
    limit: Annotated[int, Query(ge=1, le=10_000)] = 1000,
) -> EventsOut:
    """Discrete events: status changes, hyperparameter changes and findings."""
    query = EventQuery(kinds=kinds, after_step=after_step, limit=limit)
    events = await run_in_threadpool(recorded_events, services, run_id, query)
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


def _session_config(record: RunRecord) -> SessionConfig:
    """A Playground run's config; a watched run trained elsewhere, on data this server lacks."""
    if record.kind == "watch":
        raise ApiError(409, "conflict", "a watched run's data stays with the process it ran in")
    return SessionConfig.model_validate(record.config)


@router.get(
    "/{run_id}/data",
    response_model=DatasetPoints,
    operation_id="get_run_data",
    responses={
        **NOT_FOUND,
        409: {
            "model": ErrorResponse,
            "description": "An image set, a watched run, or a run whose uploaded table is gone",
        },
    },
)
async def get_run_data(run_id: str, services: ServicesDep) -> DatasetPoints:
    """The run's training and validation points (re-drawn from its seed): 2-D and 1-D sets
    whole; a table of three features as 3-D points, a wider one as its first two principal
    components (``projection: "pca"``); tables return at most 2,000 points, an evenly
    strided subset (``n_shown`` of ``n_total``)."""
    record = await run_in_threadpool(services.store.runs.get, run_id)
    config = _session_config(record)
    kind = dataset_info(config.data).kind
    if kind == "image":
        raise ApiError(409, "conflict", "an image dataset has no points: use /samples")
    if kind == "table":
        try:
            return await run_in_threadpool(table_points, services, run_id, config)
        except TableError as exc:
            raise ApiError(409, "conflict", f"the run's table cannot be read: {exc}") from exc
    points = await run_in_threadpool(dataset_points, services, run_id, config)
    assert points is not None
    return points


@router.get(
    "/{run_id}/samples",
    response_model=ImageSamples,
    operation_id="get_run_samples",
    responses={
        **NOT_FOUND,
        409: {"model": ErrorResponse, "description": "Not an image set, or a watched run"},
    },
)
async def get_run_samples(
    run_id: str, services: ServicesDep, limit: Annotated[int, Query(ge=1, le=1000)] = 64
) -> ImageSamples:
    """The first ``limit`` validation images of an image dataset, as uint8 pixels."""
    record = await run_in_threadpool(services.store.runs.get, run_id)
    config = _session_config(record)
    if dataset_info(config.data).kind != "image":
        raise ApiError(409, "conflict", "only image datasets have samples: use /data")
    data = await run_in_threadpool(
        make_dataset, config.data, config.seed, home=_data_home(services)
    )
    x, y = data.x_val[:limit, 0], data.y_val[:limit]
    pixels = (x.clamp(0, 1) * 255).round().to(torch.uint8).numpy()
    return ImageSamples(
        run_id=run_id,
        dataset=config.data.dataset,
        images=CompactArray.from_numpy(pixels, "uint8"),
        labels=[int(v) for v in y.tolist()],
    )


@router.post(
    "/{run_id}/backprop",
    response_model=BackpropTrace,
    operation_id="step_run_backprop",
    responses={
        **NOT_FOUND,
        409: {"model": ErrorResponse, "description": "Running, ended, or not a small dense net"},
    },
)
async def step_run_backprop(run_id: str, services: ServicesDep) -> BackpropTrace:
    """Take exactly one training step on a created or paused run and return it written out:
    forward values, loss, dL/da, dL/dW, updates. The step is recorded like any other."""
    traces: list[BackpropTrace] = []

    def task(session: Session, probes: SessionProbes) -> list[Event]:
        result, trace = session.trace_step()
        traces.append(trace)
        events = probes.after_step(result)
        if not any(e.kind is EventKind.METRICS for e in events):
            events += [e for e in probes.snapshot() if e.kind is not EventKind.METRICS]
        return events

    try:
        await run_in_threadpool(services.runs.call, run_id, task)
    except TraceUnsupported as exc:
        raise ApiError(409, "unsupported", str(exc)) from exc
    return traces[0]


def _data_home(services: Services) -> Path:
    return services.settings.home / "datasets"


router.include_router(run_models.router)
