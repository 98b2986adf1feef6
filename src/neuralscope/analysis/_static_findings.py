"""Findings from weights alone (SCIENCE.md sections 1.1 and 2); thresholds from AnalysisConfig."""

from __future__ import annotations

import math

import torch

from neuralscope.analysis.config import AnalysisConfig
from neuralscope.analysis.readiness import InitCheck
from neuralscope.analysis.spectral import SpectralStats
from neuralscope.analysis.weights import WeightStats
from neuralscope.findings import Finding, Severity, make_finding


def layer_of(param: str) -> str:
    return param.rpartition(".")[0] or param


def nan_findings(weights: list[WeightStats]) -> list[Finding]:
    return [
        make_finding(
            "nan_or_inf",
            Severity.CRITICAL,
            f"{w.name} holds {w.nan_count} NaN and {w.inf_count} Inf values.",
            "Reload a checkpoint from before the divergence; lower the learning rate or clip "
            "gradients when retraining.",
            layer=layer_of(w.name),
            evidence={
                "nan_count": w.nan_count,
                "inf_count": w.inf_count,
                "threshold": 0,
                "source": "exact",
            },
        )
        for w in weights
        if w.nan_count or w.inf_count
    ]


def dead_certificate(
    layer: str,
    w: torch.Tensor,
    b: torch.Tensor | None,
    box: tuple[torch.Tensor, torch.Tensor] | None,
) -> list[int]:
    """Units provably dead after ReLU: ub_j = b_j + sum_i max(W_ji l_i, W_ji u_i) <= 0;
    without an input box only zero rows with b_j <= 0 (exact for layer 1; SCIENCE 1.1)."""
    rows = w.detach().reshape(w.shape[0], -1)
    bias = b.detach().double() if b is not None else torch.zeros(rows.shape[0], dtype=torch.float64)
    if box is None:  # a zero row is zero in any precision: no float64 copy of the matrix
        dead = (torch.count_nonzero(rows, dim=1) == 0) & (bias <= 0)
    else:
        w2 = rows.double()
        lo, hi = (t.reshape(-1).double() for t in box)
        ub = bias + torch.maximum(w2 * lo, w2 * hi).sum(dim=1)
        dead = ub <= 0
    return torch.nonzero(dead).flatten().tolist()


def dead_finding(layer: str, units: list[int], total: int, method: str) -> Finding:
    return make_finding(
        "dead_units",
        Severity.WARNING,
        f"{len(units)} of {total} units in {layer} are dead ({method}).",
        "Re-initialise these units (Kaiming) or use LeakyReLU/GELU; check the learning rate.",
        layer=layer,
        evidence={
            "units": units[:256],
            "count": len(units),
            "total": total,
            "method": method,
            "threshold": "max activation <= 0",
            "source": "Lu et al. 2019; interval certificate SCIENCE.md 1.1",
        },
    )


def _modified_z(values: list[float]) -> list[float]:
    t = torch.tensor(values, dtype=torch.float64)
    med = t.median()
    mad = (t - med).abs().median()
    if float(mad) == 0.0:
        return [0.0] * len(values)
    return (0.6745 * (t - med) / mad).tolist()


def scale_findings(
    weights: list[WeightStats], names: set[str], cfg: AnalysisConfig
) -> list[Finding]:
    """Exploding / vanishing weights: per-layer log RMS outliers among the matrix layers."""
    ws = [w for w in weights if w.name in names and w.fro_norm > 0 and not w.nan_count]
    if len(ws) < 4:
        return []
    logs = [math.log10(w.fro_norm / math.sqrt(w.numel)) for w in ws]
    median = float(torch.tensor(logs).median())
    out = []
    for w, lg, z in zip(ws, logs, _modified_z(logs), strict=True):
        decades = lg - median
        if abs(z) > cfg.norm_modified_z and abs(decades) >= cfg.norm_min_decades:
            code = "exploding_weights" if decades > 0 else "vanishing_weights"
            out.append(
                make_finding(
                    code,
                    Severity.WARNING,
                    f"{w.name}: RMS weight is {10 ** abs(decades):.1f}x "
                    f"{'above' if decades > 0 else 'below'} the median layer.",
                    "Check this layer's initialization or weight decay; rescale or re-initialise.",
                    layer=layer_of(w.name),
                    evidence={
                        "log10_rms": lg,
                        "median_log10_rms": median,
                        "modified_z": z,
                        "threshold": cfg.norm_modified_z,
                        "min_decades": cfg.norm_min_decades,
                        "source": "Iglewicz & Hoaglin 1993 (modified z)",
                    },
                )
            )
    return out


def anomaly_findings(
    weights: list[WeightStats], random_like: set[str], cfg: AnalysisConfig
) -> list[Finding]:
    out = []
    for w in weights:
        # Heavy tails are normal in trained layers (Martin & Mahoney 2021): robust outliers are
        # only anomalous in random-like (untrained) layers; they stay in WeightStats otherwise.
        severe = bool(w.duplicate_rows) or (w.outlier_count > 0 and w.name in random_like)
        if not severe or w.nan_count:
            continue
        out.append(
            make_finding(
                "weight_anomaly",
                Severity.WARNING,
                f"{w.name}: {w.outlier_count} robust outliers (max z {w.max_robust_z:.1f}), "
                f"{len(w.duplicate_rows)} duplicated row pairs.",
                "Inspect these weights; duplicated rows waste capacity (re-initialise one copy). "
                "Heavy tails are normal in trained layers.",
                layer=layer_of(w.name),
                evidence={
                    "outliers": w.outlier_count,
                    "max_robust_z": w.max_robust_z,
                    "duplicate_row_pairs": [i for p in w.duplicate_rows[:64] for i in p],
                    "threshold": cfg.robust_z,
                    "cosine_threshold": cfg.duplicate_cosine,
                    "source": "Iglewicz & Hoaglin 1993; SCIENCE.md 1.1",
                },
            )
        )
    return out


