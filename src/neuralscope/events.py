"""The events that probes emit and everything else consumes.

An event is ``{run_id, step, time, kind, payload}``. ``kind`` is one of a documented,
enumerated set and decides the payload's type. Arrays travel as :class:`CompactArray`
(shape + dtype + base64 bytes), never as Python reprs.

Kinds and what consumers may do with them:

=================  ==============================================  ===========
kind               payload                                         bus policy
=================  ==============================================  ===========
``status``         run status changed (and why)                    never drop
``metrics``        scalar metrics at a step (loss, accuracy, ...)  never drop
``hyperparameters`` hyperparameter change (old -> new)             never drop
``finding``        a Finding raised during the run                 never drop
``layer_stats``    per-layer activation mean/std/dead fraction     coalesce
``gradients``      per-parameter gradient norms                    coalesce
``boundary``       decision-boundary grid                          coalesce
``histograms``     weight/bias/activation/gradient histograms      coalesce
``calibration``    confidence and calibration of one split         never drop
``samples``        sample inputs with predictions                  coalesce
``modules``        functional modules of hidden layers (#7)        never drop
``activations``    samples x units activations per hidden layer    coalesce
=================  ==============================================  ===========

``modules`` is not coalescable: each one carries the module lifecycle changes (born,
dissolved, split, merged) since the previous one, which a timeline needs all of, and they are
rare (hundreds of steps apart, within a time budget).

"Coalesce" means a slow consumer only ever gets the newest one of that kind; the recorder
still stores every one.
"""

from __future__ import annotations

import base64
from enum import StrEnum
from typing import Annotated, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

from neuralscope.findings import Finding


class EventKind(StrEnum):
    STATUS = "status"
    METRICS = "metrics"
    HYPERPARAMETERS = "hyperparameters"
    FINDING = "finding"
    LAYER_STATS = "layer_stats"
    GRADIENTS = "gradients"
    BOUNDARY = "boundary"
    HISTOGRAMS = "histograms"
    CALIBRATION = "calibration"
    SAMPLES = "samples"
    MODULES = "modules"
    ACTIVATIONS = "activations"


COALESCABLE_KINDS = frozenset(
    {
        EventKind.LAYER_STATS,
        EventKind.GRADIENTS,
        EventKind.BOUNDARY,
        EventKind.HISTOGRAMS,
        EventKind.SAMPLES,
        EventKind.ACTIVATIONS,
    }
)


class RunStatus(StrEnum):
    CREATED = "created"
    RUNNING = "running"
    PAUSED = "paused"
    STOPPED = "stopped"
    COMPLETED = "completed"
    DIVERGED = "diverged"
    FAILED = "failed"

    @property
    def is_terminal(self) -> bool:
        return self in {
            RunStatus.STOPPED,
            RunStatus.COMPLETED,
            RunStatus.DIVERGED,
            RunStatus.FAILED,
        }


ArrayDType = Literal["uint8", "float16", "float32"]


class CompactArray(BaseModel):
    """A tensor on the wire: row-major bytes of ``dtype``, base64-encoded."""

    model_config = ConfigDict(frozen=True, json_schema_serialization_defaults_required=True)

    shape: list[int]
    dtype: ArrayDType
    data: str = Field(description="base64 of the row-major little-endian bytes")

    @classmethod
    def from_numpy(cls, array: np.ndarray, dtype: ArrayDType | None = None) -> CompactArray:
        target = np.dtype(dtype or str(array.dtype)).newbyteorder("<")
        raw = np.ascontiguousarray(array, dtype=target).tobytes()
        return cls(shape=list(array.shape), dtype=target.name, data=base64.b64encode(raw).decode())

    def to_numpy(self) -> np.ndarray:
        flat = np.frombuffer(
            base64.b64decode(self.data), dtype=np.dtype(self.dtype).newbyteorder("<")
        )
        return flat.reshape(self.shape)


class _Payload(BaseModel):
    model_config = ConfigDict(frozen=True, json_schema_serialization_defaults_required=True)


class StatusPayload(_Payload):
    status: RunStatus
    reason: str | None = None


class MetricsPayload(_Payload):
    values: dict[str, float] = Field(
        description="Scalar metrics by name, e.g. 'train/loss', 'val/accuracy'"
    )


class HyperparameterChange(_Payload):
    name: str
    old: float | int | str
    new: float | int | str


class HyperparametersPayload(_Payload):
    changes: list[HyperparameterChange]


class LayerStat(_Payload):
    layer: str = Field(description="Qualified module name")
    mean: float
    std: float
    dead_fraction: float = Field(
        description="Share of units whose output never exceeds 0 on the probe set"
    )


class LayerStatsPayload(_Payload):
    probe: str = Field(description="Which samples were probed, e.g. 'validation (250 samples)'")
    layers: list[LayerStat]


