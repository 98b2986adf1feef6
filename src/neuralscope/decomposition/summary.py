"""A small, JSON-ready decomposition summary of a trained model (one call per search trial).

``module_summary(model, inputs, targets)`` decomposes the model's activation layers (or the
given ones) with the defaults of ``decompose`` (correlation components, ablation importance
against random unit sets: SCIENCE.md section 4) and keeps what a study compares across trials:
modules per layer, whether the structure is significant, modularity, dead units, every
module's size, importance, function label, and the alert codes. Values are plain floats, ints
and strings (Optuna user attributes need JSON), with non-finite numbers as None.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import torch
from torch import nn

from neuralscope.decomposition.decompose import DecomposeConfig, decompose
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
    result = decompose(model, inputs, targets, layer=names, config=config)
    out_layers: list[Json] = [
        {
            "layer": layer.layer,
            "units": layer.units,
            "modules": len(layer.modules),
            "significant": layer.significant,
            "modularity": _num(layer.modularity),
            "p_value": _num(layer.p_value),
            "dead_units": len(layer.dead_units),
        }
        for layer in result.layers
    ]
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
