"""Per-tensor weight statistics, histograms, sparsity and anomalies (SCIENCE.md section 1.1).

Sparsity: exact zeros, near zeros |w| < 1e-3 * max|w|, Hoyer's measure
H = (sqrt(n) - |w|_1/|w|_2) / (sqrt(n) - 1) (Hoyer 2004). Anomalies: NaN/Inf counts, robust
z = 0.6745 (w - median)/MAD > 6 (Iglewicz & Hoaglin 1993), and duplicate rows with cosine > 0.999.
"""

from __future__ import annotations

import math

import torch
from pydantic import BaseModel, ConfigDict, Field

from neuralscope.analysis.config import AnalysisConfig


class Histogram(BaseModel):
    model_config = ConfigDict(frozen=True)

    edges: list[float]
    counts: list[int]
    sampled: int = Field(description="elements histogrammed (a strided subsample above 2^16)")


class WeightStats(BaseModel):
    """Distribution, sparsity and anomalies of one parameter tensor."""

    model_config = ConfigDict(frozen=True)

    name: str
    shape: list[int]
    numel: int
    mean: float
    std: float
    min: float
    max: float
    abs_max: float
    fro_norm: float
    exact_zero_frac: float
    near_zero_frac: float
    hoyer: float
    nan_count: int
    inf_count: int
    outlier_count: int
    max_robust_z: float
    duplicate_rows: list[list[int]]
    histogram: Histogram


def hoyer(w: torch.Tensor) -> float:
    """Hoyer sparsity in [0, 1]: 0 for equal magnitudes, 1 for a single non-zero."""
    n = w.numel()
    if n < 2:
        return 0.0
    flat = w.detach().reshape(-1).double()
    l2 = float(torch.linalg.vector_norm(flat))
    if l2 == 0.0:
        return 0.0
    l1 = float(flat.abs().sum())
    return (math.sqrt(n) - l1 / l2) / (math.sqrt(n) - 1.0)


_SUBSAMPLE = 1 << 16  # median, MAD and histogram of larger tensors from a strided subsample
_LSH_BITS, _LSH_BANDS = 64, 4


def duplicate_rows(w: torch.Tensor, threshold: float) -> list[list[int]]:
    """Pairs (i, j), i < j, of non-zero rows with cosine similarity > threshold.

    Candidates come from sign-random-projection LSH (Charikar 2002): 64 bits in 4 bands of 16;
    rows sharing a band are verified exactly. Identical rows always collide; at cosine 0.999 a
    pair is missed with probability < 0.3%. Cost O(m n) instead of O(m^2 n)."""
    rows = w.detach().reshape(w.shape[0], -1).float()
    norms = torch.linalg.vector_norm(rows, dim=1)
    keep = torch.nonzero(norms > 0).flatten()
    if keep.numel() < 2:
        return []
    unit = rows[keep] / norms[keep, None]
    gen = torch.Generator().manual_seed(0)
    bits = (unit @ torch.randn(unit.shape[1], _LSH_BITS, generator=gen)) > 0
    width = _LSH_BITS // _LSH_BANDS
    powers = 2 ** torch.arange(width, dtype=torch.int64)
    candidates: set[tuple[int, int]] = set()
    for band in range(_LSH_BANDS):
        keys = (bits[:, band * width : (band + 1) * width].long() * powers).sum(1)
        order_t = torch.argsort(keys)
        sorted_t = keys[order_t]
        same = torch.nonzero(sorted_t[1:] == sorted_t[:-1]).flatten().tolist()
        if not same:
            continue
        order, sorted_keys = order_t.tolist(), sorted_t.tolist()
        for start in same:  # consecutive equal keys: pair each with the next ones (<= 64)
            a = order[start]
            k = start + 1
            while k < len(order) and sorted_keys[k] == sorted_keys[start] and k - start <= 64:
                candidates.add((min(a, order[k]), max(a, order[k])))
                k += 1
    if not candidates:
        return []
    idx = torch.tensor(sorted(candidates))
    cos = (unit[idx[:, 0]] * unit[idx[:, 1]]).sum(1)
    hits = idx[cos > threshold]
    return [[int(keep[a]), int(keep[b])] for a, b in hits.tolist()]


