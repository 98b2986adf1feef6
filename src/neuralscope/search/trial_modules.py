"""Functional modules of a search trial's last hidden layer, after every epoch (issue #7).

``decompose`` on a fixed validation probe batch (SCIENCE.md section 4), as live.py does but
at the cheapest useful level for a study: after each epoch the layer is only identified
(correlation-graph components and the permutation p-value; no targets, so no Taylor
profile), module identities are kept by a ``ModuleTracker`` (Hungarian matching on Jaccard
overlap); the last epoch is an evaluation with the targets (mean-ablation importance against
random unit sets, linear probes), so the final summary carries the dominant module's share and
every alert, and equals ``module_summary`` of the saved model on the same probe. The summary
fields are ``neuralscope.decomposition.summary.layer_stats``.
"""

from __future__ import annotations

import math
import time
from dataclasses import replace

import torch
from torch import nn

from neuralscope.decomposition.advisor import layer_findings
from neuralscope.decomposition.decompose import DecomposeConfig, decompose
from neuralscope.decomposition.summary import layer_stats
from neuralscope.decomposition.tracking import ModuleTracker
from neuralscope.search.contract import ModulesPoint, TrialModules

# Cheaper than the interactive defaults: a study compares many trials and needs the dominant
# share and the alerts, not a fine percentile (50 random unit sets, not 200), and no linear
# probe (its LBFGS was ~80% of an evaluation: 0.2 s of 0.25 s on a default digits CNN,
# measured), so a trial's alerts leave out uninformative_module.
SEARCH_DECOMPOSE = DecomposeConfig(random_sets=50, probe_folds=0, metrics=False)
# Epoch-end identifications stop while they have used more than this share of the trial's
# time so far (the live cadence's budget, SCIENCE.md 4); the first and the final epoch always
# run, so tracking has its baseline and the summary is always the final model's.
EPOCH_BUDGET = 0.04


def _finite(value: float) -> float | None:
    return round(value, 6) if math.isfinite(value) else None


class TrialModuleWatch:
    """Call ``after_epoch(epoch, model, elapsed_s)`` at each epoch end for the summary."""

    def __init__(
        self,
        layer: str,
        inputs: torch.Tensor,
        targets: torch.Tensor,
        epochs: int,
        config: DecomposeConfig = SEARCH_DECOMPOSE,
    ) -> None:
        self.layer, self.inputs, self.targets = layer, inputs, targets
        self.epochs, self.config = epochs, config
        self.tracker = ModuleTracker()
        self.history: list[ModulesPoint] = []
        self.seconds = 0.0

    def after_epoch(
        self, epoch: int, model: nn.Module, elapsed_s: float | None = None
    ) -> TrialModules | None:
        """The summary after ``epoch``; None when skipped to stay within ``EPOCH_BUDGET`` of
        ``elapsed_s`` (the trial's time so far; None: never skip)."""
        started = time.perf_counter()
        final = epoch >= self.epochs
        over_budget = elapsed_s is not None and self.seconds > EPOCH_BUDGET * elapsed_s
        if self.history and not final and over_budget:
            return None
        result = decompose(
            model,
            self.inputs,
            self.targets if final else None,
            layer=self.layer,
            config=replace(self.config, metrics=final),
        )
        layer = self.tracker.update(epoch, result.layers[0])
        alerts = {f.code for f in [*layer_findings(layer), *self.tracker.findings()]}
        stats = layer_stats(layer)
        self.history.append(
            ModulesPoint(
                epoch=epoch,
                modules=len(layer.modules),
                modularity=_finite(layer.modularity),
                p_value=_finite(layer.p_value),
            )
        )
        first = self.history[0].epoch
        changes = sum(1 for e in self.tracker.events if e.step > first)
        self.seconds += time.perf_counter() - started
        return TrialModules.model_validate(
            {
                **stats,
                "epoch": epoch,
                "probe_samples": int(self.inputs.shape[0]),
                "alerts": sorted(alerts),
                "changes": changes,
                "history": list(self.history),
                "seconds": self.seconds,
            }
        )
