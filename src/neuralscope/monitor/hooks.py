"""Activation capture on sampled training steps: histograms, dead and saturated units.

The hooks are forward hooks held in this object's own handle list; they are attached just
before a sampled step's forward pass and removed right after it is read (PERFORMANCE.md:
hooks left attached slow every step). Nothing is set on the user's modules.

Per layer (units along dim 1, samples and positions along every other dim), SCIENCE.md 1.2:

* dead (ReLU family): ``max_n a_n <= 0`` on the captured batch;
* saturated: tanh ``|a| > 0.99``, sigmoid within 0.01 of 0 or 1, GELU/SiLU pre-activation
  ``< -4``; a unit is saturated when that holds for more than 90% (99% for GELU/SiLU) of its
  samples (Glorot & Bengio 2010; the cut-offs are heuristic);
* a histogram of the output values.

Dead depends on the probe data: the captured batches are the user's training batches, so the
live rule pools several of them before it reports (see ``monitor.rules``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

import torch
from torch import nn
from torch.utils.hooks import RemovableHandle

from neuralscope.events import Histogram
from neuralscope.monitor.histograms import DEFAULT_BINS, histograms

ActivationKind = Literal["relu", "tanh", "sigmoid", "smooth", "other"]

_KINDS: list[tuple[tuple[type[nn.Module], ...], ActivationKind]] = [
    ((nn.ReLU, nn.ReLU6), "relu"),
    ((nn.Tanh, nn.Hardtanh), "tanh"),
    ((nn.Sigmoid, nn.Hardsigmoid), "sigmoid"),
    ((nn.GELU, nn.SiLU, nn.Mish), "smooth"),
]


def activation_kind(module: nn.Module) -> ActivationKind:
    for types, kind in _KINDS:
        if isinstance(module, types):
            return kind
    return "other"


def watched_layers(model: nn.Module) -> list[tuple[str, ActivationKind]]:
    """Activation modules to watch; leaf modules with parameters when there are none."""
    acts = [
        (name, activation_kind(m))
        for name, m in model.named_modules()
        if name and activation_kind(m) != "other"
    ]
    if acts:
        return acts
    return [
        (name, "other")
        for name, m in model.named_modules()
        if name and not list(m.children()) and any(True for _ in m.parameters(recurse=False))
    ]


@dataclass(frozen=True)
class LayerCapture:
    """What one layer did on one captured batch (host numbers)."""

    layer: str
    kind: ActivationKind
    samples: int
    unit_max: list[float]
    saturated_units: int
    units: int
    mean: float
    std: float


def _units(a: torch.Tensor) -> torch.Tensor:
    return a.movedim(1, -1).reshape(-1, a.shape[1]) if a.ndim >= 2 else a.reshape(-1, 1)


def _saturated(kind: ActivationKind, out: torch.Tensor, pre: torch.Tensor) -> torch.Tensor:
    """Per-unit saturated flags (bool, shape (units,))."""
    if kind == "tanh":
        return (out.abs() > 0.99).float().mean(0) > 0.9
    if kind == "sigmoid":
        return ((out < 0.01) | (out > 0.99)).float().mean(0) > 0.9
    if kind == "smooth":
        return (pre < -4).float().mean(0) > 0.99
    return torch.zeros(out.shape[1], dtype=torch.bool, device=out.device)


class ActivationProbe:
    """Attach, capture one forward pass, read, detach."""

    def __init__(self, model: nn.Module, bins: int = DEFAULT_BINS) -> None:
        modules = dict(model.named_modules())
        self._layers = [(name, kind, modules[name]) for name, kind in watched_layers(model)]
        self._bins = bins
        self._handles: list[RemovableHandle] = []
        self._raw: dict[str, tuple[torch.Tensor, torch.Tensor, torch.Tensor, int]] = {}

    @property
    def attached(self) -> bool:
        return bool(self._handles)

    @property
    def layer_names(self) -> list[str]:
        return [name for name, _, _ in self._layers]

    def attach(self) -> None:
        if self._handles:
            return
        self._raw.clear()
        for name, kind, module in self._layers:
            self._handles.append(module.register_forward_hook(self._hook(name, kind)))

    def detach(self) -> None:
        for handle in self._handles:
            handle.remove()
        self._handles.clear()

    def discard(self) -> None:
        """Forget what was captured so far (the hooks stay attached)."""
        self._raw.clear()

    def _hook(self, name: str, kind: ActivationKind) -> Callable[..., None]:
        def hook(_module: nn.Module, inputs: tuple[object, ...], output: object) -> None:
            if name in self._raw or not isinstance(output, torch.Tensor):
                return  # first call of the step wins (a module reused twice is read once)
            if not torch.is_grad_enabled():
                return  # an evaluation pass under no_grad, not the training step
            out = _units(output.detach().float()).clone()  # later in-place ops must not alter it
            first = inputs[0] if inputs else None
            pre = _units(first.detach().float()) if isinstance(first, torch.Tensor) else out
            if pre.shape != out.shape:
                pre = out
            n = out.numel()
            mean = out.sum(dtype=torch.float64) / max(n, 1)
            centred = (out - mean.float()).reshape(-1)
            std = (torch.dot(centred, centred).double() / max(n - 1, 1)).sqrt()
            stats = torch.stack([mean, std, _saturated(kind, out, pre).sum().double()])
            self._raw[name] = (stats, out.amax(0), out, out.shape[0])

        return hook

    def read(self) -> tuple[list[LayerCapture], list[Histogram]]:
        """The captured layers (in model order) and their activation histograms."""
        kinds = {name: kind for name, kind, _ in self._layers}
        names = [name for name in self.layer_names if name in self._raw]
        hists = histograms([(n, "activation", self._raw[n][2]) for n in names], self._bins)
        captures = []
        for name in names:
            stats, unit_max, out, samples = self._raw[name]
            mean, std, saturated = stats.tolist()
            captures.append(
                LayerCapture(
                    layer=name,
                    kind=kinds[name],
                    samples=samples,
                    unit_max=unit_max.cpu().tolist(),
                    saturated_units=int(saturated),
                    units=out.shape[1],
                    mean=mean,
                    std=std,
                )
            )
        self._raw.clear()
        return captures, hists
