"""The Optuna objective of a search trial: sample, train, watch health each epoch, store.

After every epoch the trial's ATTR_CURVE is rewritten (epoch, training loss, validation
accuracy, health so far), then the trial is stopped:

* as *pruned* by a collapse of health, with ATTR_PRUNED_BY = the finding code: ``nan_or_inf``
  (the loss went non-finite), ``exploding_gradients`` (a non-finite gradient, or three spikes
  over 10x the running median; Pascanu et al. 2013), ``dead_units`` (a whole hidden layer dead
  on the validation probe);
* as *pruned* by Optuna's pruner on intermediate validation accuracy (single-objective studies;
  ATTR_PRUNED_BY = ``"intermediate"``);
* as *pruned* with ATTR_PRUNED_BY = ``"cancelled"`` when the study was cancelled.

Before those checks ATTR_MODULES is rewritten too: the functional modules of the last hidden
layer on the same fixed validation probe batch (search.trial_modules; ``modules=False``
turns it off, e.g. to measure its cost).
"""

from __future__ import annotations

import math
import os
import socket
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import optuna
import torch
from torch import nn

from neuralscope.data.catalog import ArraySet
from neuralscope.search.artifacts import trial_dir, write_artifacts
from neuralscope.search.contract import (
    ATTR_ARCHITECTURE,
    ATTR_ARTIFACTS,
    ATTR_CURVE,
    ATTR_METRICS,
    ATTR_MODULES,
    ATTR_PRUNED_BY,
    ATTR_WORKER,
    DIRECTIONS,
    CurvePoint,
    StudyConfig,
)
from neuralscope.search.experiment import TrialConfig, train_trial
from neuralscope.search.fit import EpochRecord, FitTrace
from neuralscope.search.health import (
    HealthInputs,
    components,
    healthy_grad_flags,
    live_shares,
    score,
)
from neuralscope.search.hyperparams import family_for_kind
from neuralscope.search.models import ModelSpec, count_params, unit_layers
from neuralscope.search.spaces import default_space, sample
from neuralscope.search.trial_modules import TrialModuleWatch

COLLAPSE_SPIKES = 3
EPOCH_PROBE = 256


def collapse(trace: FitTrace, live: list[float]) -> str | None:
    """The finding code of a health collapse, or None (see the module docstring)."""
    if trace.diverged:
        return "nan_or_inf"
    flags = healthy_grad_flags(trace.grads)
    bad_values = any(not math.isfinite(g.total) for g in trace.grads)
    spiky = flags.count(False) >= COLLAPSE_SPIKES and _spikes(trace) >= COLLAPSE_SPIKES
    if bad_values or spiky:
        return "exploding_gradients"
    if any(share == 0.0 for share in live):
        return "dead_units"
    return None


def _spikes(trace: FitTrace) -> int:
    totals: list[float] = []
    spikes = 0
    for g in trace.grads:
        if totals and g.total > 10.0 * float(np.median(totals)):
            spikes += 1
        totals.append(g.total)
    return spikes


def trial_seed(config: StudyConfig, number: int) -> int:
    return (config.seed * 1_000_003 + number) % (2**31)


