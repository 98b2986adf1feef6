"""Shape inference: the output shape of every layer of a spec, or the field that breaks it.

Shapes exclude the batch dimension: ``(features,)`` for flat data, ``(channels, height,
width)`` for images. Convolution and pooling follow PyTorch's formulas
(``out = floor((in + 2*pad - kernel) / stride) + 1``; ``same`` padding keeps the size at
stride 1 and needs an odd kernel, as ``nn.Conv2d(padding="same")`` does).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from neuralscope.nets.spec import (
    BatchNormLayer,
    Conv2DLayer,
    DenseLayer,
    DropoutLayer,
    FlattenLayer,
    Layer,
    MaxPool2DLayer,
    NetSpec,
)

Shape = tuple[int, ...]


class SpecError(ValueError):
    """An invalid graph; ``field`` addresses the offending value, e.g. ``layers.2.kernel_size``."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


@dataclass(frozen=True)
class LayerShape:
    """One layer's place in the graph: module name, type, output shape, parameter count."""

    name: str
    type: str
    output_shape: Shape
    parameters: int


def module_name(layer: Layer, position: int) -> str:
    """The qualified module name of the layer at 1-based ``position`` (``dense3``, ``conv1``)."""
    prefix = {"dense": "dense", "conv2d": "conv", "maxpool2d": "pool", "flatten": "flatten"}
    prefix |= {"dropout": "dropout", "batchnorm": "bn"}
    return f"{prefix[layer.type]}{position}"


def _need_image(shape: Shape, where: str, what: str) -> tuple[int, int, int]:
    if len(shape) != 3:
        raise SpecError(
            where, f"{what} needs (channels, height, width) input, but its input is {shape}"
        )
    return shape[0], shape[1], shape[2]


def _conv(layer: Conv2DLayer, shape: Shape, where: str) -> tuple[Shape, int]:
    c, h, w = _need_image(shape, f"{where}.type", "Conv2D")
    k, s = layer.kernel_size, layer.stride
    if layer.padding == "same":
        if s != 1:
            raise SpecError(f"{where}.stride", "'same' padding needs stride 1")
        if k % 2 == 0:
            raise SpecError(f"{where}.kernel_size", "'same' padding needs an odd kernel")
        out_h, out_w = h, w
    else:
        if k > h or k > w:
            raise SpecError(f"{where}.kernel_size", f"kernel {k} is larger than the input {h}x{w}")
        out_h, out_w = (h - k) // s + 1, (w - k) // s + 1
    return (layer.filters, out_h, out_w), layer.filters * (c * k * k + 1)


def _pool(layer: MaxPool2DLayer, shape: Shape, where: str) -> Shape:
    c, h, w = _need_image(shape, f"{where}.type", "MaxPool2D")
    k, s = layer.pool_size, layer.stride or layer.pool_size
    if k > h or k > w:
        raise SpecError(f"{where}.pool_size", f"window {k} is larger than the input {h}x{w}")
    return (c, (h - k) // s + 1, (w - k) // s + 1)


def _one(layer: Layer, shape: Shape, where: str) -> tuple[Shape, int]:
    if isinstance(layer, DenseLayer):
        if len(shape) != 1:
            raise SpecError(
                f"{where}.type", f"Dense needs flat input, but its input is {shape}: add a Flatten"
            )
        return (layer.units,), layer.units * (shape[0] + 1)
    if isinstance(layer, Conv2DLayer):
        return _conv(layer, shape, where)
    if isinstance(layer, MaxPool2DLayer):
        return _pool(layer, shape, where), 0
    if isinstance(layer, FlattenLayer):
        if len(shape) == 1:
            raise SpecError(f"{where}.type", f"the input {shape} is already flat")
        size = 1
        for d in shape:
            size *= d
        return (size,), 0
    if isinstance(layer, BatchNormLayer):
        return shape, 2 * shape[0]
    if isinstance(layer, DropoutLayer):
        return shape, 0
    raise SpecError(f"{where}.type", f"unknown layer type {layer!r}")  # pragma: no cover


def infer_shapes(spec: NetSpec, input_shape: Sequence[int], out_features: int) -> list[LayerShape]:
    """Per-layer output shapes, ending with the ``output`` layer; raises :class:`SpecError`."""
    result: list[LayerShape] = []
    error = _walk(spec, input_shape, out_features, result)
    if error is not None:
        raise error
    return result


def shape_report(
    spec: NetSpec, input_shape: Sequence[int], out_features: int
) -> tuple[list[LayerShape], SpecError | None]:
    """The shapes up to the first problem, and the problem (None when the graph is valid)."""
    result: list[LayerShape] = []
    return result, _walk(spec, input_shape, out_features, result)


def _walk(
    spec: NetSpec, input_shape: Sequence[int], out_features: int, result: list[LayerShape]
) -> SpecError | None:
    try:
        _infer(spec, tuple(input_shape), out_features, result)
    except SpecError as exc:
        return exc
    return None


def _infer(spec: NetSpec, shape: Shape, out_features: int, result: list[LayerShape]) -> None:
    if not shape or any(d < 1 for d in shape):
        raise SpecError("input_shape", f"invalid input shape {shape}")
    for position, layer in enumerate(spec.layers, start=1):
        where = f"layers.{position - 1}"
        shape, params = _one(layer, shape, where)
        if any(d < 1 for d in shape):
            raise SpecError(where, f"output shape {shape} is empty")
        result.append(LayerShape(module_name(layer, position), layer.type, shape, params))
    if len(shape) != 1:
        field = f"layers.{len(spec.layers) - 1}" if spec.layers else "layers"
        raise SpecError(field, f"the output layer needs flat input, got {shape}: add a Flatten")
    result.append(LayerShape("output", "dense", (out_features,), out_features * (shape[0] + 1)))
