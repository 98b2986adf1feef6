"""Training readiness: init scale, signal propagation and gradient flow (SCIENCE.md 1.1-1.3).

Init scale r_s = std(W)/sigma_s for Kaiming-ReLU sqrt(2/fan_in) (He et al. 2015), Xavier
sqrt(2/(fan_in+fan_out)) (Glorot & Bengio 2010) and torch's default 1/sqrt(3 fan_in) (plus
N(0, 0.02) for Transformers, Devlin et al. 2019); flagged when min_s |ln r_s| > ln 3.
Signal gain_l = E[h_l^2]/E[h_{l-1}^2] between successive inputs of parametric layers
(Kaiming-ReLU ~ 1, torch default ~ 1/6, 10x-wide ~ 100), flagged outside [0.1, 10] or a
cumulative product outside [1e-3, 1e3] (Poole et al. 2016; Schoenholz et al. 2017).
Gradient flow: one backward of mean(output^2); vanishing when |grad W_first| / |grad W_last|
< 1e-3, exploding when > 1e3 or non-finite (Pascanu et al. 2013; heuristic).
"""

from __future__ import annotations

import math

import torch
from pydantic import BaseModel, ConfigDict
from torch import nn

from neuralscope.analysis.config import AnalysisConfig
from neuralscope.analysis.probes import ProbeRecord
from neuralscope.analysis.weights import WeightStats

_INIT_LAYERS = (nn.Linear, nn.Conv1d, nn.Conv2d, nn.Conv3d)


class InitCheck(BaseModel):
    model_config = ConfigDict(frozen=True)

    layer: str
    std: float
    fan_in: int
    fan_out: int
    ratios: dict[str, float]
    closest: str
    flagged: bool


class GainStat(BaseModel):
    model_config = ConfigDict(frozen=True)

    layer: str
    gain: float
    cumulative: float
    flagged: bool


class GradStat(BaseModel):
    model_config = ConfigDict(frozen=True)

    layer: str
    grad_norm: float
    weight_norm: float
    ratio: float


class ReadinessReport(BaseModel):
    model_config = ConfigDict(frozen=True)

    input_description: str
    init: list[InitCheck]
    gains: list[GainStat]
    gradients: list[GradStat]
    first_last_grad_ratio: float | None
    predicted_issues: list[str]
    recommendations: list[str]


# Transformers are conventionally initialised N(0, 0.02) whatever the fan-in (BERT, Devlin et
# al. 2019; GPT-2, Radford et al. 2019; Hugging Face ``initializer_range``).
TRANSFORMER_REFS = {"normal_0.02": 0.02}


def init_check(
    layer: str,
    shape: list[int],
    std: float,
    config: AnalysisConfig,
    extra: dict[str, float] | None = None,
) -> InitCheck:
    """Compare std(W) of a (fan_out, fan_in, *kernel) weight with the reference schemes
    (plus fixed-std ``extra`` references)."""
    fan_out = shape[0]
    fan_in = math.prod(shape[1:])
    refs = {
        "kaiming": math.sqrt(2.0 / fan_in),
        "xavier": math.sqrt(2.0 / (fan_in + fan_out)),
        "torch_default": 1.0 / math.sqrt(3.0 * fan_in),
        **(extra or {}),
    }
    ratios = {k: std / v for k, v in refs.items()}
    logs = {k: abs(math.log(r)) if r > 0 else math.inf for k, r in ratios.items()}
    closest = min(logs, key=logs.__getitem__)
    return InitCheck(
        layer=layer,
        std=std,
        fan_in=fan_in,
        fan_out=fan_out,
        ratios=ratios,
        closest=closest,
        flagged=logs[closest] > config.init_log_ratio,
    )


def init_checks(
    weights: dict[str, WeightStats], config: AnalysisConfig, extra: dict[str, float] | None = None
) -> list[InitCheck]:
    """weights: layer name -> stats of the weight of a Linear/Conv layer (ndim >= 2)."""
    return [
        init_check(k, w.shape, w.std, config, extra)
        for k, w in weights.items()
        if not (w.nan_count or w.inf_count)
    ]


def init_weights_of(module: nn.Module) -> dict[str, torch.Tensor]:
    return {
        n: m.weight
        for n, m in module.named_modules()
        if isinstance(m, _INIT_LAYERS) and m.weight.numel() > 1
    }


def signal_gains(rec: ProbeRecord, config: AnalysisConfig) -> list[GainStat]:
    seen: list[str] = []
    for name in rec.order:
        if name not in seen and name in rec.in_ms:
            seen.append(name)
    gains = []
    cumulative = 1.0
    lo, hi = config.gain_range
    clo, chi = config.cumulative_gain_range
    for i, name in enumerate(seen):
        nxt = rec.in_ms.get(seen[i + 1]) if i + 1 < len(seen) else rec.output_ms
        before = rec.in_ms[name]
        if not before or nxt is None or not math.isfinite(before) or not math.isfinite(nxt):
            continue
        gain = nxt / before
        cumulative *= gain
        flagged = not (lo <= gain <= hi) or not (clo <= cumulative <= chi)
        gains.append(GainStat(layer=name, gain=gain, cumulative=cumulative, flagged=flagged))
    return gains


def gradient_flow(module: nn.Module, x: torch.Tensor) -> list[GradStat]:
    """One backward pass of mean(output^2) on a copy of the gradients (weights untouched)."""
    named = [
        (n, m)
        for n, m in module.named_modules()
        if isinstance(m, _INIT_LAYERS) and m.weight.requires_grad
    ]
    params = [m.weight for _, m in named]
    if not params:
        return []
    with torch.enable_grad():
        out = module(x)
        o = out[0] if isinstance(out, tuple) else out
        loss = o.float().pow(2).mean()
        grads = torch.autograd.grad(loss, params, allow_unused=True)
    stats = []
    for (name, _), p, g in zip(named, params, grads, strict=True):
        gn = float(torch.linalg.vector_norm(g)) if g is not None else 0.0
        wn = float(torch.linalg.vector_norm(p.detach()))
        stats.append(
            GradStat(layer=name, grad_norm=gn, weight_norm=wn, ratio=gn / wn if wn else 0.0)
        )
    return stats