class Objective:
    """Callable for ``study.optimize``; one instance per trial process."""

    def __init__(
        self,
        config: StudyConfig,
        data: ArraySet,
        home: Path,
        device: str = "cpu",
        on_start: Callable[[optuna.Trial], None] | None = None,
        cancelled: Callable[[], bool] = lambda: False,
        *,
        modules: bool = True,
    ) -> None:
        self.modules = modules
        self.cancelled = cancelled
        self.config = config
        self.data = data
        self.home = home
        self.device = device
        self.on_start = on_start

    def __call__(self, trial: optuna.Trial) -> float | list[float]:
        if self.on_start is not None:
            self.on_start(trial)
        trial.set_user_attr(ATTR_WORKER, f"{socket.gethostname()}:{os.getpid()}")
        family = family_for_kind(self.data.kind)
        space = self.config.space or default_space(family)
        params = sample(trial, space)
        epochs = min(params.epochs or self.config.max_epochs, self.config.max_epochs)
        run = TrialConfig(
            study=self.config,
            trial_number=trial.number,
            family=family,
            params=params.model_dump(),  # every value: a rerun must not depend on defaults
            epochs=epochs,
            seed=trial_seed(self.config, trial.number),
        )
        curve: list[dict[str, object]] = []
        watch: list[TrialModuleWatch | None] = []  # made at the first epoch end
        started = time.perf_counter()

        def on_epoch(
            record: EpochRecord, trace: FitTrace, model: nn.Module, spec: ModelSpec
        ) -> None:
            if self.modules and math.isfinite(record.train_loss):  # a diverged net: pruned below
                if not watch:
                    watch.append(self._watch(model, spec, epochs))
                if watch[0] is not None:
                    elapsed = time.perf_counter() - started
                    summary = watch[0].after_epoch(record.epoch, model, elapsed)
                    if summary is not None:
                        trial.set_user_attr(ATTR_MODULES, summary.model_dump(mode="json"))
            self._epoch(trial, record, trace, model, spec, curve)

        result = train_trial(run, self.data, self.device, on_epoch)
        metrics = result.metrics
        directory = trial_dir(self.home, self.config.name, trial.number)
        run = run.model_copy(update={"val_accuracy": metrics.val_accuracy})
        write_artifacts(directory, result.model, result.spec, run)
        trial.set_user_attr(ATTR_METRICS, metrics.model_dump(mode="json"))
        trial.set_user_attr(
            ATTR_ARCHITECTURE, [layer.model_dump(mode="json") for layer in result.architecture]
        )
        trial.set_user_attr(ATTR_ARTIFACTS, str(directory))
        if self.config.objective == "accuracy":
            return metrics.val_accuracy
        if self.config.objective == "health":
            return metrics.health
        return [metrics.val_accuracy, metrics.health, float(metrics.params)]

    def _watch(self, model: nn.Module, spec: ModelSpec, epochs: int) -> TrialModuleWatch | None:
        hidden = unit_layers(model, spec)
        if not hidden:
            return None
        layer = hidden[-1].probe
        targets = torch.from_numpy(np.ascontiguousarray(self.data.y_val[:EPOCH_PROBE]))
        return TrialModuleWatch(
            layer, model_input(self.data, self.device), targets.to(self.device).long(), epochs
        )

    def _epoch(
        self,
        trial: optuna.Trial,
        record: EpochRecord,
        trace: FitTrace,
        model: nn.Module,
        spec: ModelSpec,
        curve: list[dict[str, object]],
    ) -> None:
        x_probe = model_input(self.data, self.device)
        live = live_shares(model, unit_layers(model, spec), x_probe)
        inputs = HealthInputs(
            trace, live, trace.val_correct, count_params(model), len(self.data.y_train),
            self.data.n_classes,
        )  # fmt: skip
        health = score(
            record.val_accuracy, components(inputs), self.config.health_weights,
            self.data.n_classes,
        )  # fmt: skip
        point = CurvePoint(
            epoch=record.epoch,
            train_loss=record.train_loss if math.isfinite(record.train_loss) else 1e30,
            val_accuracy=record.val_accuracy,
            health=health,
        )
        curve.append(point.model_dump(mode="json"))
        trial.set_user_attr(ATTR_CURVE, list(curve))
        if self.config.pruning:
            code = collapse(trace, live)
            if code is not None:
                trial.set_user_attr(ATTR_PRUNED_BY, code)
                raise optuna.TrialPruned(f"health collapsed: {code}")
        if self.cancelled():
            trial.set_user_attr(ATTR_PRUNED_BY, "cancelled")
            raise optuna.TrialPruned("the study was cancelled")
        if self.config.pruning and len(DIRECTIONS[self.config.objective]) == 1:
            trial.report(record.val_accuracy, record.epoch)
            if trial.should_prune():
                trial.set_user_attr(ATTR_PRUNED_BY, "intermediate")
                raise optuna.TrialPruned(f"validation accuracy {record.val_accuracy:.3f}")


def model_input(data: ArraySet, device: str) -> torch.Tensor:
    return torch.from_numpy(np.ascontiguousarray(data.x_val[:EPOCH_PROBE])).to(device)
