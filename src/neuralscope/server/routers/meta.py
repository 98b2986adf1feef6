"""Health and the catalogue of datasets."""

from __future__ import annotations

from fastapi import APIRouter
from sqlalchemy.engine import make_url

from neuralscope import __version__
from neuralscope.server.deps import ServicesDep
from neuralscope.server.schemas import DatasetInfo, HealthOut

router = APIRouter(prefix="/api", tags=["meta"])

DATASETS = [
    DatasetInfo(
        name="spirals", title="Spirals", description="Two interleaved spirals: needs depth"
    ),
    DatasetInfo(name="circle", title="Circle", description="A disc inside a ring"),
    DatasetInfo(name="xor", title="Exclusive or", description="Opposite quadrants share a class"),
    DatasetInfo(
        name="gauss", title="Gaussians", description="Two blobs: nearly linearly separable"
    ),
]


@router.get("/health", response_model=HealthOut, operation_id="get_health")
async def get_health(services: ServicesDep) -> HealthOut:
    backend = make_url(services.settings.db_url).get_backend_name()
    live = services.runs.live_count()
    return HealthOut(status="ok", version=__version__, database=backend, live_runs=live)


@router.get("/datasets", response_model=list[DatasetInfo], operation_id="list_datasets")
async def list_datasets() -> list[DatasetInfo]:
    return DATASETS
