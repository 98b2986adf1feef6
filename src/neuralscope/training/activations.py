"""Activation heatmaps: what every hidden unit outputs on each sample of a fixed probe batch.

The samples x units picture of a layer's activations is the classic way to see a layer's
code: which units fire for which class, which never fire (dead ReLUs), which saturate
(Karpathy's ConvNetJS demos; Yosinski et al. 2015, "Understanding Neural Networks Through
Deep Visualization", draw the same live). The probe batch is fixed for the whole run, so
frames are comparable over time, and sorted by class so that class structure shows as
horizontal bands.

One forward pass in eval mode without gradients; hooks are attached for that pass only and
removed even if it raises (as :func:`neuralscope.monitor.layer_stats`). Pure torch, no I/O.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import torch
from torch import nn

from neuralscope.events import ActivationMap, ActivationsPayload, CompactArray
from neuralscope.monitor.probes import hooked_forward

#: Most samples in a probe batch and units per layer that an event carries.
MAX_SAMPLES = 64
MAX_UNITS = 64


def probe_indices(targets: torch.Tensor, task: str, n: int = MAX_SAMPLES) -> torch.Tensor:
    """At most ``n`` indices of ``targets``, ordered by class (regression: by target value).

    Classification takes the classes in turn (the first sample of each class, then the second
    of each, ...), so a rare class still gets rows; the result is sorted by class, stably.
    """
    y = targets.detach().cpu().reshape(targets.shape[0], -1)[:, 0]
    if task == "regression":
        first = torch.arange(min(n, y.shape[0]))
        return first[torch.argsort(y[first].float(), stable=True)]
    labels = y.long()
    by_class = [torch.nonzero(labels == k).flatten() for k in torch.unique(labels)]
    rank = torch.empty_like(labels)
    for members in by_class:
        rank[members] = torch.arange(members.shape[0])
    # Round-robin: order by (rank within its class, class), keep n, then sort by class.
    order = torch.argsort(rank * (int(labels.max()) + 1) + labels, stable=True)[:n]
    return order[torch.argsort(labels[order], stable=True)]


def _capture(name: str, into: dict[str, torch.Tensor]) -> Callable[..., None]:
    def hook(_module: nn.Module, _inputs: object, output: object) -> None:
        if isinstance(output, torch.Tensor):
            # (N, units); a (N, C, ...) output is averaged over positions per channel.
            a = output.detach()
            into[name] = a.flatten(2).mean(-1) if a.ndim > 2 else a.reshape(a.shape[0], -1)

    return hook


def layer_activations(
    model: nn.Module, layer_names: Sequence[str], inputs: torch.Tensor
) -> dict[str, torch.Tensor]:
    """Each named module's output on ``inputs`` as (samples, units), float32 on the host.

    Raises:
        KeyError: a name is not a module of ``model``.
    """
    captured: dict[str, torch.Tensor] = {}
    hooked_forward(model, layer_names, inputs, lambda name: _capture(name, captured))
    return {name: captured[name].float().cpu() for name in layer_names if name in captured}


def activations_payload(
    model: nn.Module,
    layer_names: Sequence[str],
    inputs: torch.Tensor,
    labels: Sequence[int],
    probe_label: str,
) -> ActivationsPayload | None:
    """The heatmaps of ``layer_names`` on ``inputs`` (already ordered); None when any value
    is not finite (JSON-side consumers get no inf; a divergence is reported elsewhere)."""
    maps: list[ActivationMap] = []
    for name, values in layer_activations(model, layer_names, inputs).items():
        shown = values[:MAX_SAMPLES, :MAX_UNITS].numpy()
        if not np.isfinite(shown).all() or np.abs(shown).max(initial=0.0) > 65504:
            return None  # beyond float16
        maps.append(
            ActivationMap(
                layer=name,
                units=int(values.shape[1]),
                values=CompactArray.from_numpy(shown, "float16"),
            )
        )
    return ActivationsPayload(probe=probe_label, labels=list(labels), layers=maps)
