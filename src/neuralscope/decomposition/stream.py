"""Live decomposition as events: a ``LiveDecomposer`` whose snapshots become ``modules``
events (and ``finding`` events for alerts not raised before), for Playground and watched runs.

Per snapshot the payload carries every module with its persistent id, the Taylor proxy now,
the ablation scores of its last evaluation (what is reported as importance: SCIENCE.md
section 4.3), EMA-smoothed metrics, what drives it (mean standardised activation per class,
per unit and the mean input of its top-driving samples), per-unit activation statistics and
incoming weight norms; connection strength by weight and by gradient flow; the lifecycle
changes since the last snapshot; alerts, and what-if previews (prune, re-initialise on a copy)
for the alerted modules at evaluations. Pure: no I/O.
"""

from __future__ import annotations

import copy
import time
from collections.abc import Sequence
from dataclasses import replace

import numpy as np
import torch
from torch import nn

from neuralscope.decomposition import _probe
from neuralscope.decomposition.live import LiveConfig, LiveDecomposer, LiveSnapshot
from neuralscope.decomposition.metrics import task_labels, top_pattern
from neuralscope.decomposition.results import LayerDecomposition, Module
from neuralscope.decomposition.strategies import Clusterer
from neuralscope.decomposition.whatif import Prune, Reinitialize, source_of, what_if
from neuralscope.events import (
    CompactArray,
    Event,
    FindingEvent,
    ModuleChange,
    ModuleLayerState,
    ModuleLink,
    ModulePreview,
    ModuleScores,
    ModulesEvent,
    ModulesPayload,
    ModuleState,
)
from neuralscope.findings import Finding


def _finite(v: float, default: float = 0.0) -> float:
    return v if np.isfinite(v) else default


def _drive(acts: np.ndarray, labels: np.ndarray | None) -> np.ndarray | None:
    """(units, classes): mean standardised activation of each unit per class."""
    if labels is None or acts.size == 0:
        return None
    z = (acts - acts.mean(axis=0)) / (acts.std(axis=0) + 1e-12)
    classes = int(labels.max()) + 1
    cols = [
        z[labels == c].mean(axis=0) if np.any(labels == c) else np.zeros(z.shape[1])
        for c in range(classes)
    ]
    return np.stack(cols, axis=1)


def _weight_in(model: nn.Module, layer: LayerDecomposition) -> np.ndarray:
    """L2 norm of each unit's incoming weights (zeros when no producing Linear/Conv is found)."""
    try:
        w = source_of(model, layer.layer, layer.units).weight.detach().double()
    except LookupError:
        return np.zeros(layer.units)
    return np.asarray(w.reshape(w.shape[0], -1).norm(dim=1).cpu().numpy())


def _scores(mod: Module, step: int) -> ModuleScores | None:
    m = mod.metrics
    if m is None:
        return None
    return ModuleScores(
        step=step,
        importance=_finite(m.importance.share),
        percentile=_finite(m.importance.percentile),
        loss_increase=_finite(m.importance.loss_increase),
        keep_only=[s.accuracy for s in m.keep_only],
        ablate_only=[s.accuracy for s in m.ablate_only],
        probe=m.probe_accuracy,
        chance=m.chance,
        selectivity=_finite(m.selectivity),
        label=m.label,
    )


