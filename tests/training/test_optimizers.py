"""Optimizers by name, and what a mid-run switch carries over."""

from __future__ import annotations

import pytest
import torch

from neuralscope.data import DataConfig
from neuralscope.nets import NetSpec
from neuralscope.training import (
    Hyperparameters,
    HyperparameterUpdate,
    OptimizerName,
    Session,
    SessionConfig,
)
from neuralscope.training.optimizers import build_optimizer


def trained(optimizer: OptimizerName, steps: int = 5, momentum: float = 0.9) -> Session:
    session = Session(
        SessionConfig(
            spec=NetSpec.mlp([4], "tanh"),
            data=DataConfig(dataset="xor", n_samples=100),
            hyperparameters=Hyperparameters(optimizer=optimizer, momentum=momentum),
        )
    )
    session.start()
    for _ in range(steps):
        session.step()
    return session


def state_of(session: Session, key: str) -> list[torch.Tensor]:
    return [session.optimizer.state[p][key].clone() for p in session.model.parameters()]


@pytest.mark.parametrize(
    ("name", "kind", "options"),
    [
        ("sgd", torch.optim.SGD, {"momentum": 0.0, "nesterov": False}),
        ("momentum", torch.optim.SGD, {"momentum": 0.9, "nesterov": False}),
        ("nesterov", torch.optim.SGD, {"momentum": 0.9, "nesterov": True}),
        ("adam", torch.optim.Adam, {}),
        ("adamw", torch.optim.AdamW, {}),
        ("rmsprop", torch.optim.RMSprop, {"momentum": 0.9}),
        ("adagrad", torch.optim.Adagrad, {}),
    ],
)
def test_names_map_to_torch_optimizers(
    name: OptimizerName, kind: type[torch.optim.Optimizer], options: dict[str, object]
) -> None:
    params = [torch.nn.Parameter(torch.zeros(3))]
    hp = Hyperparameters(optimizer=name, learning_rate=0.2, weight_decay=0.01, momentum=0.9)
    optimizer = build_optimizer(params, hp)
    assert type(optimizer) is kind
    group = optimizer.param_groups[0]
    assert group["lr"] == 0.2
    assert group["weight_decay"] == 0.01
    for key, value in options.items():
        assert group[key] == value


def test_nesterov_without_momentum_still_builds() -> None:
    hp = Hyperparameters(optimizer="nesterov", momentum=0.0)
    optimizer = build_optimizer([torch.nn.Parameter(torch.zeros(2))], hp)
    assert optimizer.param_groups[0]["momentum"] == 0.0


def test_momentum_to_nesterov_keeps_momentum_buffers() -> None:
    session = trained("momentum")
    buffers = state_of(session, "momentum_buffer")
    old = session.optimizer
    session.set_hyperparameters(HyperparameterUpdate(optimizer="nesterov"))
    assert session.optimizer is not old
    assert session.optimizer.param_groups[0]["nesterov"] is True
    carried = state_of(session, "momentum_buffer")
    assert all(torch.equal(a, b) for a, b in zip(buffers, carried, strict=True))
    assert any(b.abs().sum() > 0 for b in carried)
    session.step()  # the carried state is usable


def test_adam_to_adamw_keeps_moments_and_step_count() -> None:
    session = trained("adam", steps=6)
    exp_avg, exp_avg_sq = state_of(session, "exp_avg"), state_of(session, "exp_avg_sq")
    session.set_hyperparameters(HyperparameterUpdate(optimizer="adamw"))
    assert type(session.optimizer) is torch.optim.AdamW
    assert all(
        torch.equal(a, b) for a, b in zip(exp_avg, state_of(session, "exp_avg"), strict=True)
    )
    assert all(
        torch.equal(a, b) for a, b in zip(exp_avg_sq, state_of(session, "exp_avg_sq"), strict=True)
    )
    assert [s.item() for s in state_of(session, "step")] == [6.0] * len(exp_avg)
    session.step()
    assert [s.item() for s in state_of(session, "step")] == [7.0] * len(exp_avg)


def test_switch_leaves_the_old_optimizer_state_intact() -> None:
    session = trained("adam", steps=3)
    old = session.optimizer
    session.set_hyperparameters(HyperparameterUpdate(optimizer="adamw"))
    session.step()
    assert all(old.state[p]["step"].item() == 3.0 for p in session.model.parameters())


@pytest.mark.parametrize(
    ("before", "after"),
    [("sgd", "adam"), ("momentum", "rmsprop"), ("adam", "momentum"), ("rmsprop", "adagrad")],
)
def test_switch_across_families_starts_fresh(before: OptimizerName, after: OptimizerName) -> None:
    session = trained(before)
    assert session.optimizer.state or before == "sgd"
    changes = session.set_hyperparameters(HyperparameterUpdate(optimizer=after))
    assert [(c.name, c.old, c.new) for c in changes] == [("optimizer", before, after)]
    # Fresh: no state, or (Adagrad allocates eagerly) only zeros.
    fresh = [v for state in session.optimizer.state.values() for v in state.values()]
    assert all(torch.count_nonzero(v) == 0 for v in fresh)
    session.step()


def test_rmsprop_momentum_can_be_raised_mid_run() -> None:
    session = trained("rmsprop", momentum=0.0)
    session.set_hyperparameters(HyperparameterUpdate(momentum=0.5))
    session.step()  # torch would miss the momentum buffer it never allocated
    assert session.optimizer.param_groups[0]["momentum"] == 0.5
    assert all("momentum_buffer" in s for s in session.optimizer.state.values())


def test_switch_with_learning_rate_applies_both() -> None:
    session = trained("sgd")
    session.set_hyperparameters(HyperparameterUpdate(optimizer="adam", learning_rate=0.001))
    assert type(session.optimizer) is torch.optim.Adam
    assert session.optimizer.param_groups[0]["lr"] == 0.001
