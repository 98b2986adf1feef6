"""Each model family builds, learns its kind of data and describes itself as layers."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from neuralscope.data.catalog import ArraySet
from neuralscope.search.artifacts import write_artifacts
from neuralscope.search.contract import ARTIFACT_FILES, StudyConfig
from neuralscope.search.experiment import TrialConfig, load_data, train_trial


def _text_set(n: int = 600, length: int = 12, vocab: int = 30) -> ArraySet:
    """Label 1 when token 5 occurs: a bag-of-words task an LSTM learns in a few epochs."""
    rng = np.random.default_rng(0)
    x = rng.integers(6, vocab, size=(n, length))
    y = rng.integers(0, 2, size=n)
    x[y == 1, rng.integers(0, length, size=int(y.sum()))] = 5
    x[:, -2:] = 0  # padding
    half = n * 3 // 4
    return ArraySet(
        name="planted", kind="text", x_train=x[:half], y_train=y[:half], x_val=x[half:],
        y_val=y[half:], n_classes=2, class_names=["no", "yes"], vocab_size=vocab,
    )  # fmt: skip


@pytest.mark.slow
def test_lstm_learns_text_and_exports(tmp_path: Path) -> None:
    study = StudyConfig(name="t", dataset="imdb", max_epochs=6)
    params = {"embedding_dim": 8, "lstm_units": 8, "bidirectional": True, "learning_rate": 0.02,
              "batch_size": 32}  # fmt: skip
    config = TrialConfig(
        study=study, trial_number=0, family="lstm", params=params, epochs=6, seed=0
    )
    result = train_trial(config, _text_set())
    assert result.metrics.val_accuracy > 0.8
    kinds = [layer.kind for layer in result.architecture]
    assert kinds == ["input", "embedding", "lstm", "dense", "dropout", "output"]
    lstm = result.architecture[2]
    assert lstm.bidirectional is True
    assert lstm.units == 8
    assert lstm.health is not None
    names = write_artifacts(tmp_path, result.model, result.spec, config)
    assert sorted(names) == sorted(ARTIFACT_FILES.values())


def test_mlp_on_tabular_data(tmp_path: Path) -> None:
    study = StudyConfig(name="m", dataset="iris", max_epochs=20)
    params = {"n_layers": 2, "units": 16, "width_shrink": 0.5, "batch_norm": True,
              "dropout": 0.1, "learning_rate": 0.02, "batch_size": 16}  # fmt: skip
    config = TrialConfig(
        study=study, trial_number=0, family="mlp", params=params, epochs=20, seed=0
    )
    result = train_trial(config, load_data(study, tmp_path))
    assert result.metrics.val_accuracy > 0.85
    dense = [layer for layer in result.architecture if layer.kind == "dense"]
    assert [layer.units for layer in dense] == [16, 8]
    assert "batchnorm" in [layer.kind for layer in result.architecture]
