"""``/api/models``: upload saved models and read their analytics (issue #4), section by section.

An upload is streamed to a temporary file in chunks (the body-limit middleware enforces the
server's ``max_upload_bytes``), loaded with the safe loader (``nets.io.load_model``: pickles that
need code are refused, never executed) and only then stored as a content-addressed artifact,
so nothing is kept when validation fails. Every section route is a slice of one cached
``ModelReport`` per model (``model_reports.py``), computed in a worker thread on first use.
"""

from __future__ import annotations

import copy
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.types import DecoratedCallable
from starlette.requests import ClientDisconnect

from neuralscope.analysis import Comparison, ModelReport, compare
from neuralscope.analysis.architecture import ArchitectureReport
from neuralscope.analysis.optimize import OptimizationReport
from neuralscope.events import Event
from neuralscope.final_model import NoFinalModel, final_model
from neuralscope.report.analytics import render_model_report
from neuralscope.server import model_runs
from neuralscope.server import model_uploads as up
from neuralscope.server import schemas_models as sm
from neuralscope.server.deps import MAX_INDEX, Services, ServicesDep
from neuralscope.server.errors import ApiError
from neuralscope.server.model_reports import AnalysisFailed, ReportCache
from neuralscope.server.schemas import ErrorResponse
from neuralscope.store import ArtifactNotFound
from neuralscope.training import IllegalTransition, Session, SessionConfig, SessionProbes
from neuralscope.training.export import export_spec

router = APIRouter(prefix="/api/models", tags=["models"], responses={422: {"model": ErrorResponse}})
_NOT_FOUND: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorResponse, "description": "No model with this id"}
}
_UPLOAD: dict[int | str, dict[str, Any]] = {
    413: {"model": ErrorResponse, "description": "The file is larger than max_upload_bytes"},
    422: {"model": ErrorResponse, "description": "Not a model neuralscope can load safely"},
}


def _cache(request: Request) -> ReportCache:
    cache: ReportCache | None = getattr(request.app.state, "model_reports", None)
    if cache is None:
        cache = request.app.state.model_reports = ReportCache()
    return cache


@router.post(
    "",
    status_code=201,
    response_model=sm.ModelOut,
    operation_id="upload_model",
    responses=_UPLOAD,
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "application/octet-stream": {"schema": {"type": "string", "format": "binary"}}
            },
        }
    },
)
async def upload_model(
    request: Request,
    services: ServicesDep,
    filename: Annotated[str, Query(min_length=1, max_length=255)],
    input_shape: Annotated[
        str | None,
        Query(
            pattern=r"^[0-9]{1,7}(,[0-9]{1,7}){0,7}$",
            description="Example input shape, e.g. 1,3,32,32 (enables FLOPs, latency and "
            "readiness for executable models)",
        ),
    ] = None,
) -> sm.ModelOut:
    """Upload a model file as the raw request body; it is validated before it is stored.

    Uploading the same content again returns the model stored first (same id, name and shape).
    """
    name = up.safe_name(filename)
    shape = up.input_shape_of(input_shape)
    limit = services.settings.max_upload_bytes
    with tempfile.TemporaryDirectory(prefix="neuralscope-upload-") as tmp:
        temp = Path(tmp) / f"upload{Path(name).suffix.lower()}"
        received = 0
        with temp.open("wb") as out:
            try:
                async for chunk in request.stream():
                    received += len(chunk)
                    if received > limit:
                        raise ApiError(413, "too_large", f"the model is larger than {limit} bytes")
                    await run_in_threadpool(out.write, chunk)
            except ClientDisconnect:
                raise ApiError(413, "too_large", "the upload was cut short") from None
        return await run_in_threadpool(up.validate_and_store, services.store, temp, name, shape)


@router.get("", response_model=sm.ModelPage, operation_id="list_models")
async def list_models(
    services: ServicesDep,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0, le=MAX_INDEX)] = 0,
) -> sm.ModelPage:
    """Uploaded models, newest first."""
    page = await run_in_threadpool(services.store.models.list, limit=limit, offset=offset)
    return sm.ModelPage(
        items=[up.model_out(r) for r in page.items], total=page.total, limit=limit, offset=offset
    )


