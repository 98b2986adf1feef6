"""A trial's network as 3-D blocks: the documented layout behind the web's 3-D view.

Input: the trial's ``ATTR_ARCHITECTURE`` (:class:`~neuralscope.search.contract.ArchitectureLayer`
list, input to output). Output: one axis-aligned box per layer, placed left to right along +x
and centred on the origin, in arbitrary scene units:

* **thickness** (x): by kind — ``conv2d`` ``0.25 + 0.15·kernel_size``, ``lstm`` ``0.8``
  (``1.2`` bidirectional), ``dense``/``embedding`` ``0.35``, ``maxpool2d``/``input``/``output``
  ``0.2``, thin layers without weights (``flatten``, ``dropout``, ``batchnorm``) ``0.12``;
* **height** (y): ``0.4 + 0.45·log2(1 + n)``, n = units, filters, or the channel count of the
  output (capped at 6, so a 4,096-unit layer does not hide the rest);
* **depth** (z): layers with a spatial output ``(C, H, W)`` ``0.4 + 0.35·log2(1 + H)``; the others
  are square (depth = height);
* thin layers (``flatten``, ``dropout``, ``batchnorm``) are plates with the height and depth of the
  block before them, so a flatten of 4,096 values does not dwarf the convolutions it follows;
* blocks are separated by ``GAP`` (0.3) along x; ``length`` is the total extent.

Colour (``color_by``): ``health`` — the layer's share of live units (``ArchitectureLayer.health``,
the dead-unit test of SCIENCE.md) on a red-amber-green scale, grey where unmeasured; ``accuracy``
— the trial's validation accuracy on the same scale for every layer with weights; ``kind`` — a
fixed colour per layer kind. Logarithmic sizes follow the usual practice of network diagrams
(e.g. Lenail's NN-SVG), which keeps a 10-unit and a 1,000-unit layer both visible.
"""

from __future__ import annotations

import math
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from neuralscope.search.contract import ArchitectureLayer

ColorBy = Literal["health", "accuracy", "kind"]
GAP = 0.3
MAX_SIDE = 6.0
UNMEASURED = "#8a94a6"
KIND_COLORS = {
    "input": "#64748b",
    "dense": "#2563eb",
    "conv2d": "#7c3aed",
    "maxpool2d": "#0891b2",
    "flatten": "#94a3b8",
    "dropout": "#cbd5e1",
    "batchnorm": "#a3a3a3",
    "embedding": "#db2777",
    "lstm": "#ea580c",
    "output": "#16a34a",
}
_THIN = {"flatten", "dropout", "batchnorm"}
_THICKNESS = {"dense": 0.35, "embedding": 0.35, "maxpool2d": 0.2, "input": 0.2, "output": 0.2}


class LayoutBlock(BaseModel):
    """One layer as a box: centre ``position`` and ``size`` are (x, y, z)."""

    model_config = ConfigDict(frozen=True)

    index: int
    kind: str
    label: str = Field(description="short human description, e.g. 'conv2d 32 filters 3x3 relu'")
    position: list[float] = Field(min_length=3, max_length=3)
    size: list[float] = Field(min_length=3, max_length=3)
    color: str = Field(description="#rrggbb")
    value: float | None = Field(description="the coloured quantity in [0, 1], None if unmeasured")
    layer: ArchitectureLayer


class ModelLayout(BaseModel):
    """The whole network along +x (see the module documentation for every formula)."""

    model_config = ConfigDict(frozen=True)

    version: Literal[1] = 1
    color_by: ColorBy
    length: float
    blocks: list[LayoutBlock]


def scale_color(value: float) -> str:
    """Red (0) through amber (0.5) to green (1), as ``#rrggbb``."""
    v = min(1.0, max(0.0, value))
    red, amber, green = (220, 38, 38), (217, 119, 6), (22, 163, 74)
    a, b, t = (red, amber, v * 2) if v < 0.5 else (amber, green, (v - 0.5) * 2)
    return "#" + "".join(f"{round(x + (y - x) * t):02x}" for x, y in zip(a, b, strict=True))


def _count(layer: ArchitectureLayer) -> int:
    for n in (layer.units, layer.filters):
        if n:
            return n
    shape = layer.output_shape
    return shape[0] if len(shape) == 3 else math.prod(shape) if shape else 1


def _side(n: int) -> float:
    return min(MAX_SIDE, 0.4 + 0.45 * math.log2(1 + n))


def _thickness(layer: ArchitectureLayer) -> float:
    if layer.kind == "conv2d":
        return 0.25 + 0.15 * (layer.kernel_size or 1)
    if layer.kind == "lstm":
        return 1.2 if layer.bidirectional else 0.8
    return 0.12 if layer.kind in _THIN else _THICKNESS.get(layer.kind, 0.25)


def _label(layer: ArchitectureLayer) -> str:
    parts: list[str] = [layer.kind]
    if layer.filters:
        parts.append(f"{layer.filters} filters")
    elif layer.units:
        parts.append(f"{layer.units} units")
    if layer.kernel_size:
        parts.append(f"{layer.kernel_size}x{layer.kernel_size}")
    if layer.bidirectional:
        parts.append("bidirectional")
    if layer.activation:
        parts.append(layer.activation)
    return " ".join(parts)


def _value(layer: ArchitectureLayer, color_by: ColorBy, accuracy: float | None) -> float | None:
    if color_by == "health":
        return layer.health
    if color_by == "accuracy" and layer.params > 0:
        return accuracy
    return None


def _color(layer: ArchitectureLayer, color_by: ColorBy, value: float | None) -> str:
    if color_by == "kind":
        return KIND_COLORS.get(layer.kind, UNMEASURED)
    return UNMEASURED if value is None else scale_color(value)


def model_layout(
    layers: list[ArchitectureLayer], color_by: ColorBy = "health", accuracy: float | None = None
) -> ModelLayout:
    """Place ``layers`` along +x; ``accuracy`` (in [0, 1]) colours ``color_by="accuracy"``."""
    sizes: list[tuple[float, float, float]] = []
    for layer in layers:
        height = _side(_count(layer))
        shape = layer.output_shape
        depth = min(MAX_SIDE, 0.4 + 0.35 * math.log2(1 + shape[1])) if len(shape) == 3 else height
        if layer.kind in _THIN and sizes:
            _, height, depth = sizes[-1]  # a plate the size of the block before it
        sizes.append((_thickness(layer), height, depth))
    length = sum(s[0] for s in sizes) + GAP * max(0, len(sizes) - 1)
    x = -length / 2
    blocks = []
    for index, (layer, (w, h, d)) in enumerate(zip(layers, sizes, strict=True)):
        value = _value(layer, color_by, accuracy)
        blocks.append(
            LayoutBlock(
                index=index,
                kind=layer.kind,
                label=_label(layer),
                position=[round(x + w / 2, 4), 0.0, 0.0],
                size=[round(w, 4), round(h, 4), round(d, 4)],
                color=_color(layer, color_by, value),
                value=value,
                layer=layer,
            )
        )
        x += w + GAP
    return ModelLayout(color_by=color_by, length=round(length, 4), blocks=blocks)
