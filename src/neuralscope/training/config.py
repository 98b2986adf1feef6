"""What a training Session is made from, and what may change while it runs."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from neuralscope.data import DataConfig
from neuralscope.nets import NetSpec

OptimizerName = Literal["sgd", "momentum", "nesterov", "adam", "adamw", "rmsprop", "adagrad"]


class Hyperparameters(BaseModel):
    """Everything the learner may steer mid-run."""

    model_config = ConfigDict(
        frozen=True, extra="forbid", json_schema_serialization_defaults_required=True
    )

    optimizer: OptimizerName = "sgd"
    learning_rate: float = Field(default=0.03, gt=0.0, le=10.0)
    batch_size: int = Field(default=10, ge=1, le=100_000)
    momentum: float = Field(
        default=0.9, ge=0.0, lt=1.0, description="For momentum/nesterov/rmsprop"
    )
    weight_decay: float = Field(default=0.0, ge=0.0, le=1.0, description="L2 penalty")


class HyperparameterUpdate(BaseModel):
    """A partial change; fields left out keep their value."""

    model_config = ConfigDict(
        frozen=True, extra="forbid", json_schema_serialization_defaults_required=True
    )

    optimizer: OptimizerName | None = None
    learning_rate: float | None = Field(default=None, gt=0.0, le=10.0)
    batch_size: int | None = Field(default=None, ge=1, le=100_000)
    momentum: float | None = Field(default=None, ge=0.0, lt=1.0)
    weight_decay: float | None = Field(default=None, ge=0.0, le=1.0)


class SessionConfig(BaseModel):
    """A complete, reproducible description of a Playground run."""

    model_config = ConfigDict(
        frozen=True, extra="forbid", json_schema_serialization_defaults_required=True
    )

    spec: NetSpec = Field(default_factory=lambda: NetSpec.mlp([8, 8]))
    data: DataConfig = Field(default_factory=DataConfig)
    hyperparameters: Hyperparameters = Field(default_factory=Hyperparameters)
    seed: int = Field(default=0, ge=0, le=2**31 - 1)
    max_steps: int | None = Field(default=None, ge=1, le=10_000_000)
