"""Health, the catalogue of datasets, and shape inference for the architecture builder."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request
from sqlalchemy.engine import make_url

from neuralscope import __version__
from neuralscope.data import REGISTRY, CsvError, CsvOptions, MnistCache, dataset_info, parse_csv
from neuralscope.nets import shape_report
from neuralscope.server.deps import ServicesDep
from neuralscope.server.errors import ApiError
from neuralscope.server.schemas import (
    CsvCheckOut,
    DatasetInfo,
    ErrorResponse,
    HealthOut,
    LayerShapeOut,
    ShapesOut,
    ShapesRequest,
    SpecProblem,
)

router = APIRouter(prefix="/api", tags=["meta"])


@router.get("/health", response_model=HealthOut, operation_id="get_health")
async def get_health(services: ServicesDep) -> HealthOut:
    backend = make_url(services.settings.db_url).get_backend_name()
    live = services.runs.live_count()
    return HealthOut(status="ok", version=__version__, database=backend, live_runs=live)


@router.get("/datasets", response_model=list[DatasetInfo], operation_id="list_datasets")
async def list_datasets(services: ServicesDep) -> list[DatasetInfo]:
    """Every registered dataset, in the order the page lists them."""
    mnist_ready = MnistCache(services.settings.home / "datasets" / "mnist").complete
    return [
        DatasetInfo(
            name=spec.info.name,
            title=spec.info.title,
            description=spec.info.description,
            task=spec.info.task,
            kind=spec.info.kind,
            input_shape=list(spec.info.input_shape),
            n_classes=spec.info.n_classes,
            available=mnist_ready if name == "mnist" else True,
        )
        for name, spec in REGISTRY.items()
    ]


@router.post("/nets/shapes", response_model=ShapesOut, operation_id="infer_net_shapes")
async def infer_net_shapes(body: ShapesRequest) -> ShapesOut:
    """Output shape and parameters of every layer for ``data``'s inputs, up to the first
    problem; ``error`` names the offending field (``layers.N.field``) and says why."""
    info = dataset_info(body.data)
    shape = list(info.input_shape)
    if body.data.features:
        shape = [shape[0] + len(body.data.features)]
    width = info.n_classes if info.task == "multiclass" else 1
    layers, error = shape_report(body.spec, shape, width)
    return ShapesOut(
        input_shape=shape,
        layers=[
            LayerShapeOut(
                name=s.name, type=s.type, output_shape=list(s.output_shape), parameters=s.parameters
            )
            for s in layers
        ],
        total_parameters=sum(s.parameters for s in layers),
        error=None if error is None else SpecProblem(field=error.field, message=error.message),
    )


@router.post(
    "/datasets/csv/check",
    response_model=CsvCheckOut,
    operation_id="check_csv_dataset",
    responses={422: {"model": ErrorResponse, "description": "Malformed, with row and column"}},
    openapi_extra={
        "requestBody": {"required": True, "content": {"text/csv": {"schema": {"type": "string"}}}}
    },
)
async def check_csv_dataset(
    request: Request,
    label_column: Annotated[str | None, Query(description="Default: the last column")] = None,
    task: Annotated[Literal["auto", "classification", "regression"], Query()] = "auto",
) -> CsvCheckOut:
    """Parse a CSV upload (the raw bytes as the body) and say what it would become, or why
    not: the error message names the row (1-based, header = 1) and the column."""
    raw = await request.body()
    try:
        table = parse_csv(raw, CsvOptions(label_column=label_column, task=task))
    except CsvError as exc:
        raise ApiError(422, "invalid_csv", str(exc)) from exc
    return CsvCheckOut(
        feature_names=list(table.feature_names),
        label_name=table.label_name,
        task=table.task,
        n_rows=int(table.x.shape[0]),
        class_names=list(table.class_names),
    )
