"""The trial objective in process: stored attributes, health-collapse and intermediate pruning."""

from __future__ import annotations

from pathlib import Path

import optuna
import pytest
from tests.search.helpers import tiny_space, tiny_study

from neuralscope.search.contract import (
    ARTIFACT_FILES,
    ATTR_ARCHITECTURE,
    ATTR_ARTIFACTS,
    ATTR_CURVE,
    ATTR_METRICS,
    ATTR_PRUNED_BY,
    ArchitectureLayer,
    CurvePoint,
    TrialMetrics,
)
from neuralscope.search.experiment import load_data
from neuralscope.search.objective import Objective

State = optuna.trial.TrialState


@pytest.mark.slow
def test_objective_stores_curve_metrics_architecture_and_prunes(tmp_path: Path) -> None:
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    config = tiny_study("o", objective="accuracy", max_epochs=3)
    data = load_data(config, tmp_path / "datasets")
    study = optuna.create_study(
        direction="maximize",
        sampler=optuna.samplers.RandomSampler(seed=0),
        pruner=optuna.pruners.MedianPruner(n_startup_trials=3, n_warmup_steps=1),
    )
    study.optimize(Objective(config, data, tmp_path), n_trials=3)
    first = study.trials[0]
    assert first.state == State.COMPLETE
    curve = [CurvePoint.model_validate(p) for p in first.user_attrs[ATTR_CURVE]]
    assert [p.epoch for p in curve] == [1, 2, 3]
    metrics = TrialMetrics.model_validate(first.user_attrs[ATTR_METRICS])
    assert first.value == metrics.val_accuracy == curve[-1].val_accuracy
    layers = [ArchitectureLayer.model_validate(x) for x in first.user_attrs[ATTR_ARCHITECTURE]]
    assert layers[0].kind == "input"
    assert layers[-1].kind == "output"
    assert sum(layer.params for layer in layers) == metrics.params
    assert all(0 <= (layer.health or 0) <= 1 for layer in layers)
    directory = Path(first.user_attrs[ATTR_ARTIFACTS])
    assert directory == tmp_path / "search" / "o" / "trial-00000"
    assert sorted(p.name for p in directory.iterdir()) == sorted(ARTIFACT_FILES.values())

    # Planted collapse: a learning rate that blows the network up.
    exploding = tiny_study("o", max_epochs=3, space=tiny_space(optimizer="sgd", learning_rate=8.0))
    study.optimize(Objective(exploding, data, tmp_path), n_trials=1)
    collapsed = study.trials[-1]
    assert collapsed.state == State.PRUNED
    assert collapsed.user_attrs[ATTR_PRUNED_BY] in {
        "nan_or_inf",
        "exploding_gradients",
        "dead_units",
    }

    # A trial that learns nothing is pruned on its intermediate accuracy (median of the others).
    stalled = tiny_study("o", max_epochs=3, space=tiny_space(learning_rate=1e-7))
    study.optimize(Objective(stalled, data, tmp_path), n_trials=1)
    assert study.trials[-1].state == State.PRUNED
    assert study.trials[-1].user_attrs[ATTR_PRUNED_BY] == "intermediate"
    assert len(study.trials[-1].user_attrs[ATTR_CURVE]) < 3  # stopped before its last epoch


def test_collapse_names_the_finding() -> None:
    import math

    from neuralscope.search.fit import FitTrace, GradSample
    from neuralscope.search.objective import collapse

    healthy = [GradSample(i, 1.0, 1.0, 1.0) for i in range(10)]
    assert collapse(FitTrace(grads=healthy), [0.9, 0.8]) is None
    assert collapse(FitTrace(grads=healthy, diverged=True), [0.9]) == "nan_or_inf"
    nan = [*healthy, GradSample(10, math.nan, math.nan, math.nan)]
    assert collapse(FitTrace(grads=nan), [0.9]) == "exploding_gradients"
    spikes = healthy + [GradSample(10 + i, 1.0, 1.0, 1e3 * 10**i) for i in range(3)]
    assert collapse(FitTrace(grads=spikes), [0.9]) == "exploding_gradients"
    assert collapse(FitTrace(grads=healthy), [0.9, 0.0]) == "dead_units"
