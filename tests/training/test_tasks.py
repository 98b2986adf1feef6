"""Multi-class and regression sessions, L1 and dropout steering, and their boundaries."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from torch import nn

from neuralscope.data import DataConfig
from neuralscope.nets import NetSpec
from neuralscope.training import (
    Hyperparameters,
    HyperparameterUpdate,
    ProbeConfig,
    Session,
    SessionConfig,
    SessionProbes,
    boundary_payload,
)


def _run(config: SessionConfig, steps: int) -> Session:
    session = Session(config)
    session.start()
    for _ in range(steps):
        session.step()
    return session


def test_multiclass_blobs_learn_with_cross_entropy() -> None:
    config = SessionConfig(
        spec=NetSpec.mlp([8]),
        data=DataConfig(dataset="blobs", n_classes=4, n_samples=400),
        hyperparameters=Hyperparameters(optimizer="adam", learning_rate=0.03),
    )
    session = _run(config, 300)
    assert isinstance(session._loss_fn, nn.CrossEntropyLoss)
    assert session.model.output.out_features == 4
    assert session.evaluate("val").accuracy > 0.95


def test_regression_plane_learns_with_mse() -> None:
    config = SessionConfig(
        spec=NetSpec.mlp([4]),
        data=DataConfig(dataset="plane", n_samples=300),
        hyperparameters=Hyperparameters(optimizer="adam", learning_rate=0.02),
    )
    session = _run(config, 400)
    _, _, values = session.evaluate_all()
    assert values["val/r2"] > 0.9
    assert np.isnan(session.evaluate("val").accuracy)


def test_probe_events_per_task() -> None:
    for dataset, shape, dtype in (
        ("blobs", [30, 30, 2], "uint8"),
        ("plane", [30, 30], "float16"),
        ("sine", [30], "float16"),
        ("circle", [30, 30], "uint8"),
    ):
        session = _run(SessionConfig(data=DataConfig(dataset=dataset, n_samples=60)), 1)  # type: ignore[arg-type]
        probes = SessionProbes(session, "r", ProbeConfig(boundary_resolution=30))
        events = {e.kind.value: e for e in probes.snapshot()}
        values = events["boundary"].payload.values  # type: ignore[union-attr]
        assert (values.shape, values.dtype) == (shape, dtype), dataset
        metrics = events["metrics"].payload.values  # type: ignore[union-attr]
        if dataset in ("plane", "sine"):
            assert {"val/r2", "train/mse"} <= set(metrics)
            assert "val/accuracy" not in metrics
        else:
            assert {"val/accuracy", "val/f1", "train/precision", "val/recall"} <= set(metrics)


def test_multiclass_boundary_is_argmax_and_confidence() -> None:
    model = nn.Linear(2, 3)
    with torch.no_grad():
        model.weight.copy_(torch.tensor([[1.0, 0.0], [-1.0, 0.0], [0.0, 0.0]]))
        model.bias.zero_()
    grid = boundary_payload(model, (-6, 6), 4, task="multiclass").values.to_numpy()
    assert grid[0, :, 0].tolist() == [1, 1, 0, 0]  # x < 0: class 1; x > 0: class 0
    probs = torch.softmax(torch.tensor([[-4.5, 4.5, 0.0]]), dim=1)
    assert grid[0, 0, 1] == round(float(probs.max()) * 255)


def test_l1_is_an_added_penalty_and_shrinks_weights() -> None:
    base = SessionConfig(spec=NetSpec.mlp([8]), data=DataConfig(dataset="circle"), seed=1)
    plain = _run(base, 200)
    l1 = base.model_copy(update={"hyperparameters": Hyperparameters(l1=0.01)})
    sparse = _run(l1, 200)
    assert sparse.model.dense1.weight.abs().sum() < plain.model.dense1.weight.abs().sum()
    with torch.no_grad():
        penalty = sparse.l1_penalty()
        expected = 0.01 * sum(
            p.abs().sum() for n, p in sparse.model.named_parameters() if n.endswith("weight")
        )
    assert penalty is not None
    assert float(penalty) == pytest.approx(float(expected))


def test_dropout_is_steerable_and_each_change_is_reported() -> None:
    spec = NetSpec.model_validate({"layers": [{"units": 8}, {"type": "dropout", "p": 0.5}]})
    session = _run(SessionConfig(spec=spec, data=DataConfig(dataset="xor")), 1)
    assert session.model.dropout2.p == 0.5
    changes = session.set_hyperparameters(HyperparameterUpdate(dropout=0.1, l1=0.001))
    assert {(c.name, c.old, c.new) for c in changes} == {("dropout", -1.0, 0.1), ("l1", 0.0, 0.001)}
    assert session.model.dropout2.p == 0.1
    session.set_hyperparameters(HyperparameterUpdate(dropout=-1))
    assert session.model.dropout2.p == 0.5


def test_precision_recall_f1_curves_ride_along_on_their_own_beat() -> None:
    session = _run(SessionConfig(data=DataConfig(dataset="circle", n_samples=60)), 0)
    probes = SessionProbes(session, "r", ProbeConfig(metrics_every=1, curves_every=5))
    seen = {}
    for _ in range(5):
        result = session.step()
        (event,) = [e for e in probes.after_step(result) if e.kind.value == "metrics"]
        seen[result.step] = set(event.payload.values)  # type: ignore[union-attr]
    assert "val/f1" in seen[5]
    assert "val/f1" not in seen[3]
    assert "val/accuracy" in seen[3]
