"""Session: learning, reproducibility, batches, steering, divergence, evaluation."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch

from neuralscope.data import DataConfig
from neuralscope.events import HyperparameterChange, RunStatus
from neuralscope.findings import Severity
from neuralscope.nets import NetSpec
from neuralscope.training import (
    Hyperparameters,
    HyperparameterUpdate,
    IllegalTransition,
    Session,
    SessionConfig,
)


def make_config(seed: int = 0, max_steps: int | None = None, **hp: object) -> SessionConfig:
    return SessionConfig(
        spec=NetSpec.mlp([8, 8], "tanh"),
        data=DataConfig(dataset="circle", n_samples=500),
        hyperparameters=Hyperparameters.model_validate(hp),
        seed=seed,
        max_steps=max_steps,
    )


def running(config: SessionConfig | None = None) -> Session:
    session = Session(config or make_config())
    session.start()
    return session


def losses(session: Session, n: int) -> list[float]:
    return [session.step().loss for _ in range(n)]


def plant_nan(session: Session) -> None:
    with torch.no_grad():
        session.model.output.bias.fill_(math.nan)


# -- learning and reproducibility ------------------------------------------------------------


def test_loss_falls_on_circle() -> None:
    session = running(make_config(optimizer="adam", learning_rate=0.03))
    before = session.evaluate("train").loss
    losses(session, 300)
    after = session.evaluate("train")
    assert after.loss < 0.25 * before
    assert after.accuracy > 0.95


def test_same_seed_gives_identical_losses() -> None:
    config = make_config(seed=7, optimizer="momentum")
    assert losses(running(config), 60) == losses(running(config), 60)


def test_different_seed_gives_different_losses() -> None:
    assert losses(running(make_config(seed=1)), 20) != losses(running(make_config(seed=2)), 20)


def test_global_random_state_is_untouched() -> None:
    torch_state = torch.get_rng_state()
    numpy_state = np.random.get_state()[1].copy()
    session = running(make_config(batch_size=7))
    session.epoch_steps()
    session.set_hyperparameters(HyperparameterUpdate(optimizer="adam"))
    losses(session, 5)
    assert torch.equal(torch_state, torch.get_rng_state())
    assert np.array_equal(numpy_state, np.random.get_state()[1])


# -- completion ------------------------------------------------------------------------------


def test_max_steps_completes_the_run() -> None:
    session = running(make_config(max_steps=5))
    results = [session.step() for _ in range(5)]
    assert [r.status for r in results] == [RunStatus.RUNNING] * 4 + [RunStatus.COMPLETED]
    assert session.status is RunStatus.COMPLETED
    assert session.global_step == 5
    with pytest.raises(IllegalTransition):
        session.step()


# -- batches and epochs ---------------------------------------------------------------------


def test_epoch_covers_the_training_set_once() -> None:
    session = running(make_config(batch_size=32))
    n_train = session.dataset.x_train.shape[0]
    results = session.epoch_steps()
    assert session.epoch == 1
    assert sum(r.batch_size for r in results) == n_train
    assert [r.batch_size for r in results[:-1]] == [32] * (len(results) - 1)
    assert results[-1].batch_size == n_train - 32 * (len(results) - 1)
    assert [r.step for r in results] == list(range(1, len(results) + 1))


def test_each_epoch_visits_every_sample_once_in_a_new_order() -> None:
    # A learning rate of 1e-9 leaves the model as it is, so every batch is scored by the same
    # function: the mean of 25 equal-sized batch means is then the full training-set loss.
    session = running(make_config(learning_rate=1e-9, batch_size=10))
    full = session.evaluate("train").loss
    first = [r.loss for r in session.epoch_steps()]
    second = [r.loss for r in session.epoch_steps()]
    assert len(first) == len(second) == 25
    assert sum(first) / 25 == pytest.approx(full, rel=1e-5)
    assert sum(second) / 25 == pytest.approx(full, rel=1e-5)
    assert first != second  # reshuffled


def test_full_batch_step_scores_the_whole_training_set() -> None:
    session = running(make_config(batch_size=100_000))
    full = session.evaluate("train").loss
    result = session.step()
    assert result.batch_size == session.dataset.x_train.shape[0]
    assert result.loss == pytest.approx(full, rel=1e-6)
    assert session.epoch == 1


def test_epoch_steps_stop_when_the_run_completes() -> None:
    session = running(make_config(max_steps=3, batch_size=10))
    assert len(session.epoch_steps()) == 3
    assert session.epoch == 0


def test_batch_size_change_applies_to_the_next_batch() -> None:
    session = running(make_config(batch_size=10))
    assert session.step().batch_size == 10
    changes = session.set_hyperparameters(HyperparameterUpdate(batch_size=25))
    assert changes == [HyperparameterChange(name="batch_size", old=10, new=25)]
    assert session.step().batch_size == 25


# -- steering -------------------------------------------------------------------------------


def test_learning_rate_change_takes_effect() -> None:
    steered, control = running(), running()
    losses(steered, 5)
    losses(control, 5)
    changes = steered.set_hyperparameters(HyperparameterUpdate(learning_rate=0.3, momentum=0.9))
    # momentum 0.9 is the default already: only the learning rate is reported
    assert changes == [HyperparameterChange(name="learning_rate", old=0.03, new=0.3)]
    assert all(g["lr"] == 0.3 for g in steered.optimizer.param_groups)
    after_steered, after_control = losses(steered, 5), losses(control, 5)
    assert after_steered[0] == after_control[0]  # the first batch is scored before the update
    assert after_steered[1:] != after_control[1:]


def test_unchanged_update_reports_nothing() -> None:
    session = running()
    assert session.set_hyperparameters(HyperparameterUpdate()) == []
    assert session.set_hyperparameters(HyperparameterUpdate(learning_rate=0.03)) == []


def test_weight_decay_and_momentum_change_in_place() -> None:
    session = running(make_config(optimizer="momentum"))
    optimizer = session.optimizer
    session.set_hyperparameters(HyperparameterUpdate(weight_decay=0.01, momentum=0.5))
    assert session.optimizer is optimizer
    assert optimizer.param_groups[0]["weight_decay"] == 0.01
    assert optimizer.param_groups[0]["momentum"] == 0.5


# -- divergence -----------------------------------------------------------------------------


@pytest.mark.parametrize("value", [math.nan, math.inf])
def test_non_finite_loss_diverges_with_one_finding(value: float) -> None:
    session = running(make_config(learning_rate=0.5))
    losses(session, 3)
    with torch.no_grad():
        # in the output layer: tanh would squash an inf in a hidden layer back to 1
        session.model.output.weight[0, 0] = value
    weights = [p.detach().clone() for p in session.model.parameters()]

    result = session.step()

    assert result.status is RunStatus.DIVERGED
    assert not math.isfinite(result.loss)
    assert result.step == session.global_step == 3  # no optimizer step was taken
    assert session.status is RunStatus.DIVERGED
    for before, after in zip(weights, session.model.parameters(), strict=True):
        assert torch.allclose(before, after.detach(), rtol=0, atol=0, equal_nan=True)
    assert len(session.findings) == 1
    finding = session.findings[0]
    assert finding.code == "loss_divergence"
    assert finding.severity is Severity.CRITICAL
    assert finding.evidence["step"] == 4
    assert finding.evidence["learning_rate"] == 0.5
    assert finding.evidence["loss"] in {"nan", "inf", "-inf"}
    assert "learning rate" in finding.recommendation


def test_epoch_steps_end_at_divergence() -> None:
    session = running()
    plant_nan(session)
    results = session.epoch_steps()
    assert [r.status for r in results] == [RunStatus.DIVERGED]
    assert len(session.findings) == 1


# -- evaluation -----------------------------------------------------------------------------


def test_evaluate_restores_train_mode_and_keeps_no_graph() -> None:
    session = running()
    result = session.evaluate("val")
    assert session.model.training
    assert 0.0 <= result.accuracy <= 1.0
    assert result.loss > 0
    session.model.eval()
    session.evaluate("train")
    assert not session.model.training


def test_evaluate_accuracy_matches_a_manual_count() -> None:
    session = running(make_config(optimizer="adam"))
    losses(session, 50)
    with torch.no_grad():
        predicted = (session.model(session.dataset.x_val) > 0).float()
    expected = (predicted == session.dataset.y_val).float().mean().item()
    assert session.evaluate("val").accuracy == pytest.approx(expected)


def test_evaluate_rejects_unknown_split() -> None:
    with pytest.raises(ValueError, match="split"):
        running().evaluate("test")  # type: ignore[arg-type]
