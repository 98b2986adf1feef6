"""The typed results: one ``ModelReport`` per model and a ``Comparison`` of several."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from neuralscope.analysis.architecture import ArchitectureReport
from neuralscope.analysis.config import AnalysisConfig
from neuralscope.analysis.cost import CostReport
from neuralscope.analysis.efficiency import EfficiencyReport
from neuralscope.analysis.health import HealthReport
from neuralscope.analysis.optimize import OptimizationReport
from neuralscope.analysis.readiness import InitCheck, ReadinessReport
from neuralscope.analysis.spectral import SpectralStats
from neuralscope.analysis.weights import WeightStats
from neuralscope.findings import Finding
from neuralscope.nets.io import LayerInfo


class ModelReport(BaseModel):
    """Everything ``neuralscope.analyze`` learned about one model."""

    model_config = ConfigDict(frozen=True)

    source: str
    format: str
    notes: list[str]
    input_description: str
    layers: list[LayerInfo]
    architecture: ArchitectureReport
    weights: list[WeightStats]
    spectral: list[SpectralStats]
    init: list[InitCheck]
    cost: CostReport
    readiness: ReadinessReport | None
    findings: list[Finding]
    health: HealthReport
    optimization: OptimizationReport
    efficiency: EfficiencyReport | None = None
    config: AnalysisConfig


class ComparisonRow(BaseModel):
    model_config = ConfigDict(frozen=True)

    name: str
    architecture: str
    health_score: int
    warnings: int
    criticals: int
    total_params: int
    flops: int | None
    p50_ms_batch1: float | None
    median_alpha: float | None


class Comparison(BaseModel):
    model_config = ConfigDict(frozen=True)

    rows: list[ComparisonRow]
    recommended: str
    reason: str
    reports: list[ModelReport]
