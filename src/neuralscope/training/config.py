"""What a training Session is made from, and what may change while it runs."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from neuralscope.data import DataConfig, dataset_info
from neuralscope.nets import NetSpec, SpecError, infer_shapes

OptimizerName = Literal["sgd", "momentum", "nesterov", "adam", "adamw", "rmsprop", "adagrad"]


def _dropout(value: float | None) -> float | None:
    if value is not None and value != -1.0 and value < 0:
        raise ValueError("dropout is -1 (keep the spec's p) or in [0, 1)")
    return value


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
    l1: float = Field(
        default=0.0, ge=0.0, le=1.0, description="L1 penalty: l1 * sum |w| over weights"
    )
    dropout: float = Field(
        default=-1.0,
        ge=-1.0,
        lt=1.0,
        description="p of every Dropout layer; -1 keeps each layer's p from the spec",
    )

    _check_dropout = field_validator("dropout")(lambda v: _dropout(v))


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
    l1: float | None = Field(default=None, ge=0.0, le=1.0)
    dropout: float | None = Field(default=None, ge=-1.0, lt=1.0)

    _check_dropout = field_validator("dropout")(lambda v: _dropout(v))


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

    @model_validator(mode="after")
    def _layers_fit_the_data(self) -> SessionConfig:
        """The spec must fit the dataset's input shape (errors name ``spec.layers.N.field``)."""
        info = dataset_info(self.data)
        shape = info.input_shape
        if self.data.features:
            shape = (shape[0] + len(self.data.features),)
        width = info.n_classes if info.task == "multiclass" else 1
        try:
            infer_shapes(self.spec, shape, width)
        except SpecError as exc:
            raise ValueError(f"spec.{exc.field}: {exc.message}") from exc
        return self
