"""Alerts on a decomposition, with evidence and a recommendation (SCIENCE.md section 4.3).

Thresholds are heuristics from section 4.3, relative to random unit-set baselines, and are
configurable through ``AdvisorThresholds``:

* dead_module: units constant on the probe samples (they get no gradient; Lu et al. 2019).
* redundant_module: mean-ablating it raises the loss less than 95% of random unit sets of its
  size (necessity percentile < 5) AND changes nothing on its own: no task's accuracy drops by
  more than 0.01 (regression: the loss rises by < 5%). The second condition is ours: a module
  holding one of two tasks in a half-and-half layer hurts less than a random half that cuts
  into both tasks, yet removing it takes its task to chance (measured on the planted net).
* dominant_module: it carries >= 80% of the layer's ablation loss increase and its removal
  takes some task to chance: a single point of failure.
* uninformative_module: its linear probe is within 0.02 of chance on every task.
* unstable_decomposition: emitted by ``ModuleTracker`` (late matched Jaccard < 0.5).
"""

from __future__ import annotations

from dataclasses import dataclass

from neuralscope.decomposition.results import LayerDecomposition, Module
from neuralscope.findings import Finding, Severity, make_finding


@dataclass(frozen=True)
class AdvisorThresholds:
    redundant_percentile: float = 5.0
    redundant_accuracy_drop: float = 0.01
    redundant_loss_rise: float = 0.05
    dominant_share: float = 0.8
    chance_margin: float = 0.02


def _dead(layer: LayerDecomposition) -> list[Finding]:
    if not layer.dead_units:
        return []
    share = len(layer.dead_units) / max(layer.units, 1)
    return [
        make_finding(
            "dead_module",
            Severity.CRITICAL
            if share > 0.5
            else Severity.WARNING
            if share > 0.1
            else Severity.INFO,
            f"{len(layer.dead_units)} of {layer.units} units of {layer.layer} are constant on "
            "the probe samples and form no functional module.",
            "Prune them (shrink the layer) or re-initialise them; if they die during training, "
            "lower the learning rate or use a leaky activation.",
            layer=layer.layer,
            evidence={"units": layer.dead_units, "share": share},
        )
    ]


def _module_findings(
    layer: LayerDecomposition, mod: Module, th: AdvisorThresholds
) -> list[Finding]:
    m = mod.metrics
    if m is None:
        return []
    out: list[Finding] = []
    imp = m.importance
    drops = [
        f.accuracy - s.accuracy for s, f in zip(m.ablate_only, layer.full_scores, strict=False)
    ]
    harmless = (
        max(drops) <= th.redundant_accuracy_drop
        if drops
        else imp.loss_increase < th.redundant_loss_rise * max(layer.base_loss, 1e-12)
    )
    if imp.random_sets and imp.percentile < th.redundant_percentile and harmless:
        out.append(
            make_finding(
                "redundant_module",
                Severity.INFO,
                f"Mean-ablating module {mod.id} ({len(mod.units)} units) raises the loss by "
                f"{imp.loss_increase:.4f}, less than {100 - imp.percentile:.0f}% of random "
                "unit sets of the same size.",
                f"Prune module {mod.id} (preview it with what_if(..., Prune())) or give it a "
                "task: the rest of the layer covers its function.",
                layer=layer.layer,
                evidence={
                    "module": mod.id,
                    "percentile": imp.percentile,
                    "threshold": th.redundant_percentile,
                    "loss_increase": imp.loss_increase,
                    "random_sets": imp.random_sets,
                    "max_accuracy_drop": max(drops) if drops else None,
                },
            )
        )
    at_chance = [
        t
        for t, (s, f) in enumerate(zip(m.ablate_only, layer.full_scores, strict=False))
        if s.accuracy <= m.chance[t] + th.chance_margin < f.accuracy
    ]
    if len(layer.modules) > 1 and imp.share >= th.dominant_share and at_chance:
        out.append(
            make_finding(
                "dominant_module",
                Severity.WARNING,
                f"Module {mod.id} carries {imp.share:.0%} of the layer's ablation loss and "
                f"removing it takes task(s) {at_chance} to chance: a single point of failure.",
                "Spread the function: train with dropout on this layer, or widen it; check "
                "the other modules with keep-only scores.",
                layer=layer.layer,
                evidence={"module": mod.id, "share": imp.share, "threshold": th.dominant_share},
            )
        )
    if m.probe_accuracy and all(
        p <= c + th.chance_margin for p, c in zip(m.probe_accuracy, m.chance, strict=True)
    ):
        out.append(
            make_finding(
                "uninformative_module",
                Severity.INFO,
                f"A linear probe on module {mod.id} decodes no task above chance "
                f"(probe {m.probe_accuracy} vs chance {m.chance}).",
                f"Re-initialise or prune module {mod.id}; if it should encode classes, "
                "add more data for them.",
                layer=layer.layer,
                evidence={"module": mod.id, "probe": m.probe_accuracy, "chance": m.chance},
            )
        )
    return out


def layer_findings(
    layer: LayerDecomposition, thresholds: AdvisorThresholds | None = None
) -> list[Finding]:
    """Every alert the advisor raises on one layer's decomposition."""
    th = thresholds or AdvisorThresholds()
    found = _dead(layer)
    for mod in layer.modules:
        found.extend(_module_findings(layer, mod, th))
    return found