class GradientNorm(_Payload):
    parameter: str = Field(description="Qualified parameter name, e.g. 'dense1.weight'")
    norm: float


class GradientsPayload(_Payload):
    norms: list[GradientNorm]


class BoundaryPayload(_Payload):
    """Model output on a ``resolution x resolution`` grid over the input plane.

    ``values[i, j]`` is the output at ``x = x_range[0] + (j + 0.5) * dx`` and
    ``y = y_range[1] - (i + 0.5) * dy`` (row 0 at the top, as on a canvas). For binary
    classification it is P(class 1) scaled to 0..255.
    """

    resolution: int
    x_range: tuple[float, float]
    y_range: tuple[float, float]
    values: CompactArray


HistogramSource = Literal["weight", "bias", "activation", "gradient"]


class Histogram(_Payload):
    """Counts of one tensor's values in ``len(counts)`` equal-width bins over ``[lo, hi]``."""

    name: str = Field(description="Qualified parameter or module name")
    source: HistogramSource
    lo: float
    hi: float
    counts: list[int]


class HistogramsPayload(_Payload):
    histograms: list[Histogram]


class CalibrationBin(_Payload):
    lo: float
    hi: float
    count: int
    accuracy: float
    confidence: float


class CalibrationPayload(_Payload):
    """Confidence (max softmax probability) and calibration over a window of predictions.

    ``ece``/``mce`` use 15 equal-width bins, (lo, hi] with the first bin [0, 1/15]
    (Guo et al. 2017); ``p_value`` is the consistency-resampling null of ECE (Broecker &
    Smith 2007); ``auroc`` separates correct from incorrect by confidence (Hendrycks &
    Gimpel 2017), None when one class of outcome is missing.
    """

    split: str
    n: int
    accuracy: float
    ece: float
    mce: float
    signed_gap: float = Field(description="sum_m |B_m|/n (conf - acc); > 0 over-confident")
    p_value: float | None = Field(
        description="Consistency-resampling p-value of ECE; None for the training split"
    )
    auroc: float | None
    mean_confidence_correct: float | None
    mean_confidence_incorrect: float | None
    bins: list[CalibrationBin]
    hist_correct: list[int] = Field(description="Confidence histogram, 20 bins on [0, 1]")
    hist_incorrect: list[int]


class SamplesPayload(_Payload):
    """A few inputs with their predictions; ``images`` is (N, H, W) uint8 for image inputs."""

    split: str
    images: CompactArray | None
    targets: list[int]
    predictions: list[int]
    confidences: list[float]


class ActivationMap(_Payload):
    """One hidden layer's outputs on the probe batch: ``values[i, j]`` is unit ``j`` on sample
    ``i`` (float16, the first ``min(units, 64)`` units)."""

    layer: str = Field(description="Qualified module name, e.g. 'act1'")
    units: int = Field(description="Units in the layer (values may show fewer)")
    values: CompactArray


class ActivationsPayload(_Payload):
    """Activation heatmaps (issue #3): every hidden layer on one fixed probe batch of at most
    64 validation samples, sorted by class (regression: by target). At most 64 units per layer
    are sent, so a layer costs at most 8 KiB of float16."""

    probe: str = Field(description="Which samples, e.g. 'validation (64 of 250, by class)'")
    labels: list[int] = Field(description="Class of each sample row; empty for regression")
    layers: list[ActivationMap]


class ModuleScores(_Payload):
    """A module's ablation metrics at its last evaluation (SCIENCE.md section 4.3)."""

    step: int = Field(description="Step of the evaluation these come from")
    importance: float = Field(description="Share of the layer's mean-ablation loss increase")
    percentile: float = Field(description="% of random same-size unit sets it beats")
    loss_increase: float
    keep_only: list[float] = Field(description="Accuracy per task, every other unit ablated")
    ablate_only: list[float] = Field(description="Accuracy per task, this module ablated")
    probe: list[float] = Field(description="Held-out linear probe accuracy per task")
    chance: list[float]
    selectivity: float
    label: str


class ModuleState(_Payload):
    """One module at one snapshot, with what the module map draws of it."""

    id: str = Field(description="Persistent id, kept across snapshots by Jaccard matching")
    layer: str
    units: list[int]
    taylor: float | None = Field(description="|E[sum a*g]| now (a proxy between evaluations)")
    taylor_share: float | None = Field(description="taylor / sum over the layer's modules")
    scores: ModuleScores | None = Field(description="From the last ablation evaluation")
    smoothed: dict[str, float] = Field(description="EMA of its metrics across snapshots")
    class_drive: list[float] = Field(
        description="Mean standardised activation per class (first task); empty for regression"
    )
    unit_drive: CompactArray | None = Field(description="(units, classes) per-unit class drive")
    unit_mean: list[float] = Field(description="Mean activation per unit on the probe")
    unit_std: list[float]
    weight_in: list[float] = Field(description="L2 norm of each unit's incoming weights")
    input_pattern: CompactArray | None = Field(
        description="Mean input of the samples that drive it hardest, input-shaped"
    )


