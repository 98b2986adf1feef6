"""Fixed-bin histograms of parameters, gradients and activations (TensorBoard-style).

Each tensor gets ``bins`` equal-width bins over its own [min, max], computed
on the tensor's device; all numbers are moved to the host in one transfer per call. Non-finite
values are excluded from the counts (they are reported by the gradient rules instead).
"""

from __future__ import annotations

from collections.abc import Sequence

import torch
from torch import nn

from neuralscope.events import Histogram, HistogramSource

DEFAULT_BINS = 30


def _row(t: torch.Tensor, bins: int) -> torch.Tensor:
    """[lo, hi, counts...] of one tensor as float64 on its device.

    Bin of x: floor((x - lo) * bins / (hi - lo)), the maximum in the last bin (as
    ``torch.histc``, ~5x faster on CPU). Finite lo and hi prove every value finite; only
    otherwise is the tensor filtered.
    """
    flat = t.detach().reshape(-1).float()
    lo, hi = torch.aminmax(flat)
    if not bool(torch.isfinite(lo) & torch.isfinite(hi)):
        flat = flat[torch.isfinite(flat)]
        if flat.numel() == 0:
            return torch.zeros(bins + 2, dtype=torch.float64, device=t.device)
        lo, hi = torch.aminmax(flat)
    scale = bins / (hi - lo).clamp_min(torch.finfo(torch.float32).tiny)
    idx = ((flat - lo) * scale).to(torch.int64).clamp_(0, bins - 1)
    counts = torch.bincount(idx, minlength=bins)
    return torch.cat([torch.stack([lo, hi]).double(), counts.double()])


def histograms(
    items: Sequence[tuple[str, HistogramSource, torch.Tensor]], bins: int = DEFAULT_BINS
) -> list[Histogram]:
    """Histograms of ``(name, source, tensor)`` items."""
    if not items:
        return []
    rows = torch.stack([_row(t, bins).cpu() for _, _, t in items]).tolist()
    return [
        Histogram(name=name, source=source, lo=row[0], hi=row[1], counts=[int(c) for c in row[2:]])
        for (name, source, _), row in zip(items, rows, strict=True)
    ]


def parameter_histograms(model: nn.Module, bins: int = DEFAULT_BINS) -> list[Histogram]:
    """Weight and bias histograms of every parameter (``*.bias`` counts as bias)."""
    items: list[tuple[str, HistogramSource, torch.Tensor]] = [
        (name, "bias" if name.endswith("bias") else "weight", p)
        for name, p in model.named_parameters()
    ]
    return histograms(items, bins)


def gradient_histograms(model: nn.Module, bins: int = DEFAULT_BINS) -> list[Histogram]:
    items: list[tuple[str, HistogramSource, torch.Tensor]] = [
        (name, "gradient", p.grad) for name, p in model.named_parameters() if p.grad is not None
    ]
    return histograms(items, bins)
