"""Per-step signals of a watched model: gradient flow, update ratios, predictions, samples.

Gradient flow per parameter (SCIENCE.md 1.3): mean |g|, max |g| and the L2 norm; the
update-to-weight ratio u = ||W_t - W_{t-1}|| / ||W_{t-1}|| from a copy of the weights taken
one step earlier (Karpathy, CS231n notes). Confidence is the max softmax probability
(Hendrycks & Gimpel 2017). All reductions run on the model's device; numbers reach the host
in one transfer per call.
"""

from __future__ import annotations

import math

import numpy as np
import torch
from torch import nn

from neuralscope.events import CompactArray


def weight_names(model: nn.Module) -> list[str]:
    """Parameters that are weight matrices or kernels (ndim >= 2), input side first."""
    return [name for name, p in model.named_parameters() if p.ndim >= 2]


def gradient_flow(model: nn.Module) -> dict[str, tuple[float, float, float]]:
    """(mean |g|, max |g|, ||g||) per parameter with a gradient (fused norms, one transfer)."""
    named = [(n, p.grad) for n, p in model.named_parameters() if p.grad is not None]
    if not named:
        return {}
    grads = [g.detach() for _, g in named]
    l1 = torch.stack(torch._foreach_norm(grads, 1))
    linf = torch.stack(torch._foreach_norm(grads, math.inf))
    l2 = torch.stack(torch._foreach_norm(grads, 2))
    sizes = torch.tensor([g.numel() for g in grads], dtype=torch.float64, device=l1.device)
    rows = torch.stack([l1.double() / sizes, linf.double(), l2.double()], dim=1).cpu().tolist()
    return {name: (r[0], r[1], r[2]) for (name, _), r in zip(named, rows, strict=True)}


def snapshot_weights(model: nn.Module, names: list[str]) -> dict[str, torch.Tensor]:
    params = dict(model.named_parameters())
    return {n: params[n].detach().clone() for n in names}


def update_ratios(model: nn.Module, before: dict[str, torch.Tensor]) -> dict[str, float]:
    """||W_now - W_before|| / ||W_before|| per parameter in ``before``."""
    if not before:
        return {}
    params = dict(model.named_parameters())
    rows = torch.stack(
        [
            torch.stack([(params[n].detach() - w).norm(), w.norm()]).double().cpu()
            for n, w in before.items()
        ]
    ).tolist()
    return {n: (d / w if w > 0 else math.inf) for n, (d, w) in zip(before, rows, strict=True)}


def is_classification(outputs: torch.Tensor, targets: torch.Tensor) -> bool:
    """(N, C >= 2) logits with N integer class targets: what confidence is defined for."""
    return (
        outputs.ndim == 2
        and outputs.shape[1] >= 2
        and targets.numel() == outputs.shape[0]
        and not targets.is_floating_point()
        and not targets.is_complex()
    )


def predictions(
    outputs: torch.Tensor, targets: torch.Tensor
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """(confidence, prediction, correct) for class logits of shape (N, C)."""
    conf, pred = torch.softmax(outputs.detach().float(), dim=-1).max(dim=-1)
    return conf, pred, pred == targets.detach().reshape(-1).to(pred.device)


def as_images(inputs: torch.Tensor) -> np.ndarray | None:
    """Inputs as (N, H, W) uint8 grey images, or None when they are not image-like.

    Accepts (N, C, H, W) with C in {1, 3} (channels averaged), (N, H, W), and flat (N, D)
    with D a perfect square (e.g. 784 -> 28x28, 64 -> 8x8). Each image is min-max scaled.
    """
    x = inputs.detach().float().cpu()
    if x.ndim == 4 and x.shape[1] in (1, 3):
        x = x.mean(dim=1)
    elif x.ndim == 2 and math.isqrt(x.shape[1]) ** 2 == x.shape[1] and x.shape[1] >= 16:
        side = math.isqrt(x.shape[1])
        x = x.reshape(-1, side, side)
    elif x.ndim != 3:
        return None
    lo = x.amin(dim=(1, 2), keepdim=True)
    hi = x.amax(dim=(1, 2), keepdim=True)
    scaled = (x - lo) / (hi - lo).clamp_min(1e-12) * 255.0
    return scaled.round().clamp(0, 255).to(torch.uint8).numpy()


def compact_images(inputs: torch.Tensor, limit: int) -> CompactArray | None:
    images = as_images(inputs[:limit])
    return None if images is None else CompactArray.from_numpy(images, "uint8")
