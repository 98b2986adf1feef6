"""One trial as a reproducible experiment: :class:`TrialConfig` (config.json) -> trained model,
metrics and architecture.

``train_trial`` is what a worker runs for a trial and what :func:`rerun_trial` runs again from a
trial's ``config.json`` on any machine: the same data (catalog name, sample cap, seed), the
same seeded initialisation and batch order, so on CPU it reproduces the trial's accuracy.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import torch
from pydantic import BaseModel, ConfigDict, Field
from torch import nn

from neuralscope.data.catalog import ArraySet, load_array_set
from neuralscope.search.architecture import architecture
from neuralscope.search.contract import (
    ArchitectureLayer,
    Family,
    HealthComponents,
    StudyConfig,
    TrialMetrics,
)
from neuralscope.search.fit import Arrays, EpochRecord, FitTrace, evaluate, fit
from neuralscope.search.health import HealthInputs, components, live_shares, score
from neuralscope.search.hyperparams import family_for_kind
from neuralscope.search.models import ModelSpec, build_model, count_params, unit_layers
from neuralscope.search.spaces import hyperparams_from

PROBE_SAMPLES = 1000


class TrialConfig(BaseModel):
    """Everything needed to re-run a trial (written as the trial's config.json)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    study: StudyConfig
    trial_number: int = Field(ge=0)
    family: Family
    params: dict[str, Any] = Field(description="the sampled hyperparameters, by name")
    epochs: int = Field(ge=1)
    seed: int
    val_accuracy: float | None = Field(default=None, description="what the trial measured")


@dataclass(frozen=True)
class TrialResult:
    model: nn.Module
    spec: ModelSpec
    trace: FitTrace
    metrics: TrialMetrics
    architecture: list[ArchitectureLayer]


EpochHook = Callable[[EpochRecord, FitTrace, nn.Module, ModelSpec], None]


def load_data(study: StudyConfig, datasets_dir: Path) -> ArraySet:
    return load_array_set(
        study.dataset, datasets_dir, max_train=study.max_train_samples, seed=study.seed
    )


def model_spec(config: TrialConfig, data: ArraySet) -> ModelSpec:
    if family_for_kind(data.kind) != config.family:
        raise ValueError(f"{data.name} is {data.kind} data; a {config.family} cannot take it")
    return ModelSpec(
        family=config.family,
        hyperparams=hyperparams_from(config.family, config.params),
        input_shape=list(data.x_train.shape[1:]),
        n_classes=data.n_classes,
        vocab_size=data.vocab_size,
    )


def train_trial(
    config: TrialConfig, data: ArraySet, device: str = "cpu", on_epoch: EpochHook | None = None
) -> TrialResult:
    """Build, train and measure the trial's network (``on_epoch`` may raise to stop it)."""
    spec = model_spec(config, data)
    torch.manual_seed(config.seed)
    model = build_model(spec).to(device)
    arrays = Arrays.from_numpy(data.x_train, data.y_train, data.x_val, data.y_val, device)
    units = unit_layers(model, spec)
    hook = None
    if on_epoch is not None:
        callback = on_epoch

        def hook(record: EpochRecord, trace: FitTrace) -> None:
            callback(record, trace, model, spec)

    started = time.perf_counter()
    trace = fit(model, arrays, spec.hyperparams, config.epochs, config.seed, hook)
    seconds = time.perf_counter() - started
    live = live_shares(model, units, arrays.x_val[:PROBE_SAMPLES])
    params = count_params(model)
    inputs = HealthInputs(trace, live, trace.val_correct, params, len(data.y_train), data.n_classes)
    parts = components(inputs)
    val_accuracy = float(np.mean(trace.val_correct)) if len(trace.val_correct) else 0.0
    _, train_correct = evaluate(model, arrays.x_train[:2000], arrays.y_train[:2000])
    metrics = TrialMetrics(
        val_accuracy=val_accuracy,
        train_accuracy=float(train_correct.float().mean()),
        health=score(val_accuracy, parts, config.study.health_weights, data.n_classes),
        components=parts,
        params=params,
        epochs=len(trace.epochs),
        train_seconds=seconds,
        findings=findings_of(parts, trace),
    )
    layers = architecture(model, spec, units, live)
    return TrialResult(model, spec, trace, metrics, layers)


def findings_of(parts: HealthComponents, trace: FitTrace) -> list[str]:
    """Finding codes the metrics raise (registered in neuralscope.findings)."""
    codes = []
    if trace.diverged:
        codes.append("nan_or_inf")
    if parts.utilization < 0.5:
        codes.append("dead_units")
    if parts.gradient_health < 0.5:
        codes.append("exploding_gradients")
    if parts.param_efficiency < 0.5:
        codes.append("overparameterized")
    if parts.consistency < 1.0:
        codes.append("inconsistent_splits")
    if parts.stability < 0.5 and not trace.diverged:
        codes.append("loss_oscillation")
    return codes


def rerun_trial(config_path: Path, datasets_dir: Path, device: str = "cpu") -> TrialResult:
    """Train a trial again from its config.json."""
    config = TrialConfig.model_validate_json(config_path.read_text())
    return train_trial(config, load_data(config.study, datasets_dir), device)