def _sample(x: torch.Tensor) -> torch.Tensor:
    """x itself, or an evenly strided subsample of >= 2^16 elements for larger tensors."""
    if x.numel() <= _SUBSAMPLE:
        return x
    return x[:: x.numel() // _SUBSAMPLE]


def weight_stats(name: str, w: torch.Tensor, config: AnalysisConfig) -> WeightStats:
    """All statistics of one tensor (pure). Sums accumulate in float64; the median, MAD and
    histogram of tensors over 2^16 elements come from a fixed strided subsample (display and
    robust-z centre/scale only; every count and fraction is exact)."""
    # The subsample is strided (every k-th element): deterministic and free of gather costs.
    w = w.detach().float()
    flat = w.reshape(-1)
    s1 = flat.sum(dtype=torch.float64)
    finite = bool(torch.isfinite(s1))
    nan_count = inf_count = 0
    x = flat
    if not finite:
        nan_count = int(torch.isnan(flat).sum())
        inf_count = int(torch.isinf(flat).sum())
        x = flat[torch.isfinite(flat)]
        if x.numel() == 0:
            x = torch.zeros(1)
        s1 = x.sum(dtype=torch.float64)
    n = x.numel()
    absx = x.abs()
    l2 = float(torch.linalg.vector_norm(x, dtype=torch.float64))
    s2 = l2 * l2
    l1 = float(absx.sum(dtype=torch.float64))
    mean = float(s1) / n
    var = max(s2 / n - mean * mean, 0.0) * n / (n - 1) if n > 1 else 0.0
    lo_t, hi_t = torch.aminmax(x)
    lo, hi = float(lo_t), float(hi_t)
    abs_max = max(abs(lo), abs(hi))
    sample = _sample(x)
    median = sample.median()
    mad = float((sample - median).abs().median())
    outliers, max_z = 0, 0.0
    if mad > 0:
        med = float(median)
        cut = config.robust_z * mad / 0.6745
        outliers = int(torch.count_nonzero(x > med + cut)) + int(torch.count_nonzero(x < med - cut))
        max_z = 0.6745 * max(hi - med, med - lo) / mad
    top = hi if hi > lo else lo + 1e-12
    counts = torch.histc(sample, bins=config.histogram_bins, min=lo, max=top)
    edges = torch.linspace(lo, top, config.histogram_bins + 1)
    dups: list[list[int]] = []
    if w.ndim >= 2 and 1 < w.shape[0] <= config.duplicate_rows_max and finite:
        dups = duplicate_rows(w, config.duplicate_cosine)
    return WeightStats(
        name=name,
        shape=list(w.shape),
        numel=w.numel(),
        mean=mean,
        std=math.sqrt(var),
        min=lo,
        max=hi,
        abs_max=abs_max,
        fro_norm=l2,
        exact_zero_frac=int(torch.count_nonzero(x == 0)) / n,
        near_zero_frac=int(torch.count_nonzero(absx < config.near_zero_rel * abs_max)) / n,
        hoyer=(math.sqrt(n) - l1 / l2) / (math.sqrt(n) - 1.0) if n > 1 and l2 > 0 else 0.0,
        nan_count=nan_count,
        inf_count=inf_count,
        outlier_count=outliers,
        max_robust_z=max_z,
        duplicate_rows=dups,
        histogram=Histogram(
            edges=edges.tolist(), counts=[int(c) for c in counts.tolist()], sampled=sample.numel()
        ),
    )


def analyze_weights(state: dict[str, torch.Tensor], config: AnalysisConfig) -> list[WeightStats]:
    """Statistics for every floating-point tensor of a state dict."""
    return [weight_stats(k, v, config) for k, v in state.items() if v.is_floating_point()]
