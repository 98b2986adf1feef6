"""The architecture spec: the JSON the API, the CLI and the web builder share.

``NetSpec.layers`` is a list of hidden layers, each a member of a union told apart by its
``type`` (``dense``, ``conv2d``, ``maxpool2d``, ``flatten``, ``dropout``, ``batchnorm``).
A layer without ``type`` is dense, so the original ``{"layers": [{"units": 8}]}`` still reads.
Input and output sizes follow from the dataset; :func:`neuralscope.nets.shapes.infer_shapes`
checks that the layers fit together and says which field is wrong when they do not.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Discriminator, Field, Tag

Activation = Literal["relu", "tanh", "sigmoid", "linear", "gelu"]

# Sensible limits for an interactive simulator (the browser draws every unit); the engine
# itself has no cap beyond memory.
MAX_LAYERS = 32
MAX_UNITS = 1024
MAX_FILTERS = 256
MAX_KERNEL = 15


class _Layer(BaseModel):
    model_config = ConfigDict(
        frozen=True, extra="forbid", json_schema_serialization_defaults_required=True
    )


class DenseLayer(_Layer):
    """A fully connected layer followed by its activation."""

    type: Literal["dense"] = "dense"
    units: int = Field(ge=1, le=MAX_UNITS)
    activation: Activation = "tanh"


class Conv2DLayer(_Layer):
    """A 2-D convolution over (channels, height, width) inputs, then its activation."""

    type: Literal["conv2d"] = "conv2d"
    filters: int = Field(ge=1, le=MAX_FILTERS)
    kernel_size: int = Field(default=3, ge=1, le=MAX_KERNEL)
    stride: int = Field(default=1, ge=1, le=MAX_KERNEL)
    padding: Literal["valid", "same"] = "valid"
    activation: Activation = "relu"


class MaxPool2DLayer(_Layer):
    """Max pooling over non-overlapping (or ``stride``-spaced) windows."""

    type: Literal["maxpool2d"] = "maxpool2d"
    pool_size: int = Field(default=2, ge=1, le=MAX_KERNEL)
    stride: int | None = Field(default=None, ge=1, le=MAX_KERNEL, description="None: pool_size")


class FlattenLayer(_Layer):
    """(C, H, W) -> (C*H*W,): the bridge from convolutions to dense layers."""

    type: Literal["flatten"] = "flatten"


class DropoutLayer(_Layer):
    """Zeroes each input with probability ``p`` while training (steerable mid-run)."""

    type: Literal["dropout"] = "dropout"
    p: float = Field(default=0.5, ge=0.0, lt=1.0)


class BatchNormLayer(_Layer):
    """Batch normalisation (1-D after dense layers, 2-D after convolutions)."""

    type: Literal["batchnorm"] = "batchnorm"


def _layer_type(value: Any) -> str:
    if isinstance(value, dict):
        return str(value.get("type", "dense"))
    return str(getattr(value, "type", "dense"))


Layer = Annotated[
    Annotated[DenseLayer, Tag("dense")]
    | Annotated[Conv2DLayer, Tag("conv2d")]
    | Annotated[MaxPool2DLayer, Tag("maxpool2d")]
    | Annotated[FlattenLayer, Tag("flatten")]
    | Annotated[DropoutLayer, Tag("dropout")]
    | Annotated[BatchNormLayer, Tag("batchnorm")],
    Discriminator(_layer_type),
]
LayerType = Literal["dense", "conv2d", "maxpool2d", "flatten", "dropout", "batchnorm"]
LAYER_TAGS = frozenset(LayerType.__args__)  # type: ignore[attr-defined]


class NetSpec(BaseModel):
    """Hidden layers of a network; input and output sizes follow from the dataset."""

    model_config = ConfigDict(
        frozen=True, extra="forbid", json_schema_serialization_defaults_required=True
    )

    layers: list[Layer] = Field(default_factory=list, max_length=MAX_LAYERS)

    @classmethod
    def mlp(cls, hidden: list[int], activation: Activation = "tanh") -> NetSpec:
        return cls(layers=[DenseLayer(units=u, activation=activation) for u in hidden])

    def short_name(self) -> str:
        """A label for run names: ``8-8 tanh`` for dense nets, ``conv4-pool-flatten-16`` else."""
        if not self.layers:
            return "linear"
        if self.is_dense:
            widths = "-".join(str(layer.units) for layer in self.layers)  # type: ignore[union-attr]
            return f"{widths} {self.layers[0].activation}"  # type: ignore[union-attr]
        short = {"conv2d": "conv", "maxpool2d": "pool", "batchnorm": "bn"}
        parts = [
            str(layer.units)
            if isinstance(layer, DenseLayer)
            else f"conv{layer.filters}"
            if isinstance(layer, Conv2DLayer)
            else short.get(layer.type, layer.type)
            for layer in self.layers
        ]
        return "-".join(parts)

    @property
    def is_dense(self) -> bool:
        """Only dense layers (what the backprop trace and per-neuron views support)."""
        return all(isinstance(layer, DenseLayer) for layer in self.layers)