async def _report(
    request: Request, services: Services, model_id: str
) -> tuple[sm.ModelOut, ModelReport]:
    model = await run_in_threadpool(up.get_model_out, services.store, model_id)
    try:
        path = await run_in_threadpool(services.store.artifacts.path, model.id)
    except ArtifactNotFound:
        raise ApiError(404, "not_found", f"the file of model {model_id} is missing") from None
    cache = _cache(request)
    try:
        report = await run_in_threadpool(
            cache.get,
            model.id,
            lambda: model_runs.analyze_stored(path, model.name, model.input_shape),
        )
    except AnalysisFailed as exc:
        raise ApiError(422, "analysis_failed", str(exc)) from None
    return model, report


@router.post(
    "/compare", response_model=Comparison, operation_id="compare_models", responses=_NOT_FOUND
)
async def compare_models(
    body: sm.CompareRequest, request: Request, services: ServicesDep
) -> Comparison:
    """Compare 2 to 8 uploaded models side by side and recommend one."""
    if len(set(body.ids)) != len(body.ids):
        raise ApiError(422, "invalid", "ids must be distinct")
    pairs = [await _report(request, services, i) for i in body.ids]
    names = [f"{m.name} ({m.id[:8]})" for m, _ in pairs]
    return await run_in_threadpool(lambda: compare([r for _, r in pairs], names=names))


@router.post(
    "/from-run/{run_id}",
    status_code=201,
    response_model=sm.ModelOut,
    operation_id="model_from_run",
    responses={
        404: {"model": ErrorResponse, "description": "No run with this id"},
        409: {
            "model": ErrorResponse,
            "description": "The run keeps no model: a watched run, or a Playground run that "
            "ended without a stored model (its process was killed)",
        },
    },
)
async def model_from_run(run_id: str, services: ServicesDep) -> sm.ModelOut:
    """Register a Playground run's model for analysis and return its entry: a live run's
    current model, or the final model an ended run stored.

    The weights (copied between two steps when live) are stored with the run's spec, so the
    analysis rebuilds the real network (FLOPs, latency, graph) rather than reading weights
    alone. The same weights give the same entry.
    """
    copies: list[tuple[Any, int]] = []

    def task(session: Session, probes: SessionProbes) -> list[Event]:
        copies.append((copy.deepcopy(session.model).cpu(), session.global_step))
        return []

    record = await run_in_threadpool(services.store.runs.get, run_id)  # RunNotFound: 404
    if record.kind == "watch":
        raise ApiError(
            409,
            "no_model",
            f"run {run_id} is a watched run: neuralscope records its statistics, not its "
            "weights. Save the model in your script and upload the file instead.",
        )
    try:
        record = await run_in_threadpool(services.runs.call, run_id, task)
    except IllegalTransition:  # no longer live: the model stored when it ended
        return await run_in_threadpool(_ended_run_model, services, run_id)
    config = SessionConfig.model_validate(record.config)
    model, step = copies[0]
    spec = export_spec(config.spec, config.data)
    return await run_in_threadpool(
        model_runs.store_run_model, services.store, model, spec, record.name, step
    )


def _ended_run_model(services: Services, run_id: str) -> sm.ModelOut:
    record = services.store.runs.get(run_id)
    try:
        stored = final_model(services.store, record)
        model = stored.model()
    except NoFinalModel as exc:
        raise ApiError(409, "no_model", str(exc)) from None
    return model_runs.store_run_model(
        services.store, model, stored.spec, record.name, record.last_step
    )


@router.get(
    "/{model_id}", response_model=sm.ModelOut, operation_id="get_model", responses=_NOT_FOUND
)
async def get_model(model_id: str, services: ServicesDep) -> sm.ModelOut:
    """One uploaded model."""
    return await run_in_threadpool(up.get_model_out, services.store, model_id)


def _section(
    path: str, model: type[Any], operation_id: str
) -> Callable[[DecoratedCallable], DecoratedCallable]:
    return router.get(
        f"/{{model_id}}/{path}",
        response_model=model,
        operation_id=operation_id,
        responses=_NOT_FOUND,
    )


