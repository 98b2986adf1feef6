"""Model-level probes for any ``nn.Module``: gradient norms and per-layer activation stats.

Both are called on sampled steps only. ``layer_stats`` attaches its forward hooks for the one
probe pass and removes them before returning, because hooks that stay attached slow every
step, sampled or not (PERFORMANCE.md: +31% on a 784-128-10 MLP). The handles live in this
module's own list; nothing is ever set on the user's module.

Definitions (SCIENCE.md §1.2):

* ``mean`` / ``std``: over every element of the layer's output on the probe samples; ``std``
  is the unbiased (Bessel-corrected) standard deviation, 0 for a single element.
* ``dead_fraction``: share of units whose output is never positive on the probe samples,
  i.e. ``max_n a_n <= 0`` per unit. A unit is a column of a (N, units) output, or a channel
  (dim 1) of a (N, C, ...) output, whose maximum is taken over samples and positions. This is
  the ReLU notion of "dead"; a sigmoid output is positive, so its dead fraction is 0 unless
  it saturates so hard that float32 rounds it to exactly 0.
  Dead depends on the probe data, so the payload names the probe set.

This module must not import ``neuralscope.training``: ``watch(model)`` uses it on user models.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import torch
from torch import nn
from torch.utils.hooks import RemovableHandle

from neuralscope.events import (
    GradientNorm,
    GradientsPayload,
    LayerStat,
    LayerStatsPayload,
)
from neuralscope.monitor.modes import evaluating


def gradient_norms(model: nn.Module) -> GradientsPayload:
    """L2 norm of every parameter gradient that exists, by qualified parameter name."""
    named = [(name, p.grad) for name, p in model.named_parameters() if p.grad is not None]
    if not named:
        return GradientsPayload(norms=[])
    # One fused kernel for all norms, one device sync for all numbers.
    norms = torch.stack(torch._foreach_norm([grad for _, grad in named])).tolist()
    return GradientsPayload(
        norms=[
            GradientNorm(parameter=name, norm=norm)
            for (name, _), norm in zip(named, norms, strict=True)
        ]
    )


def _first_tensor(output: object) -> torch.Tensor:
    """A module's output tensor; for tuple outputs (e.g. an LSTM's) the first element."""
    if isinstance(output, tuple | list) and output:
        output = output[0]
    if not isinstance(output, torch.Tensor):
        raise TypeError(f"cannot summarise a module output of type {type(output).__name__}")
    return output


def _summarise(output: torch.Tensor) -> torch.Tensor:
    """(mean, std, dead_fraction) of one layer output as a float64 tensor of 3."""
    a = output.detach()
    # Units along dim 1 (features or channels); everything else is a sample/position axis.
    units = a.movedim(1, -1).reshape(-1, a.shape[1]) if a.ndim >= 2 else a.reshape(-1, 1)
    flat = a.reshape(-1)
    if flat.dtype not in (torch.float32, torch.float64):
        flat = flat.float()  # half precision would overflow the sums
    n = flat.numel()
    # std from a centred dot product: torch.std_mean runs ~10x slower on CPU (PERFORMANCE.md).
    # The mean is summed in float64, and centring keeps a large mean from cancelling digits.
    mean = flat.sum(dtype=torch.float64) / n
    centred = flat - mean.to(flat.dtype)
    var = torch.dot(centred, centred).to(torch.float64) / max(n - 1, 1)
    dead = (units.amax(dim=0) <= 0).to(torch.float64).mean()
    return torch.stack([mean, var.sqrt(), dead])


def _capture(name: str, into: dict[str, torch.Tensor]) -> Callable[..., None]:
    def hook(_module: nn.Module, _inputs: object, output: object) -> None:
        # Reduce inside the hook: no big activation is kept, and a later in-place op
        # (ReLU(inplace=True)) cannot change what was measured. Last call wins.
        into[name] = _summarise(_first_tensor(output))

    return hook


def hooked_forward(
    model: nn.Module,
    layer_names: Sequence[str],
    inputs: torch.Tensor,
    hook_for: Callable[[str], Callable[..., None]],
) -> None:
    """One eval-mode, no-grad forward pass with ``hook_for(name)`` as a forward hook on each
    named module; modes are restored and hooks removed even if the pass raises.

    Raises:
        KeyError: a name is not a module of ``model``.
    """
    modules = dict(model.named_modules())
    missing = [name for name in layer_names if name not in modules]
    if missing:
        raise KeyError(f"no module named {', '.join(missing)} in the model")
    handles: list[RemovableHandle] = []
    try:
        for name in layer_names:
            handles.append(modules[name].register_forward_hook(hook_for(name)))
        with evaluating(model), torch.no_grad():
            model(inputs)
    finally:
        for handle in handles:
            handle.remove()


def layer_stats(
    model: nn.Module,
    layer_names: Sequence[str],
    inputs: torch.Tensor,
    probe_label: str,
) -> LayerStatsPayload:
    """Activation statistics of the named modules' outputs on ``inputs``.

    One forward pass, in eval mode without gradients; every module's train/eval mode is
    restored afterwards, and the hooks are removed even if the forward pass raises.

    Args:
        model: any module.
        layer_names: qualified module names (``model.named_modules()``), e.g. ``"act1"``.
        inputs: the probe samples, on the model's device.
        probe_label: which samples these are, e.g. ``"validation (250 samples)"``.

    Raises:
        KeyError: a name is not a module of ``model``.
        ValueError: a named module did not run during the forward pass.
    """
    captured: dict[str, torch.Tensor] = {}
    hooked_forward(model, layer_names, inputs, lambda name: _capture(name, captured))
    silent = [name for name in layer_names if name not in captured]
    if silent:
        raise ValueError(f"modules {', '.join(silent)} did not run on the probe inputs")
    if not layer_names:
        return LayerStatsPayload(probe=probe_label, layers=[])
    rows = torch.stack([captured[name] for name in layer_names]).tolist()
    return LayerStatsPayload(
        probe=probe_label,
        layers=[
            LayerStat(layer=name, mean=mean, std=std, dead_fraction=dead)
            for name, (mean, std, dead) in zip(layer_names, rows, strict=True)
        ],
    )
