"""What ``watch()`` records and how often: one frozen config object.

Default cadences keep a watched 784-128-10 MLP (batch 64, CPU) within 10% of the bare loop
(``benchmarks/watch_overhead.py``): training scalars (and the predictions that feed the training
split's calibration) every 20th step, gradient flow and update ratios every 100, activations every
250, histograms every 500, calibration once per epoch/window. Evaluation batches
(``split != "train"``) are always read in full. PERFORMANCE.md: instrumenting every step costs
+40-160% on this model.
"""

from __future__ import annotations

from typing import Protocol

from pydantic import BaseModel, ConfigDict, Field

from neuralscope.events import Event
from neuralscope.monitor.rules_config import RuleConfig


class WatchConfig(BaseModel):
    """Cadences (in training steps) and sizes of what a watched run records."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    scalars_every: int = Field(20, ge=1, description="Training loss/accuracy scalars")
    gradients_every: int = Field(100, ge=1, description="Gradient flow and update ratios")
    histograms_every: int = Field(500, ge=1, description="Weight, bias and gradient histograms")
    activations_every: int = Field(250, ge=1, description="Activation hooks (one step each)")
    window_steps: int = Field(
        500, ge=1, description="Steps per window when end_epoch() is never called"
    )
    histogram_bins: int = Field(30, ge=2)
    calibration_resamples: int = Field(1000, ge=10, description="ECE null resamples")
    max_calibration_samples: int = Field(5000, ge=10, description="Kept per split and window")
    samples: int = Field(16, ge=0, description="Sample inputs per split and window")
    modules_every: int = Field(
        500,
        ge=1,
        description="Functional-module decomposition of the probe batch (watch(probe=...)) at "
        "most this often, within a 4% time budget, and once at the end",
    )
    modules_layers: list[str] | None = Field(
        None, description="Layers to decompose; None: the watched activation layers"
    )
    rules: RuleConfig = Field(default_factory=RuleConfig)


class WatchRunConfig(BaseModel):
    """The stored configuration of a run of kind ``watch``."""

    model_config = ConfigDict(frozen=True, json_schema_serialization_defaults_required=True)

    model: str = Field(description="The model's class name")
    parameters: int = Field(description="Number of parameters")
    layers: list[str] = Field(description="Watched modules (activation capture)")
    optimizer: str | None = Field(default=None, description="The optimizer's class name")
    watch: WatchConfig = Field(default_factory=WatchConfig)


class Sink(Protocol):
    """Where a watched run's events go (local store or server)."""

    run_id: str

    def emit(self, events: list[Event]) -> None: ...

    def close(self) -> None: ...
