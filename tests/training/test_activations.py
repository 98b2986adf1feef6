"""Activation heatmaps: the probe batch, the values (against a hand-written forward pass),
the size cap, and the events SessionProbes emits."""

from __future__ import annotations

import math

import numpy as np
import torch
from torch import nn

from neuralscope.data import DataConfig
from neuralscope.events import ActivationsEvent, EventKind, parse_event
from neuralscope.nets import NetSpec, build_model
from neuralscope.training import (
    Hyperparameters,
    ProbeConfig,
    Session,
    SessionConfig,
    SessionProbes,
)
from neuralscope.training.activations import (
    MAX_SAMPLES,
    MAX_UNITS,
    activations_payload,
    probe_indices,
)


def test_probe_batch_takes_every_class_in_turn_and_sorts_by_class() -> None:
    labels = torch.tensor([0] * 100 + [1] * 5 + [2] * 30)[torch.randperm(135)]
    order = probe_indices(labels, "multiclass", 64)
    picked = labels[order]
    assert order.shape == (64,)
    assert len(set(order.tolist())) == 64
    assert torch.equal(picked, picked.sort().values)  # sorted by class
    counts = torch.bincount(picked, minlength=3).tolist()
    assert counts == [30, 5, 29]  # the rare class gets all its 5; the rest share fairly
    for k in range(3):  # within a class: its earliest samples, in order
        mine = order[picked == k]
        assert mine.tolist() == torch.nonzero(labels == k).flatten()[: counts[k]].tolist()


def test_probe_batch_of_a_small_set_is_all_of_it_and_regression_sorts_by_target() -> None:
    labels = torch.tensor([[1.0], [0.0], [1.0]])
    assert sorted(probe_indices(labels, "binary").tolist()) == [0, 1, 2]
    targets = torch.tensor([[0.5], [-2.0], [3.0], [0.0]] * 20)
    order = probe_indices(targets, "regression", 64)
    assert order.shape == (64,)
    assert set(order.tolist()) <= set(range(64))  # the first 64, reordered
    values = targets[order, 0]
    assert torch.equal(values, values.sort().values)


def _mlp(hidden: list[int]) -> nn.Sequential:
    torch.manual_seed(0)
    return build_model(NetSpec.mlp(hidden, "relu"), 2, 1)


def test_values_equal_a_hand_written_forward_pass() -> None:
    model = _mlp([5, 3])
    model.train()
    x = torch.randn(20, 2)
    payload = activations_payload(model, ["act1", "act2"], x, [0] * 20, "probe")
    assert payload is not None
    # Oracle: the layers' maths written out with the weights, no hooks, no modules.
    w1, b1 = model.dense1.weight.detach(), model.dense1.bias.detach()
    w2, b2 = model.dense2.weight.detach(), model.dense2.bias.detach()
    h1 = torch.clamp(x @ w1.T + b1, min=0)
    h2 = torch.clamp(h1 @ w2.T + b2, min=0)
    first, second = payload.layers
    assert (first.layer, first.units, second.layer, second.units) == ("act1", 5, "act2", 3)
    for got, want in ((first.values.to_numpy(), h1), (second.values.to_numpy(), h2)):
        assert got.dtype == np.float16
        assert got.shape == tuple(want.shape)
        np.testing.assert_allclose(got.astype(np.float32), want.numpy(), rtol=1e-3, atol=1e-3)
    assert payload.labels == [0] * 20
    assert model.training  # the mode is restored
    assert all(not m._forward_hooks for m in model.modules())  # and the hooks removed


def test_a_wide_layer_is_capped_and_the_event_stays_small() -> None:
    model = _mlp([300])
    x = torch.randn(MAX_SAMPLES + 10, 2)
    payload = activations_payload(model, ["act1"], x[:MAX_SAMPLES], [], "probe")
    assert payload is not None
    (layer,) = payload.layers
    assert layer.units == 300
    assert layer.values.shape == [MAX_SAMPLES, MAX_UNITS]
    # 64 x 64 float16 = 8 KiB, base64 about 11 KiB: the cap the docs state.
    assert len(payload.model_dump_json()) < 12_000


def test_non_finite_activations_send_nothing() -> None:
    model = _mlp([4])
    with torch.no_grad():
        model.dense1.bias.fill_(math.inf)
    assert activations_payload(model, ["act1"], torch.randn(3, 2), [0, 0, 1], "p") is None


def test_session_probes_emit_the_heatmaps_of_the_fixed_probe_batch() -> None:
    session = Session(
        SessionConfig(
            spec=NetSpec.mlp([6, 4], "tanh"),
            data=DataConfig(dataset="blobs", n_samples=200, n_classes=3),
            hyperparameters=Hyperparameters(optimizer="adam", learning_rate=0.01),
        )
    )
    session.start()
    probes = SessionProbes(session, "r", ProbeConfig(activations_every=5))
    found: list[ActivationsEvent] = []
    for _ in range(10):
        for event in probes.after_step(session.step()):
            if isinstance(event, ActivationsEvent):
                found.append(event)
    assert [e.step for e in found] == [5, 10]
    event = found[-1]
    assert parse_event(event.model_dump_json()) == event
    payload = event.payload
    data = session.dataset
    assert payload.probe == f"validation (64 of {data.x_val.shape[0]}, by class)"
    assert payload.labels == sorted(payload.labels)
    assert set(payload.labels) == {0, 1, 2}
    # Oracle: the session's model on the same samples, layer by layer, by hand.
    order = probe_indices(data.y_val, "multiclass")
    assert data.y_val[order].tolist() == payload.labels
    model = session.model
    with torch.no_grad():
        h1 = torch.tanh(data.x_val[order] @ model.dense1.weight.T + model.dense1.bias)
        h2 = torch.tanh(h1 @ model.dense2.weight.T + model.dense2.bias)
    for layer, want in zip(payload.layers, (h1, h2), strict=True):
        np.testing.assert_allclose(layer.values.to_numpy(), want.numpy(), atol=2e-3)
    # A pause's snapshot carries a frame too, unless this step already has one.
    assert EventKind.ACTIVATIONS not in {e.kind for e in probes.snapshot()}
    session.step()
    assert EventKind.ACTIVATIONS in {e.kind for e in probes.snapshot()}
