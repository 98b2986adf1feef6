"""Probes on any nn.Module: gradient norms and layer statistics against independent oracles."""

from __future__ import annotations

import pytest
import torch
from torch import nn

from neuralscope.monitor import gradient_norms, layer_stats
from neuralscope.nets import NetSpec, build_model


@pytest.fixture
def model() -> nn.Sequential:
    torch.manual_seed(0)
    return build_model(NetSpec.mlp([10, 6], "relu"), in_features=2, out_features=1)


@pytest.fixture
def inputs() -> torch.Tensor:
    return torch.linspace(-6, 6, 400).reshape(200, 2)


def assert_no_hooks(model: nn.Module) -> None:
    assert all(not m._forward_hooks for m in model.modules())


def test_gradient_norms_match_vector_norm(model: nn.Sequential, inputs: torch.Tensor) -> None:
    model.dense1.bias.requires_grad_(False)  # no gradient: must be left out
    model(inputs).pow(2).mean().backward()
    payload = gradient_norms(model)
    names = [n.parameter for n in payload.norms]
    assert names == [
        "dense1.weight",
        "dense2.weight",
        "dense2.bias",
        "output.weight",
        "output.bias",
    ]
    params = dict(model.named_parameters())
    for entry in payload.norms:
        grad = params[entry.parameter].grad
        assert grad is not None
        assert entry.norm == pytest.approx(torch.linalg.vector_norm(grad).item(), rel=1e-6)


def test_gradient_norms_empty_without_gradients(model: nn.Sequential) -> None:
    assert gradient_norms(model).norms == []


def test_layer_stats_match_a_manual_forward(model: nn.Sequential, inputs: torch.Tensor) -> None:
    payload = layer_stats(model, ["dense1", "act1", "act2"], inputs, "grid (200 samples)")
    with torch.no_grad():
        dense1 = model.dense1(inputs)
        act1 = model.act1(dense1)
        act2 = model.act2(model.dense2(act1))
    assert payload.probe == "grid (200 samples)"
    assert [s.layer for s in payload.layers] == ["dense1", "act1", "act2"]
    for stat, output in zip(payload.layers, [dense1, act1, act2], strict=True):
        assert stat.mean == pytest.approx(output.mean().item(), rel=1e-5, abs=1e-7)
        assert stat.std == pytest.approx(output.std().item(), rel=1e-5)
        dead = (output.max(dim=0).values <= 0).float().mean().item()
        assert stat.dead_fraction == pytest.approx(dead)


def test_planted_dead_units_are_counted_exactly(model: nn.Sequential, inputs: torch.Tensor) -> None:
    with torch.no_grad():
        # |w . x| <= ~10 on this probe set: +100 keeps a unit alive, -100 kills it.
        model.dense1.bias.fill_(100.0)
        model.dense1.bias[[1, 4, 7]] = -100.0
    payload = layer_stats(model, ["act1"], inputs, "grid")
    assert payload.layers[0].dead_fraction == 3 / 10


def test_sigmoid_units_are_never_dead(inputs: torch.Tensor) -> None:
    net = build_model(NetSpec.mlp([5], "sigmoid"), 2, 1)
    with torch.no_grad():
        # outputs near 0 but still positive (at -100 float32 would round them to exactly 0)
        net.dense1.bias.fill_(-10.0)
    assert layer_stats(net, ["act1"], inputs, "grid").layers[0].dead_fraction == 0.0


def test_channels_are_the_units_of_a_conv_output() -> None:
    net = nn.Sequential(nn.Conv2d(1, 4, 3), nn.ReLU())
    with torch.no_grad():
        net[0].bias.copy_(torch.tensor([-100.0, 100.0, -100.0, 100.0]))
    images = torch.rand(8, 1, 6, 6)
    stat = layer_stats(net, ["1"], images, "random images").layers[0]
    assert stat.dead_fraction == 0.5
    with torch.no_grad():
        output = net(images)
    assert stat.mean == pytest.approx(output.mean().item(), rel=1e-5)


def test_hooks_are_removed_and_modes_restored(model: nn.Sequential, inputs: torch.Tensor) -> None:
    model.train()
    model.act1.eval()  # a user may keep parts in eval mode on purpose
    layer_stats(model, ["act1", "act2"], inputs, "grid")
    assert_no_hooks(model)
    assert model.training
    assert not model.act1.training
    assert model.act2.training


def test_hooks_are_removed_when_the_forward_raises(model: nn.Sequential) -> None:
    model.train()
    wrong_width = torch.zeros(5, 3)
    with pytest.raises(RuntimeError):
        layer_stats(model, ["act1", "act2"], wrong_width, "broken")
    assert_no_hooks(model)
    assert all(m.training for m in model.modules())


def test_unknown_or_silent_layers_are_errors(model: nn.Sequential, inputs: torch.Tensor) -> None:
    with pytest.raises(KeyError, match="nope"):
        layer_stats(model, ["act1", "nope"], inputs, "grid")

    class Skips(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.used, self.unused = nn.Linear(2, 2), nn.Linear(2, 2)

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            return self.used(x)

    skips = Skips()
    with pytest.raises(ValueError, match="unused"):
        layer_stats(skips, ["used", "unused"], inputs, "grid")
    assert_no_hooks(model)
    assert_no_hooks(skips)


def test_stats_survive_in_place_activations(inputs: torch.Tensor) -> None:
    net = nn.Sequential(nn.Linear(2, 4), nn.ReLU(inplace=True))
    with torch.no_grad():
        pre = net[0](inputs)
    stat = layer_stats(net, ["0"], inputs, "grid").layers[0]
    assert stat.mean == pytest.approx(pre.mean().item(), rel=1e-5)  # measured before the ReLU
