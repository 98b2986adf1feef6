"""Small studies whose trials take a second or two: digits, few samples, a tiny CNN space."""

from __future__ import annotations

from typing import Any

from neuralscope.search.contract import SearchSpace, StudyConfig


def tiny_space(**fixed: Any) -> SearchSpace:
    """A small CNN space; ``fixed`` pins params to one value."""
    params: dict[str, Any] = {
        "filters": {"type": "int", "low": 4, "high": 8},
        "dense_units": {"type": "int", "low": 8, "high": 16},
        "conv_blocks": {"type": "int", "low": 1, "high": 2},
        "learning_rate": {"type": "float", "low": 3e-3, "high": 3e-2, "log": True},
        "batch_size": {"type": "categorical", "choices": [16]},
    }
    for name, value in fixed.items():
        if isinstance(value, float):  # same distribution kind as the range it replaces
            params[name] = {"type": "float", "low": value, "high": value, "log": True}
        else:
            params[name] = {"type": "categorical", "choices": [value]}
    return SearchSpace.model_validate({"family": "cnn", "params": params})


def tiny_study(name: str, **overrides: Any) -> StudyConfig:
    values: dict[str, Any] = {
        "name": name,
        "dataset": "digits",
        "objective": "health",
        "n_trials": 3,
        "max_epochs": 2,
        "max_train_samples": 300,
        "space": tiny_space(),
    }
    values.update(overrides)
    return StudyConfig.model_validate(values)
