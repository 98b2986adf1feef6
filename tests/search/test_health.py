"""Ground truth for the six health metrics: plant each defect, the metric drops; a healthy
model raises no false alarm."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
import torch
from torch import nn

from neuralscope.search.contract import HealthComponents, HealthWeights, StudyConfig
from neuralscope.search.experiment import TrialConfig, load_data, train_trial
from neuralscope.search.fit import EpochRecord, FitTrace, GradSample
from neuralscope.search.health import (
    consistency,
    convergence,
    gradient_health,
    live_shares,
    param_efficiency,
    score,
    skill_gate,
    split_p_value,
    stability,
)
from neuralscope.search.hyperparams import CNNParams
from neuralscope.search.models import ModelSpec, UnitLayer, build_model, count_params


def _trace(losses: list[float], val_losses: list[float] | None = None) -> FitTrace:
    trace = FitTrace(step_losses=losses)
    for i, v in enumerate(val_losses or [losses[-1]], 1):
        trace.epochs.append(EpochRecord(epoch=i, train_loss=losses[-1], val_loss=v, val_accuracy=0))
    return trace


def test_utilization_counts_planted_dead_units_exactly() -> None:
    torch.manual_seed(0)
    model = nn.Sequential()
    model.add_module("dense1", nn.Linear(4, 10))
    model.add_module("act1", nn.ReLU())
    model.add_module("output", nn.Linear(10, 2))
    probe = torch.randn(500, 4)
    with torch.no_grad():
        model.dense1.weight[:3] = 0.0  # three units: zero weights, negative bias -> never fire
        model.dense1.bias[:3] = -1.0
        model.dense1.bias[3:] = 5.0  # the others fire on (nearly) every input
    layers = [UnitLayer("dense1", "act1", "relu")]
    assert live_shares(model, layers, probe) == [pytest.approx(0.7)]
    with torch.no_grad():
        model.dense1.weight[:3] = torch.randn(3, 4)
        model.dense1.bias[:3] = 5.0
    assert live_shares(model, layers, probe) == [1.0]  # healthy: no false alarm


def test_utilization_sees_saturated_tanh_units() -> None:
    model = nn.Sequential()
    model.add_module("dense1", nn.Linear(2, 4))
    model.add_module("act1", nn.Tanh())
    with torch.no_grad():
        model.dense1.weight.zero_()
        model.dense1.weight[:, 0] = torch.tensor([100.0, 100.0, 0.5, 0.5])
    share = live_shares(model, [UnitLayer("dense1", "act1", "tanh")], torch.randn(400, 2))
    assert share == [pytest.approx(0.5)]


def test_param_efficiency_oracle_values() -> None:
    budget = 1000 * 10  # n_train x n_classes (Belkin et al. 2019 interpolation threshold)
    assert param_efficiency(budget, 1000, 10) == 1.0
    assert param_efficiency(100 * budget, 1000, 10) == pytest.approx(1 / 3)
    assert param_efficiency(1000 * budget, 1000, 10) == 0.0


def test_stability_drops_for_rising_loss_not_for_fast_descent() -> None:
    rng = np.random.default_rng(0)
    descent = [(2.3 * math.exp(-i / 40) + 0.05) * (1 + 0.1 * rng.normal()) for i in range(300)]
    assert stability(_trace(descent)) > 0.9
    rising = [2.3 * (1.0 + 0.5 * math.sin(i / 7.0)) ** 2 + 0.1 for i in range(300)]
    assert stability(_trace(rising)) < 0.3
    diverged = _trace(descent[:50])
    diverged.diverged = True
    assert stability(diverged) == 0.0


def test_gradient_health_flags_spikes_nan_and_vanishing() -> None:
    healthy = [GradSample(i, 1.0, 1.0, 2.0) for i in range(20)]
    assert gradient_health(FitTrace(grads=healthy)) == 1.0
    spikes = healthy[:10] + [GradSample(10 + i, 50.0, 50.0, 100.0) for i in range(10)]
    assert gradient_health(FitTrace(grads=spikes)) <= 0.55
    nan = [*healthy, GradSample(20, math.nan, math.nan, math.nan)]
    assert gradient_health(FitTrace(grads=nan)) < 1.0
    vanishing = [GradSample(i, 1e-6, 1.0, 1.0) for i in range(20)]
    assert gradient_health(FitTrace(grads=vanishing)) == 0.0


def test_convergence_progress_and_overfitting() -> None:
    good = _trace([2.3] * 10 + [0.1] * 10, val_losses=[0.5, 0.3, 0.25])
    assert convergence(good, 10) > 0.9
    stuck = _trace([math.log(10)] * 20, val_losses=[2.3, 2.3])
    assert convergence(stuck, 10) == 0.0
    overfit = _trace([2.3] * 10 + [0.1] * 10, val_losses=[0.3, 0.5, 0.9])  # GL = 200
    assert convergence(overfit, 10) == 0.0


def test_consistency_noisy_split_drops_iid_splits_pass() -> None:
    rng = np.random.default_rng(1)
    correct = rng.random(2000) < 0.9
    assert split_p_value(correct) > 0.01
    assert consistency(correct) == 1.0
    noisy = correct.copy()
    part = slice(800, 1200)  # the third of five contiguous splits
    noisy[part] &= rng.random(400) > 0.3  # 30% extra errors there
    assert split_p_value(noisy) < 1e-6
    assert consistency(noisy) == 0.0


def test_score_weights_and_range() -> None:
    parts = HealthComponents(
        utilization=1, param_efficiency=1, stability=1, gradient_health=1, convergence=1,
        consistency=0,
    )  # fmt: skip
    only_consistency = HealthWeights(
        accuracy=0, utilization=0, param_efficiency=0, stability=0, gradient_health=0,
        convergence=0, consistency=1,
    )  # fmt: skip
    assert score(1.0, parts, only_consistency, 10) == 0.0
    assert score(1.0, parts, HealthWeights(), 10) == pytest.approx(100 * 7 / 8)  # weights sum to 8


def test_a_model_at_chance_scores_zero_however_calm_its_training() -> None:
    calm = HealthComponents(
        utilization=1, param_efficiency=1, stability=1, gradient_health=1, convergence=0,
        consistency=1,
    )  # fmt: skip
    weights = HealthWeights()
    assert score(0.1, calm, weights, 10) == 0.0  # 1/K: it learned nothing
    assert score(0.5, calm, weights, 2) == 0.0
    # Half-way to the gate (kappa = 0.05) halves the score; from kappa = 0.1 on it is ungated.
    half = 0.1 + 0.05 * 0.9
    assert score(half, calm, weights, 10) == pytest.approx(0.5 * 100 * (5 + 2 * half) / 8)
    gated_off = 0.1 + 0.1 * 0.9
    assert score(gated_off, calm, weights, 10) == pytest.approx(100 * (5 + 2 * gated_off) / 8)
    assert skill_gate(float("nan"), 10) == 0.0
    assert skill_gate(0.0, 10) == 0.0  # below chance: clipped, never negative


@pytest.fixture(scope="module")
def digits_study(tmp_path_factory: pytest.TempPathFactory) -> tuple[StudyConfig, Path]:
    study = StudyConfig(name="h", dataset="digits", max_epochs=3, max_train_samples=600)
    return study, tmp_path_factory.mktemp("ds")


@pytest.mark.slow
def test_real_trials_healthy_vs_exploding_vs_oversized(
    digits_study: tuple[StudyConfig, Path],
) -> None:
    study, datasets = digits_study
    data = load_data(study, datasets)

    def run(params: dict[str, object], family: str = "cnn") -> HealthComponents:
        config = TrialConfig(
            study=study, trial_number=0, family=family, params=params, epochs=3, seed=0
        )
        result = train_trial(config, data)
        return result.metrics.components

    healthy = run({"learning_rate": 0.01, "filters": 8, "dense_units": 32, "batch_size": 16})
    assert min(healthy.model_dump().values()) > 0.6  # no false alarm
    exploding = run({"optimizer": "sgd", "learning_rate": 5.0, "filters": 8, "dense_units": 32})
    assert exploding.convergence < 0.2 < healthy.convergence
    assert exploding.utilization < healthy.utilization - 0.3
    assert exploding.stability < healthy.stability or exploding.gradient_health < 0.8
    assert healthy.param_efficiency == 1.0
    big = ModelSpec(
        family="cnn",
        hyperparams=CNNParams(filters=64, conv_blocks=1, dense_units=1024),
        input_shape=[1, 8, 8],
        n_classes=10,
    )  # ~1M parameters for 600 samples x 10 classes: ~170x the interpolation threshold
    efficiency = param_efficiency(count_params(build_model(big)), 600, 10)
    assert efficiency < 0.3


def test_every_code_the_search_raises_is_registered() -> None:
    from neuralscope.findings import FINDING_CODES
    from neuralscope.search.experiment import findings_of

    parts = HealthComponents(
        utilization=0, param_efficiency=0, stability=0, gradient_health=0, convergence=0,
        consistency=0,
    )  # fmt: skip
    raised = set(findings_of(parts, FitTrace(diverged=True)))
    raised |= set(findings_of(parts, FitTrace()))
    collapse_codes = {"nan_or_inf", "exploding_gradients", "dead_units"}  # objective.collapse
    assert raised | collapse_codes <= set(FINDING_CODES)
    assert len(raised) == 6
