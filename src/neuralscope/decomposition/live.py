"""Decomposition during training: recomputed on a fixed probe batch every N steps, with
module identities kept by a ``ModuleTracker`` (SCIENCE.md section 4.2).

Between snapshots nothing runs: hooks exist only inside ``decompose``'s probe passes.
Ablation metrics are costly, so with targets only every ``evaluate_every``-th snapshot (the
first included) is an evaluation with the full mean-ablation metrics; the snapshots between
identify the modules and carry the first-order Taylor proxy (flow.py), which tracks
importance cheaply but vanishes at convergence (SCIENCE.md sections 0.2 and 4.3), so what is
reported as importance is always the last ablation.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace

import torch
from torch import nn

from neuralscope.decomposition.advisor import layer_findings
from neuralscope.decomposition.decompose import DecomposeConfig, decompose
from neuralscope.decomposition.results import Decomposition
from neuralscope.decomposition.strategies import Clusterer
from neuralscope.decomposition.tracking import ModuleEvent, ModuleTracker

KEEP_SNAPSHOTS = 100  # newest snapshots kept in memory (events carry the rest)


@dataclass(frozen=True)
class LiveConfig:
    """Cadence and cost of live decomposition.

    The cadence adapts to a budget: a decomposition is due at most every ``every_steps``
    steps, and only while the time spent decomposing so far plus the last one's cost stays
    within ``max_overhead`` of the training time so far (the first one runs at
    ``every_steps`` to learn its cost). Over a run the share therefore converges to at most
    ``max_overhead``; benchmarks/decompose_speed.py measures it. 0.04 leaves room under the
    5% bar of issue #7. ``max_overhead=None`` keeps the fixed cadence.

    Evaluations (ablation metrics; only with targets) cost 10-20x an identification (the
    linear probes dominate; measured 0.5 s vs 0.05 s on a 2-8-8-1 Playground net). The first
    snapshot never evaluates (it learns the identification cost); after it, a snapshot
    evaluates when at least ``evaluate_every - 1`` identification-only snapshots came since
    the last evaluation (or the first snapshot), and, with a budget, when the evaluation's
    cost fits it too (estimated as the last evaluation's, or 10x the last identification's
    before the first). ``evaluate_every=0`` never evaluates except on a ``final`` step.
    """

    every_steps: int = 200
    max_overhead: float | None = 0.04
    evaluate_every: int = 5
    decompose: DecomposeConfig = field(default_factory=lambda: DecomposeConfig(metrics=False))

    def __post_init__(self) -> None:
        if self.every_steps < 1 or self.evaluate_every < 0:
            raise ValueError("every_steps must be >= 1 and evaluate_every >= 0")
        if self.max_overhead is not None and not 0 < self.max_overhead < 1:
            raise ValueError("max_overhead must be in (0, 1) or None")


@dataclass(frozen=True)
class LiveSnapshot:
    step: int
    decomposition: Decomposition
    events: list[ModuleEvent]
    seconds: float  # what this decomposition cost
    training_seconds: float  # training time (decompositions excluded) before it began
    evaluated: bool = False  # ablation metrics computed (an evaluation snapshot)


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
        self._cost: dict[bool, float] = {}  # last cost of an evaluation (True) / identification
        self._since_eval = 0  # identification-only snapshots since the last evaluation
        self._clock: float | None = None  # when the first step was seen

    def _fits(self, cost: float) -> bool:
        budget = self.config.max_overhead
        if budget is None or self._clock is None:
            return True
        training = time.perf_counter() - self._clock - self.spent
        return self.spent + cost <= budget * training

    def due(self, step: int) -> bool:
        """On the minimum cadence and, with a budget, within it. When the budget says no, it
        is asked again ``every_steps // 10`` steps later (so callers that skip steps before
        ``next_step`` stay cheap)."""
        if step < self.next_step:
            return False
        if not self.snapshots or self._fits(self._cost.get(False, 0.0)):
            return True
        self.next_step = step + max(1, self.config.every_steps // 10)
        return False

    def _evaluation_due(self) -> bool:
        every = self.config.evaluate_every
        if self.targets is None or not self.snapshots or every == 0:
            return False
        if self._since_eval < every - 1:
            return False
        return self._fits(self._cost.get(True, 10 * self._cost.get(False, 0.0)))

    def charge(self, seconds: float) -> None:
        """Add work done for the last snapshot elsewhere (e.g. building its event) to its cost."""
        if self.snapshots:
            last = self.snapshots[-1]
            self._cost[last.evaluated] = self._cost.get(last.evaluated, 0.0) + seconds
            self.spent += seconds

    def step(
        self, step: int, model: nn.Module, *, final: bool = False, force: bool = False
    ) -> LiveSnapshot | None:
        """Decompose when it is due (see ``LiveConfig``); the snapshot carries new events.

        ``final``: the run's last step: decompose regardless of cadence and budget (unless
        this step was just decomposed), as an evaluation when there are targets.
        ``force``: decompose now, regardless of cadence and budget.
        """
        if self._clock is None:
            self._clock = time.perf_counter()
        if final and self.snapshots and self.snapshots[-1].step == step:
            return None
        if not (final or force) and not self.due(step):
            return None
        started = time.perf_counter()
        training = started - self._clock - self.spent
        evaluate = self.targets is not None and (final or self._evaluation_due())
        result = decompose(
            model,
            self.inputs,
            self.targets,
            layer=self.layers,
            method=self.method,
            config=replace(self.config.decompose, metrics=evaluate),
        )
        seen = len(self.tracker.events)
        tracked = [self.tracker.update(step, layer) for layer in result.layers]
        # The advisor again on the tracked layers: its messages name the persistent ids.
        findings = [f for layer in tracked for f in layer_findings(layer)]
        findings += self.tracker.findings()
        renamed = {
            old.id: new.id
            for before, after in zip(result.layers, tracked, strict=True)
            for old, new in zip(before.modules, after.modules, strict=True)
        }
        links = [
            c.model_copy(update={"source": renamed[c.source], "target": renamed[c.target]})
            for c in result.connections
        ]
        update = {"layers": tracked, "findings": findings, "connections": links}
        snapshot = LiveSnapshot(
            step=step,
            decomposition=result.model_copy(update=update),
            events=self.tracker.events[seen:],
            seconds=time.perf_counter() - started,
            training_seconds=training,
            evaluated=evaluate,
        )
        self.snapshots.append(snapshot)
        del self.snapshots[:-KEEP_SNAPSHOTS]  # a long run must not grow without bound
        self._cost[evaluate] = snapshot.seconds
        self._since_eval = 0 if evaluate else self._since_eval + 1
        self.spent += snapshot.seconds
        self.next_step = step + self.config.every_steps
        return snapshot
