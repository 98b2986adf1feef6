"""Request and response models of the REST API (the wire contract; the web client's types are
generated from the OpenAPI schema these produce)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel as _PydanticModel
from pydantic import ConfigDict, Field

from neuralscope.data import DatasetName
from neuralscope.events import Event, RunStatus
from neuralscope.training import HyperparameterUpdate, SessionConfig


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


class RunOut(BaseModel):
    id: str
    name: str
    kind: str
    status: RunStatus
    config: SessionConfig
    created_at: datetime
    updated_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    last_step: int
    summary: dict[str, float]
    error: str | None
    live: bool = Field(description="True while a training thread holds this run")


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
    """The run's data points, for drawing over the decision boundary."""

    run_id: str
    dataset: DatasetName
    bounds: tuple[float, float]
    train_x: list[tuple[float, float]]
    train_y: list[int]
    val_x: list[tuple[float, float]]
    val_y: list[int]


class DatasetInfo(BaseModel):
    name: DatasetName
    title: str
    description: str


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
