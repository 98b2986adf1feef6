"""The 3-D layout: its documented formulas, checked by hand on a small CNN and an LSTM."""

from __future__ import annotations

import math

import pytest
from tests.search.catalog_helpers import architecture

from neuralscope.search.contract import ArchitectureLayer
from neuralscope.search.layout import GAP, KIND_COLORS, UNMEASURED, model_layout, scale_color


def test_blocks_follow_the_documented_sizes_along_x() -> None:
    layers = architecture(units=64, health=0.5)  # input, conv2d 8x3x3, flatten, dense 64, output
    layout = model_layout(layers, "kind")
    conv, dense = layout.blocks[1], layout.blocks[3]
    assert conv.size[0] == pytest.approx(0.25 + 0.15 * 3)
    assert conv.size[1] == pytest.approx(0.4 + 0.45 * math.log2(1 + 8), abs=1e-4)
    assert conv.size[2] == pytest.approx(0.4 + 0.35 * math.log2(1 + 8), abs=1e-4)  # H = 8
    assert dense.size[1] == dense.size[2] == pytest.approx(0.4 + 0.45 * math.log2(65), abs=1e-4)
    widths = [b.size[0] for b in layout.blocks]
    assert layout.length == pytest.approx(sum(widths) + GAP * (len(widths) - 1), abs=1e-3)
    xs = [b.position[0] for b in layout.blocks]
    assert xs == sorted(xs)
    assert xs[0] - widths[0] / 2 == pytest.approx(-layout.length / 2, abs=1e-3)  # centred
    for a, b in zip(layout.blocks, layout.blocks[1:], strict=False):  # no overlap, GAP apart
        gap = (b.position[0] - b.size[0] / 2) - (a.position[0] + a.size[0] / 2)
        assert gap == pytest.approx(GAP, abs=1e-3)
    assert [b.color for b in layout.blocks] == [KIND_COLORS[b.kind] for b in layout.blocks]
    assert conv.label == "conv2d 8 filters 3x3 relu"
    flatten = layout.blocks[2]
    assert (flatten.size[0], flatten.size[1:]) == (0.12, conv.size[1:])  # a plate like the conv


def test_wider_layers_are_taller_but_never_taller_than_the_cap() -> None:
    small = model_layout(architecture(units=8, health=1.0)).blocks[3]
    wide = model_layout(architecture(units=256, health=1.0)).blocks[3]
    assert small.size[1] < wide.size[1]
    huge = ArchitectureLayer(kind="dense", output_shape=[10**9], units=10**9, params=1)
    assert model_layout([huge]).blocks[0].size[1] == 6.0


def test_health_colours_dead_layers_red_and_unmeasured_grey() -> None:
    layers = [
        ArchitectureLayer(kind="dense", output_shape=[8], units=8, params=10, health=0.0),
        ArchitectureLayer(kind="dense", output_shape=[8], units=8, params=10, health=1.0),
        ArchitectureLayer(kind="dropout", output_shape=[8]),
    ]
    blocks = model_layout(layers, "health").blocks
    assert [b.color for b in blocks] == ["#dc2626", "#16a34a", UNMEASURED]
    assert [b.value for b in blocks] == [0.0, 1.0, None]
    assert scale_color(0.5) == "#d97706"


def test_accuracy_colours_every_layer_with_weights() -> None:
    layout = model_layout(architecture(units=16, health=0.2), "accuracy", accuracy=1.0)
    assert [b.color for b in layout.blocks] == [
        UNMEASURED,  # input: no weights
        "#16a34a",
        UNMEASURED,  # flatten
        "#16a34a",
        "#16a34a",
    ]


def test_lstm_blocks_are_thicker_when_bidirectional() -> None:
    lstm = ArchitectureLayer(kind="lstm", output_shape=[32], units=32, params=1)
    bi = lstm.model_copy(update={"bidirectional": True})
    one, two = model_layout([lstm, bi]).blocks
    assert (one.size[0], two.size[0]) == (0.8, 1.2)
    assert two.label == "lstm 32 units bidirectional"
