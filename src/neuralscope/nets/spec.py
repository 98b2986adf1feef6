"""The architecture spec: the JSON the API, the CLI and the web builder share."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Activation = Literal["relu", "tanh", "sigmoid", "linear", "gelu"]

# Sensible limits for an interactive simulator (the browser draws every unit); the engine
# itself has no cap beyond memory.
MAX_LAYERS = 32
MAX_UNITS = 1024


class DenseLayer(BaseModel):
    """A fully connected layer followed by its activation."""

    model_config = ConfigDict(
        frozen=True, extra="forbid", json_schema_serialization_defaults_required=True
    )

    type: Literal["dense"] = "dense"
    units: int = Field(ge=1, le=MAX_UNITS)
    activation: Activation = "tanh"


class NetSpec(BaseModel):
    """Hidden layers of a network; input and output sizes follow from the dataset."""

    model_config = ConfigDict(
        frozen=True, extra="forbid", json_schema_serialization_defaults_required=True
    )

    layers: list[DenseLayer] = Field(default_factory=list, max_length=MAX_LAYERS)

    @classmethod
    def mlp(cls, hidden: list[int], activation: Activation = "tanh") -> NetSpec:
        return cls(layers=[DenseLayer(units=u, activation=activation) for u in hidden])
