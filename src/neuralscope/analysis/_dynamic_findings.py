"""Findings that need a forward/backward pass (SCIENCE.md sections 1.2, 1.3 and 2)."""

from __future__ import annotations

import copy
import itertools

import torch
from torch import nn

from neuralscope.analysis.config import AnalysisConfig
from neuralscope.analysis.probes import ProbeRecord, debiased_cka, record
from neuralscope.analysis.readiness import GainStat, GradStat
from neuralscope.findings import Finding, Severity, make_finding


def saturation_findings(rec: ProbeRecord, cfg: AnalysisConfig) -> list[Finding]:
    return [
        make_finding(
            "saturation_risk",
            Severity.WARNING,
            f"{len(units)} of {rec.units.get(layer, 0)} units after {layer} are saturated.",
            "Lower this layer's weight scale (Xavier), normalise its input, or use ReLU/GELU.",
            layer=layer,
            evidence={
                "units": units[:256],
                "count": len(units),
                "threshold": cfg.saturation_fraction,
                "source": "Glorot & Bengio 2010; SCIENCE.md 1.2 (heuristic)",
            },
        )
        for layer, units in rec.saturated.items()
        if units
    ]


def gain_findings(gains: list[GainStat], cfg: AnalysisConfig) -> list[Finding]:
    out = []
    lo, hi = cfg.gain_range
    clo, chi = cfg.cumulative_gain_range
    cumulative_reported = False
    for g in gains:
        local = not (lo <= g.gain <= hi)
        cumulative = not (clo <= g.cumulative <= chi)
        if not local and (not cumulative or cumulative_reported):
            continue
        cumulative_reported = cumulative_reported or cumulative
        what = f"gain {g.gain:.3g}" if local else f"cumulative gain {g.cumulative:.3g}"
        out.append(
            make_finding(
                "poor_init",
                Severity.WARNING,
                f"{g.layer}: signal second moment changes by {what} on the probe input.",
                "Use Kaiming init for ReLU layers (torch's default shrinks the signal ~6x per "
                "layer) or add normalisation.",
                layer=g.layer,
                evidence={
                    "gain": g.gain,
                    "cumulative_gain": g.cumulative,
                    "threshold": f"gain in [{lo}, {hi}], cumulative in [{clo}, {chi}]",
                    "source": "Poole et al. 2016; Schoenholz et al. 2017; SCIENCE.md 1.2",
                },
            )
        )
    return out


def gradient_findings(grads: list[GradStat], cfg: AnalysisConfig) -> list[Finding]:
    if len(grads) < 2:
        return []
    first, last = grads[0], grads[-1]
    if not all(torch.isfinite(torch.tensor([g.grad_norm for g in grads])).tolist()):
        bad = next(g for g in grads if not torch.isfinite(torch.tensor(g.grad_norm)))
        return [
            make_finding(
                "exploding_gradients",
                Severity.CRITICAL,
                f"Non-finite gradient in {bad.layer}.",
                "Clip gradients and check for NaN weights or overflowing activations.",
                layer=bad.layer,
                evidence={
                    "grad_norm": str(bad.grad_norm),
                    "threshold": "finite",
                    "source": "Pascanu et al. 2013",
                },
            )
        ]
    if last.grad_norm == 0:
        return []
    ratio = first.grad_norm / last.grad_norm
    if cfg.grad_ratio <= ratio <= 1.0 / cfg.grad_ratio:
        return []
    code = "vanishing_gradients" if ratio < cfg.grad_ratio else "exploding_gradients"
    return [
        make_finding(
            code,
            Severity.WARNING,
            f"Gradient norm of {first.layer} is {ratio:.2e}x that of {last.layer} after one "
            "backward pass.",
            "Check initialization and depth; add residual connections or normalisation.",
            layer=first.layer,
            evidence={
                "first_last_ratio": ratio,
                "threshold": cfg.grad_ratio,
                "source": "Pascanu et al. 2013 (heuristic)",
            },
        )
    ]


def _reset(module: nn.Module) -> nn.Module:
    fresh = copy.deepcopy(module)
    for m in fresh.modules():
        reset = getattr(m, "reset_parameters", None)
        if callable(reset):
            reset()
    return fresh


def cka_findings(module: nn.Module, probe: torch.Tensor, cfg: AnalysisConfig) -> list[Finding]:
    """Debiased CKA of consecutive parametric layers vs a random-init baseline (SCIENCE 2)."""
    rec = record(module, probe, keep_outputs=True)
    torch.manual_seed(0)
    base = record(_reset(module), probe, keep_outputs=True)
    names = [n for i, n in enumerate(rec.order) if n not in rec.order[:i]]
    n = probe.shape[0]
    out = []
    for a, b in itertools.pairwise(names):
        xa, xb = rec.outputs.get(a), rec.outputs.get(b)
        if xa is None or xb is None or n < 10 * max(xa.shape[1], xb.shape[1]) or n < 4:
            continue
        cka = debiased_cka(xa, xb)
        baseline = debiased_cka(base.outputs[a], base.outputs[b])
        if cka > cfg.cka_redundant and cka > baseline:
            out.append(
                make_finding(
                    "redundant_layers",
                    Severity.WARNING,
                    f"{b} represents the same information as {a} (debiased CKA {cka:.3f}, random "
                    f"baseline {baseline:.3f}).",
                    "Try removing or merging one of the two layers and compare validation loss.",
                    layer=b,
                    evidence={
                        "cka": cka,
                        "baseline": baseline,
                        "pair": a,
                        "n": n,
                        "threshold": cfg.cka_redundant,
                        "source": "Nguyen, Raghu & Kornblith 2021; SCIENCE.md section 2",
                    },
                )
            )
    return out


def activation_dead(rec: ProbeRecord) -> dict[str, tuple[list[int], int]]:
    return {k: (v, rec.units.get(k, 0)) for k, v in rec.dead.items() if v}
