"""Response and request bodies of the model-analytics API (``routers/models.py``).

Each per-section resource is a typed slice of one :class:`~neuralscope.analysis.ModelReport`, so
the OpenAPI schema describes every field the web client reads.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from neuralscope.analysis.cost import LatencyStat, LayerCost
from neuralscope.analysis.efficiency import EfficiencyReport
from neuralscope.analysis.health import HealthReport
from neuralscope.analysis.readiness import InitCheck, ReadinessReport
from neuralscope.analysis.report import ModelReport
from neuralscope.analysis.spectral import SpectralStats
from neuralscope.analysis.weights import WeightStats
from neuralscope.findings import Finding, Severity
from neuralscope.nets.io import LayerInfo

MAX_COMPARE = 8


class ModelOut(BaseModel):
    """An uploaded model; ``id`` is the sha256 of its file."""

    id: str = Field(description="sha256 of the file's content")
    name: str = Field(description="The file name given at upload")
    format: str = Field(description="The format the loader recognised")
    size: int = Field(description="File size in bytes")
    input_shape: list[int] | None = Field(
        description="Example input shape the analysis runs the model on (FLOPs, latency, "
        "readiness); null: guessed from the first layer, or weights-only analysis"
    )
    created_at: datetime


class ModelPage(BaseModel):
    items: list[ModelOut]
    total: int
    limit: int
    offset: int


class ModelSummary(BaseModel):
    """The headline numbers of a model's report."""

    id: str
    name: str
    format: str
    architecture: str
    architecture_types: list[str]
    health_score: int
    findings_by_severity: dict[Severity, int]
    total_params: int
    trainable_params: int
    weight_bytes: int
    flops: int | None
    n_layers: int
    notes: list[str]
    input_description: str


class ModelHealth(BaseModel):
    """The health score, its breakdown, and the Findings the breakdown points into."""

    health: HealthReport
    findings: list[Finding]


class ModelLayers(BaseModel):
    """Per-layer insights: inferred layers, their cost, and spectral hints."""

    layers: list[LayerInfo]
    costs: list[LayerCost]
    spectral: list[SpectralStats]


class ModelReadiness(BaseModel):
    """Initialization checks, and signal/gradient flow when the model could be run."""

    init: list[InitCheck]
    readiness: ReadinessReport | None


class ModelWeights(BaseModel):
    weights: list[WeightStats]


class ModelEfficiency(BaseModel):
    """Parameters (tied weights once), FLOPs/MACs, memory, and per-layer FLOPs per parameter."""

    total_params: int
    trainable_params: int
    tied: list[list[str]]
    weight_bytes: int
    flops: int | None
    macs: int | None
    flops_note: str
    estimated: bool = Field(description="FLOPs/latency estimated from the weights alone")
    activation_bytes: int | None
    batch_size: int | None
    layers: list[LayerCost]
    tiers: EfficiencyReport | None = Field(description="Roofline efficiency tiers")


class LayerTiming(BaseModel):
    name: str
    time_ms: float | None


class ModelPerformance(BaseModel):
    """Measured inference latency by batch size, and time per layer."""

    latency: list[LatencyStat]
    layers: list[LayerTiming]


class CompareRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    ids: list[str] = Field(min_length=2, max_length=MAX_COMPARE)


def summary_of(model: ModelOut, report: ModelReport) -> ModelSummary:
    counts = dict.fromkeys(Severity, 0)
    for f in report.findings:
        counts[f.severity] += 1
    return ModelSummary(
        id=model.id,
        name=model.name,
        format=model.format,
        architecture=report.architecture.primary,
        architecture_types=report.architecture.types,
        health_score=report.health.score,
        findings_by_severity=counts,
        total_params=report.cost.total_params,
        trainable_params=report.cost.trainable_params,
        weight_bytes=report.cost.weight_bytes,
        flops=report.cost.flops,
        n_layers=len(report.layers),
        notes=report.notes,
        input_description=report.input_description,
    )


def efficiency_of(report: ModelReport) -> ModelEfficiency:
    fields = {k: getattr(report.cost, k) for k in ModelEfficiency.model_fields if k != "tiers"}
    return ModelEfficiency(**fields, tiers=report.efficiency)


def performance_of(report: ModelReport) -> ModelPerformance:
    return ModelPerformance(
        latency=report.cost.latency,
        layers=[LayerTiming(name=c.name, time_ms=c.time_ms) for c in report.cost.layers],
    )