class ModuleLayerState(_Payload):
    layer: str
    units: int
    method: str
    k_chosen_by: str
    caveat: str | None
    significant: bool
    modularity: float
    p_value: float
    verdict: str
    dead_units: list[int]
    full_accuracy: list[float] = Field(description="Intact model, per task (evaluations only)")


class ModuleLink(_Payload):
    source: str
    target: str
    weight: float = Field(description="Share of |W| between the two unit sets")
    gradient: float | None = Field(description="Share of gradient flow E|dL/dz W a|")


class ModuleChange(_Payload):
    type: Literal["born", "dissolved", "split", "merged"]
    layer: str
    modules: list[str] = Field(description="split: [source, parts...]; merged: [result, ...]")
    jaccard: float


class ModulePreview(_Payload):
    """A what-if: the intervention applied to a copy of the model at this snapshot."""

    module: str
    intervention: str
    loss_before: float
    loss_after: float
    accuracy_before: list[float]
    accuracy_after: list[float]


class ModulesPayload(_Payload):
    """A decomposition of hidden layers into functional modules (issue #7)."""

    probe: str = Field(description="Which samples were decomposed")
    evaluated: bool = Field(description="Ablation metrics were computed at this snapshot")
    seconds: float = Field(description="What this decomposition cost")
    layers: list[ModuleLayerState]
    modules: list[ModuleState]
    links: list[ModuleLink]
    changes: list[ModuleChange] = Field(description="Lifecycle changes since the last one")
    findings: list[Finding] = Field(description="Current alerts on the modules")
    previews: list[ModulePreview] = Field(description="What-ifs for the alerted modules")


class _EventBase(BaseModel):
    model_config = ConfigDict(frozen=True, json_schema_serialization_defaults_required=True)

    run_id: str
    step: int = Field(ge=0)
    time: float = Field(description="Unix time in seconds")


class StatusEvent(_EventBase):
    kind: Literal[EventKind.STATUS] = EventKind.STATUS
    payload: StatusPayload


class MetricsEvent(_EventBase):
    kind: Literal[EventKind.METRICS] = EventKind.METRICS
    payload: MetricsPayload


class HyperparametersEvent(_EventBase):
    kind: Literal[EventKind.HYPERPARAMETERS] = EventKind.HYPERPARAMETERS
    payload: HyperparametersPayload


class FindingEvent(_EventBase):
    kind: Literal[EventKind.FINDING] = EventKind.FINDING
    payload: Finding


class LayerStatsEvent(_EventBase):
    kind: Literal[EventKind.LAYER_STATS] = EventKind.LAYER_STATS
    payload: LayerStatsPayload


class GradientsEvent(_EventBase):
    kind: Literal[EventKind.GRADIENTS] = EventKind.GRADIENTS
    payload: GradientsPayload


class BoundaryEvent(_EventBase):
    kind: Literal[EventKind.BOUNDARY] = EventKind.BOUNDARY
    payload: BoundaryPayload


class HistogramsEvent(_EventBase):
    kind: Literal[EventKind.HISTOGRAMS] = EventKind.HISTOGRAMS
    payload: HistogramsPayload


class CalibrationEvent(_EventBase):
    kind: Literal[EventKind.CALIBRATION] = EventKind.CALIBRATION
    payload: CalibrationPayload


class SamplesEvent(_EventBase):
    kind: Literal[EventKind.SAMPLES] = EventKind.SAMPLES
    payload: SamplesPayload


class ModulesEvent(_EventBase):
    kind: Literal[EventKind.MODULES] = EventKind.MODULES
    payload: ModulesPayload


class ActivationsEvent(_EventBase):
    kind: Literal[EventKind.ACTIVATIONS] = EventKind.ACTIVATIONS
    payload: ActivationsPayload


Event = Annotated[
    StatusEvent
    | MetricsEvent
    | HyperparametersEvent
    | FindingEvent
    | LayerStatsEvent
    | GradientsEvent
    | BoundaryEvent
    | HistogramsEvent
    | CalibrationEvent
    | SamplesEvent
    | ModulesEvent
    | ActivationsEvent,
    Field(discriminator="kind"),
]

EVENT_ADAPTER: TypeAdapter[Event] = TypeAdapter(Event)


def parse_event(raw: str | bytes | dict[str, object]) -> Event:
    """Validate a JSON string/bytes or a dict into the matching event type."""
    if isinstance(raw, dict):
        return EVENT_ADAPTER.validate_python(raw)
    return EVENT_ADAPTER.validate_json(raw)
