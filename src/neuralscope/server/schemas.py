"""Request and response models of the REST API (the wire contract; the web client's types are
generated from the OpenAPI schema these produce)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel as _PydanticModel
from pydantic import ConfigDict, Field

from neuralscope.data import DataConfig, DatasetKind, DatasetName, Task
from neuralscope.events import CompactArray, Event, RunStatus
from neuralscope.nets import NetSpec
from neuralscope.training import HyperparameterUpdate, SessionConfig
from neuralscope.training.metrics import SplitReport
from neuralscope.watching.config import WatchRunConfig


class BaseModel(_PydanticModel):
    """Responses always carry their defaulted fields, so the schema marks them required."""

    model_config = ConfigDict(json_schema_serialization_defaults_required=True)


class ErrorDetail(BaseModel):
    code: str = Field(description="Stable machine-readable code, e.g. 'not_found'")
    message: str = Field(description="What went wrong and what to do, for a person")


class ErrorResponse(BaseModel):
    error: ErrorDetail


class HealthOut(BaseModel):
    status: Literal["ok"]
    version: str
    database: str = Field(description="Database backend in use: sqlite or postgresql")
    live_runs: int


class RunCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_serialization_defaults_required=True)

    name: str | None = Field(default=None, max_length=200)
    config: SessionConfig = Field(default_factory=SessionConfig)
    start: bool = Field(default=False, description="Start training immediately")


class CompareCreate(BaseModel):
    """2-4 configurations trained side by side on the same data with the same seed."""

    model_config = ConfigDict(extra="forbid", json_schema_serialization_defaults_required=True)

    configs: list[SessionConfig] = Field(min_length=2, max_length=4)
    start: bool = Field(default=True, description="Start all runs immediately")


class CompareOut(BaseModel):
    runs: list[RunOut] = Field(description="In the order of the request's configs")


class RunOut(BaseModel):
    id: str
    name: str
    kind: str
    status: RunStatus
    config: SessionConfig | WatchRunConfig = Field(
        description="SessionConfig for Playground runs, WatchRunConfig for kind 'watch'"
    )
    created_at: datetime
    updated_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    last_step: int
    summary: dict[str, float]
    error: str | None
    live: bool = Field(description="True while a training thread holds this run")
    model_available: bool = Field(
        description="True when the run's final model is stored (it ended with its weights "
        "kept), so export, evaluation and analysis work after the run has ended"
    )


class RunPage(BaseModel):
    items: list[RunOut]
    total: int
    limit: int
    offset: int


class ControlRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_serialization_defaults_required=True)

    action: Literal["start", "pause", "resume", "stop", "set"]
    hyperparameters: HyperparameterUpdate | None = Field(
        default=None, description="Required with action 'set'"
    )


class Series(BaseModel):
    steps: list[int]
    values: list[float | None] = Field(description="null where the value was NaN or infinite")


class MetricsOut(BaseModel):
    run_id: str
    series: dict[str, Series]


class EventsOut(BaseModel):
    run_id: str
    events: list[Event]


class DatasetPoints(BaseModel):
    """The run's data points, for drawing over the decision boundary or as a scatter.

    Points are (x1, x2); for a 1-D set (sine) they are (x, 0). A table of three features
    gives 3-D points: (x1, x2) here and the third coordinate in ``train_z``/``val_z``. A wider
    table gives its first two principal components (``projection: "pca"``). Labels are class
    indices (binary, multiclass) or target values (regression).
    """

    run_id: str
    dataset: DatasetName
    task: Task
    bounds: tuple[float, float]
    train_x: list[tuple[float, float]]
    train_y: list[float]
    val_x: list[tuple[float, float]]
    val_y: list[float]
    dims: Literal[1, 2, 3] = Field(
        default=2, description="Coordinates per point: 1 for a line set, 3 with train_z/val_z"
    )
    train_z: list[float] | None = Field(default=None, description="Third coordinate (dims 3)")
    val_z: list[float] | None = Field(default=None, description="Third coordinate (dims 3)")
    axis_names: list[str] = Field(
        default_factory=list,
        description="One name per axis: a table's CSV header, or PC1/PC2; empty for built-in sets",
    )
    axis_bounds: list[tuple[float, float]] = Field(
        default_factory=list, description="(low, high) per axis for tables; empty otherwise"
    )
    projection: Literal["pca"] | None = Field(
        default=None,
        description="'pca': the points are the first two principal components of the "
        "standardised training inputs (tables of more than three features)",
    )
    explained_variance: list[float] = Field(
        default_factory=list, description="Fraction of the variance PC1 and PC2 explain (pca)"
    )
    class_names: list[str] = Field(
        default_factory=list, description="A classification table's class names, by index"
    )
    n_shown: int = Field(default=0, description="Points returned (training + validation)")
    n_total: int = Field(
        default=0, description="Points in the run's data; more than n_shown when capped"
    )


class DatasetInfo(BaseModel):
    name: DatasetName
    title: str
    description: str
    task: Task
    kind: DatasetKind = Field(
        description="plane: 2-D points; line: 1-D regression; image: (C, H, W) pixels"
    )
    input_shape: list[int]
    n_classes: int = Field(description="0 for regression; blobs/spirals_multi: the default (3)")
    available: bool = Field(description="False while MNIST has not been imported or downloaded")


class ImageSamples(BaseModel):
    """A grid of image samples of a run's dataset: pixels as uint8 ``(N, H, W)`` (C = 1)."""

    run_id: str
    dataset: DatasetName
    images: CompactArray
    labels: list[int]


class EvaluationOut(BaseModel):
    """Every metric of both splits of a live run now, with per-class numbers and confusion."""

    run_id: str
    step: int
    task: Task
    class_names: list[str]
    splits: dict[str, SplitReport] = Field(description="'train' and 'val'")


class CsvCheckOut(BaseModel):
    """What a CSV upload would become (nothing is stored)."""

    feature_names: list[str]
    label_name: str
    task: Task
    n_rows: int
    class_names: list[str] = Field(description="Empty for regression")


class ShapesRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_serialization_defaults_required=True)

    spec: NetSpec
    data: DataConfig = Field(default_factory=DataConfig)


class LayerShapeOut(BaseModel):
    name: str = Field(description="Qualified module name, e.g. 'conv1', 'dense3', 'output'")
    type: str
    output_shape: list[int] = Field(description="Without the batch axis")
    parameters: int


class SpecProblem(BaseModel):
    field: str = Field(description="Where in the spec, e.g. 'layers.2.kernel_size'")
    message: str


class ShapesOut(BaseModel):
    """Per-layer output shapes up to the first problem (``error``), for the live builder."""

    input_shape: list[int]
    layers: list[LayerShapeOut]
    total_parameters: int
    error: SpecProblem | None


class LiveSnapshot(BaseModel):
    """What a viewer needs to draw a run from scratch; the WebSocket sends it first."""

    type: Literal["snapshot"] = "snapshot"
    run: RunOut
    series: dict[str, Series]
    markers: list[Event] = Field(description="Status, hyperparameter and finding events")
    latest: list[Event] = Field(description="Newest boundary, layer-stat and gradient frames")


class EventMessage(BaseModel):
    """Every later WebSocket message: a batch of events."""

    type: Literal["events"] = "events"
    events: list[Event]
