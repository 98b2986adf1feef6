"""Module identity across snapshots of one run (SCIENCE.md section 4.2).

Unit indices are fixed within a run, so module memberships are comparable: the Jaccard matrix
J_ab = |C_a & C'_b| / |C_a | C'_b| between old and new modules is matched by the Hungarian
algorithm on -J (Kuhn 1955; scipy ``linear_sum_assignment``). A match with J < 0.5 counts as
dissolved + born. A split is one old module with J > 0.3 to two or more new ones; a merge is
the reverse. Matched modules keep their persistent id; metrics are smoothed by an EMA.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import numpy as np
from pydantic import BaseModel, ConfigDict
from scipy.optimize import linear_sum_assignment

from neuralscope.decomposition.results import LayerDecomposition, Module
from neuralscope.findings import Finding, Severity, make_finding

EventType = Literal["born", "dissolved", "split", "merged"]


class ModuleEvent(BaseModel):
    model_config = ConfigDict(frozen=True)
    step: int
    layer: str
    type: EventType
    modules: list[str]  # split: [source, parts...]; merged: [result, sources...]
    jaccard: float


@dataclass(frozen=True)
class TrackerConfig:
    match_jaccard: float = 0.5
    split_jaccard: float = 0.3
    ema: float = 0.3  # weight of the newest value
    unstable_window: int = 3  # late snapshots whose mean matched Jaccard is checked


def jaccard_matrix(old: list[list[int]], new: list[list[int]]) -> np.ndarray:
    out = np.zeros((len(old), len(new)))
    for i, a in enumerate(old):
        sa = set(a)
        for j, b in enumerate(new):
            sb = set(b)
            union = len(sa | sb)
            out[i, j] = len(sa & sb) / union if union else 0.0
    return out


@dataclass
class _LayerState:
    modules: list[Module] = field(default_factory=list)
    matched_jaccard: list[float] = field(default_factory=list)


class ModuleTracker:
    """Keeps persistent module ids of a run's layers across decompositions."""

    def __init__(self, config: TrackerConfig | None = None) -> None:
        self.config = config or TrackerConfig()
        self.events: list[ModuleEvent] = []
        self.smoothed: dict[str, dict[str, float]] = {}
        self._layers: dict[str, _LayerState] = {}
        self._next = 0

    def _new_id(self, layer: str) -> str:
        self._next += 1
        return f"{layer}/M{self._next}"

    def update(self, step: int, layer: LayerDecomposition) -> LayerDecomposition:
        """``layer`` with persistent module ids; appends this snapshot's events."""
        cfg = self.config
        state = self._layers.setdefault(layer.layer, _LayerState())
        old, new = state.modules, layer.modules
        j = jaccard_matrix([m.units for m in old], [m.units for m in new])
        matched: dict[int, str] = {}
        if old and new:
            rows, cols = linear_sum_assignment(-j)
            for r, c in zip(rows.tolist(), cols.tolist(), strict=True):
                if j[r, c] >= cfg.match_jaccard:
                    matched[c] = old[r].id
            # Stability of this snapshot: matched J summed over pairs / the larger count.
            state.matched_jaccard.append(float(j[rows, cols].sum()) / max(len(old), len(new)))
        elif old:
            state.matched_jaccard.append(0.0)

        def event(kind: EventType, modules: list[str], jac: float) -> ModuleEvent:
            return ModuleEvent(
                step=step, layer=layer.layer, type=kind, modules=modules, jaccard=jac
            )

        events: list[ModuleEvent] = []
        ids: list[str] = []
        for c in range(len(new)):
            if c in matched:
                ids.append(matched[c])
            else:
                ids.append(self._new_id(layer.layer))
                events.append(event("born", [ids[c]], float(j[:, c].max()) if old else 0.0))
        kept = set(matched.values())
        for r, mod in enumerate(old):
            if mod.id not in kept:
                events.append(event("dissolved", [mod.id], float(j[r].max()) if new else 0.0))
        if old and new:
            for r, mod in enumerate(old):  # split: [source, parts...]
                parts = np.flatnonzero(j[r] > cfg.split_jaccard).tolist()
                if len(parts) >= 2:
                    events.append(
                        event("split", [mod.id, *(ids[c] for c in parts)], float(j[r].max()))
                    )
            for c in range(len(new)):  # merged: [result, sources...]
                sources = np.flatnonzero(j[:, c] > cfg.split_jaccard).tolist()
                if len(sources) >= 2:
                    merged = [ids[c], *(old[r].id for r in sources)]
                    events.append(event("merged", merged, float(j[:, c].max())))
        renamed = [mod.model_copy(update={"id": ids[c]}) for c, mod in enumerate(new)]
        for mod in renamed:
            self._smooth(mod)
        state.modules = renamed
        self.events.extend(events)
        return layer.model_copy(update={"modules": renamed})

    def _smooth(self, mod: Module) -> None:
        """EMA per metric of each module; a metric absent at a snapshot keeps its value
        (ablation metrics exist at evaluations only, the Taylor proxy with targets only)."""
        values = {"units": float(len(mod.units))}
        if mod.taylor is not None:
            values["taylor"] = mod.taylor
        if mod.metrics is not None:
            values |= {
                "importance": mod.metrics.importance.share,
                "loss_increase": mod.metrics.importance.loss_increase,
                "probe_accuracy": float(np.mean(mod.metrics.probe_accuracy or [0.0])),
                "selectivity": mod.metrics.selectivity,
            }
        prev = self.smoothed.get(mod.id, {})
        a = self.config.ema
        merged = dict(prev)
        for k, v in values.items():
            merged[k] = v if k not in prev else a * v + (1 - a) * prev[k]
        self.smoothed[mod.id] = merged

    def late_jaccard(self, layer: str) -> float | None:
        """Mean over the last ``unstable_window`` snapshots of the matched Jaccard (summed over
        Hungarian pairs, divided by the larger module count)."""
        state = self._layers.get(layer)
        if state is None or not state.matched_jaccard:
            return None
        return float(np.mean(state.matched_jaccard[-self.config.unstable_window :]))

    def findings(self) -> list[Finding]:
        """unstable_decomposition for layers whose late matched Jaccard is below 0.5."""
        out = []
        for name in self._layers:
            late = self.late_jaccard(name)
            if late is None:
                continue
            value = late
            if value < self.config.match_jaccard:
                out.append(
                    make_finding(
                        "unstable_decomposition",
                        Severity.WARNING,
                        f"Modules of {name} do not persist: late matched Jaccard {value:.2f} "
                        f"< {self.config.match_jaccard}.",
                        "Lower the learning rate or decompose on a larger probe set; read "
                        "module metrics of this layer as provisional.",
                        layer=name,
                        evidence={"late_jaccard": value, "threshold": self.config.match_jaccard},
                    )
                )
        return out
