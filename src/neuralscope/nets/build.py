"""Spec -> ``nn.Module``.

Layers get stable, readable qualified names from their 1-based position in the spec
(``dense1``, ``act1``, ``conv2``, ``act2``, ``pool3``, ``flatten4``, ``dropout5``, ``bn6``, ...,
``output``): these are the names every event, report and URL uses. An all-dense spec keeps
the names it always had. Derived 2-D input features (TF Playground's x1², sin x1, ...) run
inside the model as its first module, ``features``, so every consumer of the model applies them.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence

import torch
from torch import nn

from neuralscope.data.features import FeatureName, derive
from neuralscope.nets.shapes import infer_shapes, module_name
from neuralscope.nets.spec import (
    Activation,
    BatchNormLayer,
    Conv2DLayer,
    DenseLayer,
    DropoutLayer,
    FlattenLayer,
    Layer,
    MaxPool2DLayer,
    NetSpec,
)

_ACTIVATIONS: dict[Activation, type[nn.Module]] = {
    "relu": nn.ReLU,
    "tanh": nn.Tanh,
    "sigmoid": nn.Sigmoid,
    "linear": nn.Identity,
    "gelu": nn.GELU,
}


class DerivedFeatures(nn.Module):
    """(N, 2) -> (N, 2 + k): appends the derived features, see :mod:`neuralscope.data.features`."""

    def __init__(self, names: Sequence[FeatureName]) -> None:
        super().__init__()
        self.names: tuple[FeatureName, ...] = tuple(names)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return derive(x, self.names)

    def extra_repr(self) -> str:
        return ", ".join(self.names)


def _module(layer: Layer, in_shape: tuple[int, ...], out_shape: tuple[int, ...]) -> nn.Module:
    if isinstance(layer, DenseLayer):
        return nn.Linear(in_shape[0], layer.units)
    if isinstance(layer, Conv2DLayer):
        padding: str | int = "same" if layer.padding == "same" else 0
        return nn.Conv2d(in_shape[0], layer.filters, layer.kernel_size, layer.stride, padding)
    if isinstance(layer, MaxPool2DLayer):
        return nn.MaxPool2d(layer.pool_size, layer.stride or layer.pool_size)
    if isinstance(layer, FlattenLayer):
        return nn.Flatten()
    if isinstance(layer, DropoutLayer):
        return nn.Dropout(layer.p)
    if isinstance(layer, BatchNormLayer):
        return nn.BatchNorm1d(in_shape[0]) if len(in_shape) == 1 else nn.BatchNorm2d(in_shape[0])
    raise TypeError(f"unknown layer {layer!r}")  # pragma: no cover


def build_model(
    spec: NetSpec,
    in_features: int | Sequence[int],
    out_features: int,
    *,
    features: Sequence[FeatureName] = (),
) -> nn.Sequential:
    """Build the network: hidden layers from ``spec``, then a linear output layer.

    ``in_features`` is the input size, or the input shape for images (``(1, 8, 8)``). With
    ``features``, the model takes raw (N, 2) points and derives the rest itself. The output
    layer emits logits (classification) or values (regression); the loss applies
    sigmoid/softmax, so the model never does.

    Raises:
        SpecError: the layers do not fit together (see :func:`infer_shapes`).
    """
    shape = (in_features,) if isinstance(in_features, int) else tuple(in_features)
    modules: OrderedDict[str, nn.Module] = OrderedDict()
    if features:
        modules["features"] = DerivedFeatures(features)
        shape = (shape[0] + len(features),)
    shapes = infer_shapes(spec, shape, out_features)
    for position, (layer, info) in enumerate(zip(spec.layers, shapes, strict=False), start=1):
        modules[module_name(layer, position)] = _module(layer, shape, info.output_shape)
        if isinstance(layer, DenseLayer | Conv2DLayer):
            modules[f"act{position}"] = _ACTIVATIONS[layer.activation]()
        shape = info.output_shape
    modules["output"] = nn.Linear(shape[0], out_features)
    return nn.Sequential(modules)


def hidden_layer_names(spec: NetSpec) -> list[str]:
    """Qualified names of the dense activation modules whose outputs the probes watch."""
    return [f"act{i}" for i, layer in enumerate(spec.layers, 1) if isinstance(layer, DenseLayer)]


def dropout_names(spec: NetSpec) -> list[str]:
    """Qualified names of the Dropout modules (their ``p`` is steerable mid-run)."""
    return [f"dropout{i}" for i, layer in enumerate(spec.layers, 1) if layer.type == "dropout"]