class ModuleStream:
    """Call ``after_step(step, model, now)`` after each training step; returns new events."""

    def __init__(
        self,
        run_id: str,
        layers: list[str],
        inputs: torch.Tensor,
        targets: torch.Tensor | None = None,
        *,
        probe_label: str = "probe batch",
        method: Clusterer | None = None,
        config: LiveConfig | None = None,
    ) -> None:
        self.run_id = run_id
        self.live = LiveDecomposer(layers, inputs, targets, method=method, config=config)
        self.probe_label = probe_label
        self._scores: dict[str, ModuleScores] = {}
        self._raised: set[str] = set()
        self._evaluate_now = False

    @property
    def next_step(self) -> int:
        return self.live.next_step

    def after_step(
        self, step: int, model: nn.Module, now: float, *, final: bool = False
    ) -> list[Event]:
        """A ``modules`` event and new findings when a decomposition is due (always on the
        ``final`` step, as an evaluation), else []."""
        snapshot = self.live.step(step, model, final=final)
        if snapshot is None:
            return []
        started = time.perf_counter()
        payload = self.payload(snapshot, model)
        self.live.charge(time.perf_counter() - started)
        events: list[Event] = [
            ModulesEvent(run_id=self.run_id, step=step, time=now, payload=payload)
        ]
        for finding in payload.findings:  # each alert once per (code, layer, module)
            key = f"{finding.code}|{finding.layer}|{finding.evidence.get('module')}"
            if key not in self._raised:
                self._raised.add(key)
                events.append(
                    FindingEvent(run_id=self.run_id, step=step, time=now, payload=finding)
                )
        return events

    def fork(self, method: Clusterer, *, evaluate: bool) -> ModuleStream:
        """A stream for a one-off decomposition with another method (the module map's
        controls): it shares the probe batch, starts from a copy of this stream's tracker so
        module ids agree, and leaves this stream unchanged. Cheap; call ``now`` on it."""
        other = ModuleStream(
            self.run_id,
            self.live.layers,
            self.live.inputs,
            self.live.targets,
            probe_label=self.probe_label,
            method=method,
            config=replace(
                self.live.config, max_overhead=None, evaluate_every=1 if evaluate else 0
            ),
        )
        other.live.tracker = copy.deepcopy(self.live.tracker)
        other._scores = dict(self._scores)
        other._evaluate_now = evaluate
        return other

    def now(self, step: int, model: nn.Module, now: float) -> ModulesEvent:
        """Decompose at once (regardless of cadence and budget) and return the event."""
        snapshot = self.live.step(step, model, final=self._evaluate_now, force=True)
        assert snapshot is not None
        payload = self.payload(snapshot, model)
        return ModulesEvent(run_id=self.run_id, step=step, time=now, payload=payload)

    def payload(self, snapshot: LiveSnapshot, model: nn.Module) -> ModulesPayload:
        live, result = self.live, snapshot.decomposition
        captured, out = _probe.capture(model, live.layers, live.inputs)
        labels = None
        if live.targets is not None:
            tasks = task_labels(live.targets, _probe.is_binary(out, live.targets))
            labels = tasks[0] if tasks else None
        states: list[ModuleState] = []
        layers: list[ModuleLayerState] = []
        for layer in result.layers:
            acts = _probe.unit_matrix(captured[layer.layer])
            drive = _drive(acts, labels)
            w_in = _weight_in(model, layer)
            total_taylor = sum(m.taylor or 0.0 for m in layer.modules)
            for mod in layer.modules:
                if snapshot.evaluated and (scores := _scores(mod, snapshot.step)) is not None:
                    self._scores[mod.id] = scores
                states.append(self._state(mod, acts, drive, w_in, total_taylor))
            layers.append(
                ModuleLayerState(
                    layer=layer.layer,
                    units=layer.units,
                    method=layer.method,
                    k_chosen_by=layer.k_chosen_by,
                    caveat=layer.caveat,
                    significant=layer.significant,
                    modularity=_finite(layer.modularity),
                    p_value=_finite(layer.p_value, 1.0),
                    verdict=layer.verdict,
                    dead_units=layer.dead_units,
                    full_accuracy=[s.accuracy for s in layer.full_scores],
                )
            )
        links = [
            ModuleLink(
                source=c.source, target=c.target, weight=c.strength, gradient=c.gradient_flow
            )
            for c in result.connections
        ]
        changes = [
            ModuleChange(type=e.type, layer=e.layer, modules=e.modules, jaccard=e.jaccard)
            for e in snapshot.events
        ]
        previews = (
            self._previews(result.findings, result.modules, model) if snapshot.evaluated else []
        )
        return ModulesPayload(
            probe=self.probe_label,
            evaluated=snapshot.evaluated,
            seconds=snapshot.seconds,
            layers=layers,
            modules=states,
            links=links,
            changes=changes,
            findings=result.findings,
            previews=previews,
        )

    def _state(
        self,
        mod: Module,
        acts: np.ndarray,
        drive: np.ndarray | None,
        w_in: np.ndarray,
        total_taylor: float,
    ) -> ModuleState:
        a = acts[:, mod.units]
        unit_drive = None if drive is None else drive[mod.units]
        pattern = top_pattern(self.live.inputs, a) if mod.units else None
        return ModuleState(
            id=mod.id,
            layer=mod.layer,
            units=mod.units,
            taylor=mod.taylor,
            taylor_share=None
            if mod.taylor is None or total_taylor <= 0
            else mod.taylor / total_taylor,
            scores=self._scores.get(mod.id),
            smoothed={k: _finite(v) for k, v in self.live.tracker.smoothed.get(mod.id, {}).items()},
            class_drive=[] if unit_drive is None else unit_drive.mean(axis=0).tolist(),
            unit_drive=None
            if unit_drive is None
            else CompactArray.from_numpy(np.nan_to_num(unit_drive), "float32"),
            unit_mean=a.mean(axis=0).tolist(),
            unit_std=a.std(axis=0).tolist(),
            weight_in=w_in[mod.units].tolist(),
            input_pattern=None
            if pattern is None
            else CompactArray.from_numpy(np.nan_to_num(pattern), "float32"),
        )

    def _previews(
        self, findings: Sequence[Finding], modules: Sequence[Module], model: nn.Module
    ) -> list[ModulePreview]:
        """Prune and re-initialise previews for every module an alert names."""
        targets = self.live.targets
        if targets is None:
            return []
        named = {str(f.evidence.get("module")) for f in findings if f.evidence.get("module")}
        out = []
        for mod in modules:
            if mod.id not in named or not mod.units:
                continue
            for intervention in (Prune(), Reinitialize()):
                try:
                    w = what_if(model, mod, intervention, self.live.inputs, targets)
                except LookupError:
                    break
                out.append(ModulePreview(**w.model_dump(exclude={"f1_before", "f1_after"})))
        return out
