"""A small, JSON-ready decomposition summary of a trained model (one call per search trial).

``module_summary(model, inputs, targets)`` decomposes the model's activation layers (or the
given ones) with the defaults of ``decompose`` (correlation components, ablation importance
against random unit sets: SCIENCE.md section 4) and keeps what a study compares across trials:
modules per layer, whether the structure is significant, modularity, its permutation p-value,
dead units, the largest module's share of the live units and the dominant module's share of
the ablation importance, every module's size, importance, function label, and the alert codes.
``summarize`` does the same for a decomposition already made (a search trial's last live
snapshot). Values are plain floats, ints and strings (Optuna user attributes need JSON), with
non-finite numbers as None.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import torch
from torch import nn

from neuralscope.decomposition.decompose import DecomposeConfig, decompose
from neuralscope.decomposition.results import Decomposition, LayerDecomposition
from neuralscope.monitor.hooks import watched_layers

Json = None | bool | int | float | str | list["Json"] | dict[str, "Json"]


def _num(v: float | None) -> float | None:
    return None if v is None or not math.isfinite(v) else round(float(v), 6)


def module_summary(
    model: nn.Module,
    inputs: torch.Tensor,
    targets: torch.Tensor | None = None,
    *,
    layers: Sequence[str] | None = None,
    config: DecomposeConfig | None = None,
) -> dict[str, Json]:
    """Decompose ``model`` on ``inputs`` (a few hundred held-out samples) and summarise.

    ``layers`` default to the activation modules (``monitor.hooks.watched_layers``); a model
    without any gets ``{"layers": [], "modules": [], "findings": []}``.
    """
    names = list(layers) if layers is not None else [n for n, _ in watched_layers(model)]
    if not names:
        return {"layers": [], "modules": [], "findings": []}
    return summarize(decompose(model, inputs, targets, layer=names, config=config))


def layer_stats(layer: LayerDecomposition) -> dict[str, Json]:
    """One layer's entry: module count, significance, Q, p, dead units, the largest module's
    share of the live units, and the dominant module's share of the importance (None when
    the modules carry no ablation metrics)."""
    live = layer.units - len(layer.dead_units)
    sizes = [len(m.units) for m in layer.modules]
    shares = [m.metrics.importance.share for m in layer.modules if m.metrics is not None]
    return {
        "layer": layer.layer,
        "units": layer.units,
        "modules": len(layer.modules),
        "significant": layer.significant,
        "modularity": _num(layer.modularity),
        "p_value": _num(layer.p_value),
        "dead_units": len(layer.dead_units),
        "largest_share": _num(max(sizes) / live) if sizes and live > 0 else None,
        "dominant_share": _num(max(shares)) if shares else None,
    }


def summarize(result: Decomposition) -> dict[str, Json]:
    """``module_summary``'s JSON for a decomposition already made."""
    out_layers: list[Json] = [layer_stats(layer) for layer in result.layers]
    modules: list[Json] = []
    for mod in result.modules:
        m = mod.metrics
        modules.append(
            {
                "id": mod.id,
                "layer": mod.layer,
                "units": len(mod.units),
                "importance": None if m is None else _num(m.importance.share),
                "percentile": None if m is None else _num(m.importance.percentile),
                "label": None if m is None else m.label,
                "taylor": _num(mod.taylor),
            }
        )
    findings: list[Json] = [*sorted({f.code for f in result.findings})]
    return {"layers": out_layers, "modules": modules, "findings": findings}
