"""Optimization opportunities: pruning, int8/fp16 quantization, low-rank factorization.

Estimates: pruning removes near-zero weights (|w| < 1e-3 max|w|); int8 stores 1 byte per fp32
weight (4x smaller), fp16 2 bytes; a rank-r factorization of an m x n matrix keeps r (m + n)
parameters, with r the smallest rank holding 90% of the spectral energy (Eckart-Young). When the
model can run, each is applied to a deep copy and the relative output change
|f'(x) - f(x)| / |f(x)| on the probe input is measured.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import torch
from pydantic import BaseModel, ConfigDict
from torch import nn

from neuralscope.analysis.cost import hookable
from neuralscope.analysis.spectral import SpectralStats
from neuralscope.analysis.weights import WeightStats


class Opportunity(BaseModel):
    model_config = ConfigDict(frozen=True)

    kind: str
    layers: list[str]
    param_reduction: int
    memory_saving_bytes: int
    flop_reduction_fraction: float | None
    measured_output_change: float | None
    priority: str
    note: str


class OptimizationReport(BaseModel):
    model_config = ConfigDict(frozen=True)

    opportunities: list[Opportunity]


def _priority(saving_fraction: float, change: float | None) -> str:
    level = 2 if saving_fraction >= 0.25 else 1 if saving_fraction >= 0.05 else 0
    if change is not None and change > 0.05:
        level -= 1
    return ["low", "medium", "high"][max(level, 0)]


Edit = Callable[[str, torch.Tensor], torch.Tensor | None]


def _measure(module: nn.Module, x: torch.Tensor, edit: Edit) -> float | None:
    """Relative output change with edited parameters, via ``functional_call`` (the module and
    its weights are untouched: the edit is applied to copies)."""
    with torch.no_grad():
        new_params = {}
        for name, p in module.named_parameters():
            edited = edit(name, p.detach())
            if edited is not None:
                new_params[name] = edited
        ref = module(x)
        new = torch.func.functional_call(module, new_params, (x,))
    ref_t = ref[0] if isinstance(ref, tuple) else ref
    new_t = new[0] if isinstance(new, tuple) else new
    denom = float(torch.linalg.vector_norm(ref_t.double()))
    change = float(torch.linalg.vector_norm(new_t.double() - ref_t.double())) / max(denom, 1e-30)
    return change if math.isfinite(change) else None


def _edit_params(fn: Callable[[torch.Tensor], torch.Tensor], names: set[str]) -> Edit:
    return lambda name, p: fn(p) if name in names else None


def _int8(w: torch.Tensor) -> torch.Tensor:
    if w.ndim < 2:
        return w
    scale = w.abs().reshape(w.shape[0], -1).amax(dim=1).clamp_min(1e-12) / 127.0
    shape = (-1,) + (1,) * (w.ndim - 1)
    return torch.round(w / scale.reshape(shape)).clamp(-127, 127) * scale.reshape(shape)


def _low_rank(ranks: dict[str, int]) -> Edit:
    def edit(name: str, p: torch.Tensor) -> torch.Tensor | None:
        if name not in ranks:
            return None
        u, s, vh = torch.linalg.svd(p.reshape(p.shape[0], -1), full_matrices=False)
        r = ranks[name]
        approx: torch.Tensor = ((u[:, :r] * s[:r]) @ vh[:r]).reshape(p.shape)
        return approx

    return edit


def optimization_report(
    weights: list[WeightStats],
    spectra: list[SpectralStats],
    total_params: int,
    module: nn.Module | None,
    probe: torch.Tensor | None,
) -> OptimizationReport:
    """Estimated (and, with a runnable model, measured) benefit of each optimization."""
    # functional_call (used to measure on copies) refuses TorchScript modules
    runnable = module is not None and probe is not None and hookable(module)
    float_w = [w for w in weights if w.nan_count == 0]
    total = max(total_params, 1)
    ops = []
    prunable = {w.name: w for w in float_w if w.near_zero_frac > 0}
    n_prune = int(sum(w.near_zero_frac * w.numel for w in prunable.values()))
    if n_prune:
        change = None
        if runnable:
            assert module is not None
            assert probe is not None
            change = _measure(
                module,
                probe,
                _edit_params(
                    lambda p: torch.where(p.abs() < 1e-3 * p.abs().max(), 0.0, p), set(prunable)
                ),
            )
        ops.append(
            Opportunity(
                kind="pruning",
                layers=sorted(prunable)[:64],
                param_reduction=n_prune,
                memory_saving_bytes=4 * n_prune,
                flop_reduction_fraction=None,
                measured_output_change=change,
                priority=_priority(n_prune / total, change),
                note="unstructured: saves memory only with sparse storage/kernels",
            )
        )
    mats = {w.name for w in float_w if len(w.shape) >= 2}
    n_mat = sum(w.numel for w in float_w if w.name in mats)
    for kind, fn, nbytes in (("int8", _int8, 3), ("fp16", lambda p: p.half().float(), 2)):
        change = _measure(module, probe, _edit_params(fn, mats)) if runnable else None  # type: ignore[arg-type]
        ops.append(
            Opportunity(
                kind=f"quantization_{kind}",
                layers=sorted(mats)[:64],
                param_reduction=0,
                memory_saving_bytes=nbytes * n_mat,
                flop_reduction_fraction=None,
                measured_output_change=change,
                priority=_priority(nbytes / 4 * n_mat / total, change),
                note=f"per-channel symmetric {kind}" if kind == "int8" else "weights cast to fp16",
            )
        )
    ranks: dict[str, int] = {}
    saved = 0
    for s in spectra:
        e = torch.tensor(s.evals, dtype=torch.float64)
        if e.numel() != s.n_evals or float(e.sum()) <= 0 or len(s.shape) != 2:
            continue
        r = int((torch.cumsum(e, 0) / e.sum() < 0.9).sum()) + 1
        m, n = s.shape
        if r * (m + n) < m * n:
            ranks[s.name] = r
            saved += m * n - r * (m + n)
    if ranks:
        change = _measure(module, probe, _low_rank(ranks)) if runnable else None  # type: ignore[arg-type]
        ops.append(
            Opportunity(
                kind="low_rank",
                layers=sorted(ranks)[:64],
                param_reduction=saved,
                memory_saving_bytes=4 * saved,
                flop_reduction_fraction=saved / total,
                measured_output_change=change,
                priority=_priority(saved / total, change),
                note="rank keeping 90% of each layer's spectral energy (SVD)",
            )
        )
    return OptimizationReport(opportunities=ops)
