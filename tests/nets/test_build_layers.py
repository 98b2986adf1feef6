"""The layer union: backwards-compatible JSON, shape inference, and modules that match it."""

from __future__ import annotations

import pytest
import torch
from pydantic import ValidationError
from torch import nn

from neuralscope.nets import (
    DenseLayer,
    NetSpec,
    SpecError,
    build_model,
    dropout_names,
    infer_shapes,
    shape_report,
)

CNN = {
    "layers": [
        {"type": "conv2d", "filters": 4, "kernel_size": 3, "padding": "same"},
        {"type": "maxpool2d", "pool_size": 2},
        {"type": "batchnorm"},
        {"type": "conv2d", "filters": 6, "kernel_size": 3, "stride": 1, "activation": "tanh"},
        {"type": "flatten"},
        {"type": "dropout", "p": 0.25},
        {"units": 12, "activation": "relu"},
        {"type": "batchnorm"},
    ]
}


def test_old_json_still_reads_as_dense() -> None:
    spec = NetSpec.model_validate({"layers": [{"units": 8, "activation": "tanh"}]})
    assert spec.layers == [DenseLayer(units=8, activation="tanh")]
    assert spec.model_dump()["layers"][0]["type"] == "dense"
    assert NetSpec.model_validate(spec.model_dump()) == spec


def test_unknown_type_is_refused() -> None:
    with pytest.raises(ValidationError, match="does not match any of the expected tags"):
        NetSpec.model_validate({"layers": [{"type": "lstm"}]})


def test_shapes_match_the_built_module_layer_by_layer() -> None:
    spec = NetSpec.model_validate(CNN)
    shapes = infer_shapes(spec, (1, 8, 8), 10)
    model = build_model(spec, (1, 8, 8), 10)
    x = torch.randn(3, 1, 8, 8)
    seen: dict[str, tuple[int, ...]] = {}
    for name, module in model.named_children():
        x = module(x)
        seen[name] = tuple(x.shape[1:])
    for s in shapes:
        assert seen[s.name] == s.output_shape, s.name
        params = sum(p.numel() for p in getattr(model, s.name).parameters())
        assert params == s.parameters, s.name
    assert [s.name for s in shapes] == [
        "conv1", "pool2", "bn3", "conv4", "flatten5", "dropout6", "dense7", "bn8", "output",
    ]  # fmt: skip
    assert shapes[3].output_shape == (6, 2, 2)
    assert isinstance(model.bn3, nn.BatchNorm2d)
    assert isinstance(model.bn8, nn.BatchNorm1d)
    assert isinstance(model.act4, nn.Tanh)
    assert dropout_names(spec) == ["dropout6"]


@pytest.mark.parametrize(
    ("layers", "input_shape", "field", "message"),
    [
        ([{"type": "conv2d", "filters": 2}], (2,), "layers.0.type", "needs \\(channels"),
        ([{"type": "flatten"}, {"type": "flatten"}], (1, 8, 8), "layers.1.type", "already flat"),
        ([{"type": "conv2d", "filters": 2, "kernel_size": 9}], (1, 8, 8),
         "layers.0.kernel_size", "larger"),
        ([{"type": "maxpool2d", "pool_size": 9}], (1, 8, 8), "layers.0.pool_size", "larger"),
        ([{"units": 4}], (1, 8, 8), "layers.0.type", "add a Flatten"),
        ([{"type": "conv2d", "filters": 2}], (1, 8, 8), "layers.0", "needs flat input"),
        ([], (1, 8, 8), "layers", "needs flat input"),
        ([{"type": "conv2d", "filters": 2, "kernel_size": 2, "padding": "same"}], (1, 8, 8),
         "layers.0.kernel_size", "odd kernel"),
    ],
)  # fmt: skip
def test_invalid_graphs_name_the_field(
    layers: list[dict[str, object]], input_shape: tuple[int, ...], field: str, message: str
) -> None:
    spec = NetSpec.model_validate({"layers": layers})
    with pytest.raises(SpecError, match=message) as info:
        infer_shapes(spec, input_shape, 3)
    assert info.value.field == field
    with pytest.raises(SpecError):
        build_model(spec, input_shape, 3)


def test_shape_report_keeps_the_layers_before_the_problem() -> None:
    spec = NetSpec.model_validate({"layers": [{"units": 5}, {"type": "maxpool2d"}]})
    layers, error = shape_report(spec, (2,), 1)
    assert [s.name for s in layers] == ["dense1"]
    assert error is not None
    assert error.field == "layers.1.type"


def test_dense_names_are_unchanged() -> None:
    model = build_model(NetSpec.mlp([3, 2]), 2, 1)
    assert [n for n, _ in model.named_children()] == ["dense1", "act1", "dense2", "act2", "output"]


def test_derived_features_run_inside_the_model() -> None:
    model = build_model(NetSpec.mlp([3]), 2, 1, features=["x1_x2", "sin_x1"])
    assert model.dense1.in_features == 4
    x = torch.tensor([[2.0, 3.0]])
    torch.testing.assert_close(model.features(x), torch.tensor([[2.0, 3.0, 6.0, 0.9092974]]))


def test_short_names() -> None:
    assert NetSpec.mlp([8, 8], "relu").short_name() == "8-8 relu"
    assert NetSpec().short_name() == "linear"
    assert NetSpec.model_validate(CNN).short_name() == "conv4-pool-bn-conv6-flatten-dropout-12-bn"
