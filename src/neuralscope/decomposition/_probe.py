"""Activations of named layers and forward passes with units mean-ablated.

Hooks are attached for one call and removed in ``finally`` (as ``monitor.probes`` does), and
nothing is set on the user's module. A unit is dim 1 of a layer's output: a Linear's
neuron, or a conv channel, whose activation is pooled over the spatial positions.

Mean ablation (Meyes et al. 2019; SCIENCE.md section 4.3): an ablated unit's output is
replaced by its mean over the probe samples (for a conv channel, its mean map), never by 0,
which pushes the rest of the network off its input distribution.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn
from torch.utils.hooks import RemovableHandle

from neuralscope.monitor.modes import evaluating

__all__ = [
    "Ablator",
    "capture",
    "evaluating",
    "is_binary",
    "module_named",
    "split_tasks",
    "task_loss",
]

ROWS_PER_PASS = 1 << 16


def _tensor(output: object) -> torch.Tensor:
    if isinstance(output, tuple | list) and output:
        output = output[0]
    if not isinstance(output, torch.Tensor):
        raise TypeError(f"cannot decompose a module output of type {type(output).__name__}")
    return output


def module_named(model: nn.Module, name: str) -> nn.Module:
    modules: dict[str, nn.Module] = dict(model.named_modules())
    if name not in modules:
        raise KeyError(f"no module named {name!r} in the model")
    return modules[name]


def capture(
    model: nn.Module, layers: Sequence[str], inputs: torch.Tensor
) -> tuple[dict[str, torch.Tensor], torch.Tensor]:
    """Each layer's full output (detached) and the model's output, in one no-grad eval pass."""
    captured: dict[str, torch.Tensor] = {}
    handles: list[RemovableHandle] = []

    def hook_for(name: str) -> Callable[[nn.Module, object, object], None]:
        def hook(_m: nn.Module, _i: object, output: object) -> None:
            captured[name] = _tensor(output).detach().clone()

        return hook

    try:
        for name in layers:
            handles.append(module_named(model, name).register_forward_hook(hook_for(name)))
        with evaluating(model), torch.no_grad():
            out = _tensor(model(inputs))
    finally:
        for handle in handles:
            handle.remove()
    silent = [name for name in layers if name not in captured]
    if silent:
        raise ValueError(f"modules {', '.join(silent)} did not run on the probe inputs")
    return captured, out.detach()


def unit_matrix(output: torch.Tensor) -> np.ndarray:
    """(n, units) float64: dim 1 is the unit axis, any further dims are pooled by mean."""
    a = output.double()
    if a.ndim > 2:
        a = a.flatten(2).mean(dim=2)
    return np.asarray(a.reshape(a.shape[0], -1).cpu().numpy(), dtype=np.float64)


class Ablator:
    """Forward passes of ``model`` with chosen units of one layer replaced by their mean."""

    def __init__(self, model: nn.Module, layer: str, inputs: torch.Tensor, mean: torch.Tensor):
        self.model = model
        self.module = module_named(model, layer)
        self.inputs = inputs
        self.mean = mean  # the layer output's mean over samples: shape output.shape[1:]
        self.units = int(mean.shape[0])

    @contextmanager
    def _masked(self, ablate: torch.Tensor) -> Iterator[None]:
        """Hook replacing units where ``ablate`` (R, units) is True, R copies of the batch."""
        n = self.inputs.shape[0]
        extra = (1,) * (self.mean.ndim - 1)

        def hook(_m: nn.Module, _i: object, output: object) -> torch.Tensor:
            out = _tensor(output)
            r = ablate.shape[0]
            shaped = out.reshape(r, n, *out.shape[1:])
            mask = ablate.view(r, 1, self.units, *extra)
            return torch.where(mask, self.mean.to(out.dtype), shaped).reshape(out.shape)

        handle = self.module.register_forward_hook(hook)
        try:
            yield
        finally:
            handle.remove()

    def outputs(self, ablate: np.ndarray) -> torch.Tensor:
        """Model outputs (R, n, out) with ``ablate`` (R, units) boolean masks applied."""
        masks = torch.as_tensor(np.atleast_2d(ablate), dtype=torch.bool, device=self.mean.device)
        n = self.inputs.shape[0]
        chunk = max(1, ROWS_PER_PASS // max(n, 1))
        parts: list[torch.Tensor] = []
        with evaluating(self.model), torch.no_grad():
            for start in range(0, masks.shape[0], chunk):
                block = masks[start : start + chunk]
                with self._masked(block):
                    x = self.inputs.repeat(block.shape[0], *([1] * (self.inputs.ndim - 1)))
                    out = _tensor(self.model(x))
                parts.append(out.reshape(block.shape[0], n, -1))
        return torch.cat(parts)


def is_binary(outputs: torch.Tensor, targets: torch.Tensor) -> bool:
    """One logit per sample against float 0/1 labels (the BCE-with-logits convention)."""
    return (
        targets.dtype.is_floating_point
        and outputs.shape[-1] == 1
        and targets.numel() == targets.shape[0]
        and bool(((targets == 0) | (targets == 1)).all())
    )


def split_tasks(
    outputs: torch.Tensor, targets: torch.Tensor
) -> list[tuple[torch.Tensor, torch.Tensor]]:
    """(logits, labels) per task: targets (n,) is one task, (n, T) is T equal output heads.

    A binary task with one logit z becomes the two logits (0, z): softmax of those is
    sigmoid(z), so cross-entropy and argmax agree with BCE-with-logits and z > 0.
    """
    if is_binary(outputs, targets):
        zero = torch.zeros_like(outputs)
        return [(torch.cat([zero, outputs], dim=-1), targets.reshape(-1).long())]
    if targets.ndim == 1:
        return [(outputs, targets)]
    tasks = targets.shape[1]
    width = outputs.shape[-1] // tasks
    return [(outputs[..., t * width : (t + 1) * width], targets[:, t]) for t in range(tasks)]


def task_loss(outputs: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
    """Loss per leading index of ``outputs`` (R, n, out): summed task cross-entropy, or MSE
    (float64, on the host: callers turn it into numpy)."""
    if targets.dtype.is_floating_point and not is_binary(outputs, targets):
        t = targets.reshape(1, targets.shape[0], -1).to(outputs.dtype)
        return ((outputs - t) ** 2).mean(dim=(1, 2)).double().cpu()
    total = torch.zeros(outputs.shape[0], dtype=torch.float64, device=outputs.device)
    for logits, labels in split_tasks(outputs, targets):
        r, n, c = logits.shape
        ce = F.cross_entropy(logits.reshape(r * n, c).double(), labels.repeat(r), reduction="none")
        total += ce.reshape(r, n).mean(dim=1)
    return total.cpu()
