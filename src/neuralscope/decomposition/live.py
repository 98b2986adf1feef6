"""Decomposition during training: recomputed on a fixed probe batch every N steps, with
module identities kept by a ``ModuleTracker`` (SCIENCE.md section 4.2).

Between full evaluations nothing runs: hooks exist only inside ``decompose``'s one probe pass.
Ablation metrics are costly, so the live default identifies modules only (``metrics=False``)
and leaves importance to an explicit call; the gradient Taylor proxy is no substitute at
convergence (SCIENCE.md section 0.2).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import torch
from torch import nn

from neuralscope.decomposition.decompose import DecomposeConfig, decompose
from neuralscope.decomposition.results import Decomposition
from neuralscope.decomposition.strategies import Clusterer
from neuralscope.decomposition.tracking import ModuleEvent, ModuleTracker


@dataclass(frozen=True)
class LiveConfig:
    """Cadence and cost of live decomposition.

    The cadence adapts to a budget: a decomposition is due at most every ``every_steps``
    steps, and only while the time spent decomposing so far plus the last one's cost stays
    within ``max_overhead`` of the training time so far (the first one runs at
    ``every_steps`` to learn its cost). Over a run the share therefore converges to at most
    ``max_overhead``; benchmarks/decompose_speed.py measures it. 0.04 leaves room under the
    5% bar of issue #7. ``max_overhead=None`` keeps the fixed cadence.
    """

    every_steps: int = 200
    max_overhead: float | None = 0.04
    decompose: DecomposeConfig = field(default_factory=lambda: DecomposeConfig(metrics=False))


@dataclass(frozen=True)
class LiveSnapshot:
    step: int
    decomposition: Decomposition
    events: list[ModuleEvent]
    seconds: float  # what this decomposition cost
    training_seconds: float  # training time (decompositions excluded) before it began


class LiveDecomposer:
    """Call ``step(step, model)`` after each optimizer step; it decomposes on its cadence."""

    def __init__(
        self,
        layers: list[str],
        probe_inputs: torch.Tensor,
        probe_targets: torch.Tensor | None = None,
        *,
        method: Clusterer | None = None,
        config: LiveConfig | None = None,
    ) -> None:
        self.layers = layers
        self.inputs, self.targets = probe_inputs, probe_targets
        self.method = method
        self.config = config or LiveConfig()
        self.tracker = ModuleTracker()
        self.snapshots: list[LiveSnapshot] = []
        self.next_step = self.config.every_steps
        self.spent = 0.0  # seconds spent decomposing
        self._last_cost = 0.0
        self._clock: float | None = None  # when the first step was seen

    def due(self, step: int) -> bool:
        """On the minimum cadence and, with a budget, within it."""
        if step < self.next_step:
            return False
        budget = self.config.max_overhead
        if budget is None or self._clock is None or not self.snapshots:
            return True
        training = time.perf_counter() - self._clock - self.spent
        return self.spent + self._last_cost <= budget * training

    def step(self, step: int, model: nn.Module) -> LiveSnapshot | None:
        """Decompose when it is due (see ``LiveConfig``); the snapshot carries new events."""
        if self._clock is None:
            self._clock = time.perf_counter()
        if not self.due(step):
            return None
        started = time.perf_counter()
        training = started - self._clock - self.spent
        result = decompose(
            model,
            self.inputs,
            self.targets,
            layer=self.layers,
            method=self.method,
            config=self.config.decompose,
        )
        seen = len(self.tracker.events)
        tracked = [self.tracker.update(step, layer) for layer in result.layers]
        findings = [*result.findings, *self.tracker.findings()]
        snapshot = LiveSnapshot(
            step=step,
            decomposition=result.model_copy(update={"layers": tracked, "findings": findings}),
            events=self.tracker.events[seen:],
            seconds=time.perf_counter() - started,
            training_seconds=training,
        )
        self.snapshots.append(snapshot)
        self._last_cost = snapshot.seconds
        self.spent += self._last_cost
        self.next_step = step + self.config.every_steps
        return snapshot
