"""Spec -> nn.Module: names, shapes, activations, parameter counts, and spec validation."""

from __future__ import annotations

import pytest
from pydantic import ValidationError
from torch import nn

from neuralscope.nets import DenseLayer, NetSpec, build_model, hidden_layer_names


def test_mlp_has_named_layers_shapes_and_activations() -> None:
    spec = NetSpec(
        layers=[DenseLayer(units=8, activation="relu"), DenseLayer(units=4, activation="sigmoid")]
    )
    model = build_model(spec, in_features=2, out_features=1)

    assert [name for name, _ in model.named_children()] == [
        "dense1",
        "act1",
        "dense2",
        "act2",
        "output",
    ]
    assert model.dense1.weight.shape == (8, 2)
    assert model.dense2.weight.shape == (4, 8)
    assert model.output.weight.shape == (1, 4)
    assert isinstance(model.act1, nn.ReLU)
    assert isinstance(model.act2, nn.Sigmoid)
    # (2*8 + 8) + (8*4 + 4) + (4*1 + 1)
    assert sum(p.numel() for p in model.parameters()) == 65
    assert hidden_layer_names(spec) == ["act1", "act2"]


@pytest.mark.parametrize(
    ("activation", "module"),
    [
        ("relu", nn.ReLU),
        ("tanh", nn.Tanh),
        ("sigmoid", nn.Sigmoid),
        ("linear", nn.Identity),
        ("gelu", nn.GELU),
    ],
)
def test_each_activation_maps_to_its_module(activation: str, module: type[nn.Module]) -> None:
    spec = NetSpec.model_validate({"layers": [{"units": 3, "activation": activation}]})
    assert type(build_model(spec, 2, 1).act1) is module


def test_empty_spec_is_logistic_regression() -> None:
    model = build_model(NetSpec(), in_features=2, out_features=1)
    assert [name for name, _ in model.named_children()] == ["output"]
    assert sum(p.numel() for p in model.parameters()) == 3
    assert hidden_layer_names(NetSpec()) == []


def test_default_activation_is_tanh() -> None:
    assert NetSpec.mlp([5]).layers[0].activation == "tanh"


@pytest.mark.parametrize(
    "raw",
    [
        {"layers": [{"units": 0}]},
        {"layers": [{"units": 1025}]},
        {"layers": [{"units": 4}] * 33},
        {"layers": [{"units": 4, "activation": "swish"}]},
        {"layers": [{"units": 4, "dropout": 0.5}]},
        {"layers": [], "optimizer": "adam"},
        {"layers": [{"type": "conv", "units": 4}]},
    ],
    ids=[
        "zero-units",
        "too-wide",
        "too-deep",
        "unknown-activation",
        "extra-layer-field",
        "extra-spec-field",
        "unknown-type",
    ],
)
def test_invalid_specs_are_rejected(raw: dict[str, object]) -> None:
    with pytest.raises(ValidationError):
        NetSpec.model_validate(raw)
