"""Activation probes on one forward pass (SCIENCE.md sections 1.2 and 2).

Hooks live in this object's scope and are removed on exit. Recorded per parametric leaf
(Linear/Conv/...) in execution order: the mean square of its input and output (signal
propagation gain_l = E[h_l^2]/E[h_{l-1}^2], Poole et al. 2016), ReLU outputs (dead unit:
max over samples <= 0), tanh/sigmoid outputs (saturated unit: |tanh| > 0.99 or sigmoid within
0.01 of 0/1 on > 90% of samples; Glorot & Bengio 2010) and flattened layer outputs for CKA.
Debiased linear CKA uses the unbiased HSIC estimator (Song et al. 2012; Nguyen, Raghu &
Kornblith 2021).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import torch
from torch import nn

_GAIN = (nn.Linear, nn.Conv1d, nn.Conv2d, nn.Conv3d)
_PARAMETRIC = (*_GAIN, nn.RNNBase, nn.Embedding)


@dataclass
class ProbeRecord:
    """Raw per-layer measurements of one forward pass (mutable only while recording)."""

    order: list[str] = field(default_factory=list)
    in_ms: dict[str, float] = field(default_factory=dict)
    out_ms: dict[str, float] = field(default_factory=dict)
    outputs: dict[str, torch.Tensor] = field(default_factory=dict)
    dead: dict[str, list[int]] = field(default_factory=dict)
    units: dict[str, int] = field(default_factory=dict)
    saturated: dict[str, list[int]] = field(default_factory=dict)
    output_ms: float = 0.0


def _unit_view(t: torch.Tensor) -> torch.Tensor:
    """(samples, units): channels are dim 1 for conv maps, the last dim otherwise."""
    if t.ndim in (4, 5):
        return t.transpose(0, 1).reshape(t.shape[1], -1).T
    return t.reshape(-1, t.shape[-1])


def record(module: nn.Module, x: torch.Tensor, keep_outputs: bool = False) -> ProbeRecord:
    """Run one forward pass with temporary hooks and return what they saw."""
    rec = ProbeRecord()
    last_param: list[str] = [""]
    handles = []

    def ms(t: object) -> float | None:
        if isinstance(t, tuple):
            t = t[0]
        return (
            float(t.detach().double().pow(2).mean())
            if isinstance(t, torch.Tensor) and t.is_floating_point()
            else None
        )

    for name, mod in module.named_modules():
        if isinstance(mod, _PARAMETRIC):

            def hook(_m: nn.Module, inp: tuple[object, ...], out: object, name: str = name) -> None:
                rec.order.append(name)
                last_param[0] = name
                if isinstance(_m, _GAIN):  # gain theory is for Linear/Conv maps only
                    if (v := ms(inp[0] if inp else None)) is not None:
                        rec.in_ms[name] = v
                    if (v := ms(out)) is not None:
                        rec.out_ms[name] = v
                o = out[0] if isinstance(out, tuple) else out
                if keep_outputs and isinstance(o, torch.Tensor):
                    rec.outputs[name] = o.detach().reshape(o.shape[0], -1).double()

            handles.append(mod.register_forward_hook(hook))
        elif isinstance(mod, nn.ReLU | nn.Tanh | nn.Sigmoid):

            def act(_m: nn.Module, _i: object, out: torch.Tensor) -> None:
                owner = last_param[0]
                units = _unit_view(out.detach())
                rec.units[owner] = units.shape[1]
                if isinstance(_m, nn.ReLU):
                    dead = torch.nonzero(units.max(dim=0).values <= 0).flatten().tolist()
                    rec.dead[owner] = dead
                else:
                    near = (
                        (units.abs() > 0.99)
                        if isinstance(_m, nn.Tanh)
                        else ((units < 0.01) | (units > 0.99))
                    )
                    sat = torch.nonzero(near.double().mean(dim=0) > 0.9).flatten().tolist()
                    rec.saturated[owner] = sat

            handles.append(mod.register_forward_hook(act))
    try:
        with torch.no_grad():
            out = module(x)
        o = out[0] if isinstance(out, tuple) else out
        if isinstance(o, torch.Tensor) and o.is_floating_point():
            rec.output_ms = float(o.double().pow(2).mean())
    finally:
        for h in handles:
            h.remove()
    return rec


def _hsic_terms(x: torch.Tensor, y: torch.Tensor) -> float:
    """Unbiased HSIC (Song et al. 2012) of linear kernels K = XX^T, L = YY^T with zeroed
    diagonals, computed in feature space: O(n d1 d2) time, no n x n Gram matrices."""
    n = x.shape[0]
    dk = (x * x).sum(1)
    dl = (y * y).sum(1)
    tr = float((x.T @ y).pow(2).sum() - (dk * dl).sum())  # tr(K~ L~)
    k1 = x @ x.sum(0) - dk  # K~ 1
    l1 = y @ y.sum(0) - dl  # L~ 1
    term = tr + float(k1.sum()) * float(l1.sum()) / ((n - 1) * (n - 2))
    term -= 2.0 / (n - 2) * float(k1 @ l1)
    return term / (n * (n - 3))


def debiased_cka(x: torch.Tensor, y: torch.Tensor) -> float:
    """Debiased linear CKA between (n, d1) and (n, d2) features (n >= 4)."""
    x = (x - x.mean(0)).double()
    y = (y - y.mean(0)).double()
    denom = (_hsic_terms(x, x) * _hsic_terms(y, y)) ** 0.5
    return _hsic_terms(x, y) / denom if denom > 0 else 0.0