@_section("report", ModelReport, "get_model_report")
async def get_model_report(model_id: str, request: Request, services: ServicesDep) -> ModelReport:
    """The whole analysis report."""
    return (await _report(request, services, model_id))[1]


@router.get(
    "/{model_id}/report.html",
    operation_id="get_model_report_html",
    response_class=Response,
    responses={
        **_NOT_FOUND,
        200: {"content": {"text/html": {}}, "description": "One self-contained HTML file"},
    },
)
async def get_model_report_html(model_id: str, request: Request, services: ServicesDep) -> Response:
    """The report as one standalone HTML file (inline CSS and SVG, no external request)."""
    model, report = await _report(request, services, model_id)
    page = await run_in_threadpool(render_model_report, report, model.name)
    stem = Path(model.name).stem or "model"
    disposition = f'attachment; filename="{up.safe_name(stem)}.report.html"'
    return Response(
        page, media_type="text/html; charset=utf-8", headers={"Content-Disposition": disposition}
    )


@_section("summary", sm.ModelSummary, "get_model_summary")
async def get_model_summary(
    model_id: str, request: Request, services: ServicesDep
) -> sm.ModelSummary:
    """Headline numbers: architecture, health score, findings by severity, size and cost."""
    model, report = await _report(request, services, model_id)
    return sm.summary_of(model, report)


@_section("health", sm.ModelHealth, "get_model_health")
async def get_model_health(
    model_id: str, request: Request, services: ServicesDep
) -> sm.ModelHealth:
    """Health score 0-100 with the Finding behind every point lost."""
    report = (await _report(request, services, model_id))[1]
    return sm.ModelHealth(health=report.health, findings=report.findings)


@_section("layers", sm.ModelLayers, "get_model_layers")
async def get_model_layers(
    model_id: str, request: Request, services: ServicesDep
) -> sm.ModelLayers:
    """Per-layer roles, shapes, cost and spectral hints."""
    report = (await _report(request, services, model_id))[1]
    return sm.ModelLayers(layers=report.layers, costs=report.cost.layers, spectral=report.spectral)


@_section("readiness", sm.ModelReadiness, "get_model_readiness")
async def get_model_readiness(
    model_id: str, request: Request, services: ServicesDep
) -> sm.ModelReadiness:
    """Training readiness: initialization, signal propagation and gradient flow."""
    report = (await _report(request, services, model_id))[1]
    return sm.ModelReadiness(init=report.init, readiness=report.readiness)


@_section("architecture", ArchitectureReport, "get_model_architecture")
async def get_model_architecture(
    model_id: str, request: Request, services: ServicesDep
) -> ArchitectureReport:
    """Architecture type, patterns and the connectivity graph."""
    return (await _report(request, services, model_id))[1].architecture


@_section("weights", sm.ModelWeights, "get_model_weights")
async def get_model_weights(
    model_id: str, request: Request, services: ServicesDep
) -> sm.ModelWeights:
    """Per-tensor distribution statistics, histograms, sparsity and anomalies."""
    return sm.ModelWeights(weights=(await _report(request, services, model_id))[1].weights)


@_section("efficiency", sm.ModelEfficiency, "get_model_efficiency")
async def get_model_efficiency(
    model_id: str, request: Request, services: ServicesDep
) -> sm.ModelEfficiency:
    """Parameters, FLOPs/MACs, memory and per-layer FLOPs per parameter."""
    return sm.efficiency_of((await _report(request, services, model_id))[1])


@_section("performance", sm.ModelPerformance, "get_model_performance")
async def get_model_performance(
    model_id: str, request: Request, services: ServicesDep
) -> sm.ModelPerformance:
    """Measured latency (p50/p95 by batch size) and time per layer."""
    return sm.performance_of((await _report(request, services, model_id))[1])


@_section("optimization", OptimizationReport, "get_model_optimization")
async def get_model_optimization(
    model_id: str, request: Request, services: ServicesDep
) -> OptimizationReport:
    """Pruning, quantization and low-rank opportunities with estimated benefit and priority."""
    return (await _report(request, services, model_id))[1].optimization