def duplicate_layer_findings(mats: dict[str, torch.Tensor], cfg: AnalysisConfig) -> list[Finding]:
    """Same-shape weight matrices whose flattened cosine exceeds the threshold."""
    groups: dict[tuple[int, ...], list[str]] = {}
    for k, v in mats.items():
        groups.setdefault(tuple(v.shape), []).append(k)
    out = []
    for names in groups.values():
        if len(names) < 2:
            continue
        # prefilter on a fixed random subsample of entries; verify candidates exactly
        numel = mats[names[0]].numel()
        gen = torch.Generator().manual_seed(0)
        idx = torch.randint(0, numel, (min(numel, 4096),), generator=gen)
        sub = torch.stack([mats[n].detach().reshape(-1)[idx].float() for n in names])
        sub = sub / torch.linalg.vector_norm(sub, dim=1, keepdim=True).clamp_min(1e-30)
        pre = torch.triu(sub @ sub.T, diagonal=1) > 0.99
        reported: set[int] = set()
        for i, j in torch.nonzero(pre).tolist():
            a, b = (mats[names[k]].detach().reshape(-1).double() for k in (i, j))
            cij = float(a @ b) / max(float(a.norm() * b.norm()), 1e-300)
            if j in reported or cij <= cfg.duplicate_cosine:
                continue
            reported.add(j)
            out.append(
                make_finding(
                    "redundant_layers",
                    Severity.WARNING,
                    f"{names[j]} duplicates {names[i]} (cosine {cij:.6f}).",
                    "Remove or re-initialise one copy; if the tie is intended, share the module.",
                    layer=layer_of(names[j]),
                    evidence={
                        "duplicate_of": layer_of(names[i]),
                        "cosine": cij,
                        "threshold": cfg.duplicate_cosine,
                        "source": "SCIENCE.md section 2",
                    },
                )
            )
    return out


def rank_findings(spectra: list[SpectralStats], cfg: AnalysisConfig) -> list[Finding]:
    out = []
    for s in spectra:
        layer = layer_of(s.name)
        if s.full_rank >= 2 and s.numerical_rank < cfg.low_rank_fraction * s.full_rank:
            out.append(
                make_finding(
                    "low_rank",
                    Severity.WARNING,
                    f"{s.name} has numerical rank {s.numerical_rank} of {s.full_rank}.",
                    "Replace it by a factorized layer of that rank, or re-initialise it.",
                    layer=layer,
                    evidence={
                        "numerical_rank": s.numerical_rank,
                        "full_rank": s.full_rank,
                        "stable_rank": s.stable_rank,
                        "threshold": cfg.low_rank_fraction,
                        "source": "SCIENCE.md 1.1 (heuristic)",
                    },
                )
            )
            continue
        energy = torch.tensor(s.evals, dtype=torch.float64)
        if s.n_evals >= 16 and energy.numel() == s.n_evals and float(energy.sum()) > 0:
            k90 = int((torch.cumsum(energy, 0) / energy.sum() < 0.9).sum()) + 1
            if k90 <= 0.1 * s.full_rank:
                out.append(
                    make_finding(
                        "overparameterized",
                        Severity.INFO,
                        f"{s.name}: 90% of its energy lies in {k90} of {s.full_rank} directions.",
                        f"A rank-{k90} factorization would keep 90% of the energy.",
                        layer=layer,
                        evidence={
                            "k90": k90,
                            "full_rank": s.full_rank,
                            "threshold": 0.1,
                            "source": "Eckart-Young (heuristic)",
                        },
                    )
                )
    return out


def init_findings(checks: list[InitCheck], random_like: set[str]) -> list[Finding]:
    out = []
    for c in checks:
        if not c.flagged:
            continue
        untrained = c.layer in random_like
        out.append(
            make_finding(
                "poor_init",
                Severity.WARNING if untrained else Severity.INFO,
                f"{c.layer}: weight std {c.std:.3g} is {c.ratios[c.closest]:.2f}x the closest "
                f"reference ({c.closest})"
                + ("" if untrained else "; the layer looks trained, so this is only a hint"),
                "Initialise with Kaiming (ReLU) or Xavier (tanh) for this fan-in.",
                layer=c.layer,
                evidence={
                    **{f"ratio_{k}": v for k, v in c.ratios.items()},
                    "std": c.std,
                    "fan_in": c.fan_in,
                    "threshold": "min |ln r| > ln 3",
                    "source": "He 2015; Glorot & Bengio 2010; SCIENCE.md 1.1",
                },
            )
        )
    return out


def bottleneck_findings(chain: list[tuple[str, int, int]]) -> list[Finding]:
    """chain: (layer, in_width, out_width) of consecutive linear layers; a hidden width at most
    half of both neighbouring widths is a structural bottleneck."""
    if not chain:
        return []
    widths = [chain[0][1]] + [c[2] for c in chain]
    out = []
    for i in range(1, len(widths) - 1):
        prev, width, nxt = widths[i - 1], widths[i], widths[i + 1]
        if width <= 0.5 * min(prev, nxt):
            name = chain[i - 1][0]
            out.append(
                make_finding(
                    "bottleneck",
                    Severity.INFO,
                    f"{name} narrows to {width} between widths {prev} and {nxt}.",
                    "Fine for autoencoders; otherwise widen this layer.",
                    layer=name,
                    evidence={
                        "width": width,
                        "neighbours": [prev, nxt],
                        "threshold": 0.5,
                        "source": "SCIENCE.md section 2",
                    },
                )
            )
    return out
