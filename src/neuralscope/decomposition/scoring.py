"""Per-module metrics of one layer: mean ablation against random unit sets, keep-only,
ablate-only, linear probe, selectivity, label and driving input pattern (metrics.py has the
formulas and sources). Random sets of one size are drawn once and shared by the modules of
that size, and all masks of a size run in batched forward passes.
"""

from __future__ import annotations

import numpy as np
import torch
from torch import nn

from neuralscope.decomposition import _probe
from neuralscope.decomposition.metrics import (
    function_label,
    output_scores,
    probe_accuracy,
    selectivity,
    task_labels,
    top_pattern,
)
from neuralscope.decomposition.results import Importance, Module, ModuleMetrics, TaskScores


class LayerScorer:
    """Scores the modules of one layer of ``model`` on probe inputs and targets."""

    def __init__(
        self,
        model: nn.Module,
        layer: str,
        inputs: torch.Tensor,
        targets: torch.Tensor,
        output: torch.Tensor,
        acts: np.ndarray,
        seed: int,
    ) -> None:
        self.model, self.layer, self.inputs, self.targets = model, layer, inputs, targets
        self.acts = acts
        self.seed = seed
        self.folds = 3
        self.ablator = _probe.Ablator(model, layer, inputs, output.mean(dim=0))
        self.m = acts.shape[1]
        base = self.ablator.outputs(np.zeros((1, self.m), dtype=bool))
        self.labels = task_labels(targets, _probe.is_binary(base, targets))
        self.base_loss = float(_probe.task_loss(base, targets)[0])

    def full_scores(self, outputs: torch.Tensor) -> list[TaskScores]:
        return output_scores(outputs, self.targets)

    def _random_increase(self, size: int, live: np.ndarray, count: int) -> np.ndarray:
        rng = np.random.default_rng(self.seed + size)
        masks = np.zeros((count, self.m), dtype=bool)
        for r in range(count):
            masks[r, rng.choice(live, size=size, replace=False)] = True
        losses = _probe.task_loss(self.ablator.outputs(masks), self.targets).numpy()
        return np.asarray(losses - self.base_loss, dtype=np.float64)

    def score(self, modules: list[Module], random_sets: int, folds: int) -> list[Module]:
        self.folds = folds
        live = np.array(sorted(u for m in modules for u in m.units), dtype=np.int64)
        masks = np.zeros((len(modules), self.m), dtype=bool)
        for i, mod in enumerate(modules):
            masks[i, mod.units] = True
        ablated = self.ablator.outputs(masks)
        kept = self.ablator.outputs(~masks)
        increase = _probe.task_loss(ablated, self.targets).numpy() - self.base_loss
        positive = np.clip(increase, 0.0, None)
        total = float(positive.sum())
        baselines: dict[int, np.ndarray] = {}
        scored = []
        for i, mod in enumerate(modules):
            size = len(mod.units)
            if size not in baselines:
                baselines[size] = (
                    self._random_increase(size, live, random_sets)
                    if size < live.size
                    else np.full(1, increase[i])
                )
            null = baselines[size]
            importance = Importance(
                loss_increase=float(increase[i]),
                share=float(positive[i] / total) if total > 0 else 0.0,
                percentile=float(100.0 * np.mean(null < increase[i])),
                random_sets=int(null.size) if size < live.size else 0,
            )
            scored.append(
                mod.model_copy(
                    update={"metrics": self._metrics(mod, importance, kept[i], ablated[i])}
                )
            )
        return scored

    def _metrics(
        self, mod: Module, importance: Importance, kept: torch.Tensor, ablated: torch.Tensor
    ) -> ModuleMetrics:
        a = self.acts[:, mod.units]
        probe, chance, preferred, sels = [], [], [], []
        for t, y in enumerate(self.labels):
            if self.folds > 0:  # 0: no probe (its LBFGS is most of an evaluation's cost)
                probe.append(probe_accuracy(a, y, self.folds, self.seed + t))
            chance.append(float(np.bincount(y).max() / y.size))
            sel, pref = selectivity(a, y)
            sels.append(sel)
            preferred.append(pref)
        pattern = top_pattern(self.inputs, a)
        return ModuleMetrics(
            importance=importance,
            keep_only=output_scores(kept, self.targets),
            ablate_only=output_scores(ablated, self.targets),
            probe_accuracy=probe,
            chance=chance,
            selectivity=float(np.mean(sels)) if sels else 0.0,
            preferred_class=preferred,
            label=function_label(probe, chance, preferred, float(np.mean(sels)) if sels else 0.0)
            if self.folds > 0 or not self.labels
            else f"not probed; strongest drive: class {preferred[0]}",
            top_input_pattern=pattern.reshape(-1).tolist(),
            input_shape=list(pattern.shape),
        )
