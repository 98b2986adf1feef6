"""Per-tensor weight statistics, histograms, sparsity and anomalies (SCIENCE.md section 1.1).

Sparsity: exact zeros, near zeros |w| < 1e-3 * max|w|, Hoyer's measure
H = (sqrt(n) - |w|_1/|w|_2) / (sqrt(n) - 1) (Hoyer 2004). Anomalies: NaN/Inf counts, robust
z = 0.6745 (w - median)/MAD > 6 (Iglewicz & Hoaglin 1993), and duplicate rows with cosine > 0.999.
"""

from __future__ import annotations

import math

import numpy as np
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
    rows = w.detach().reshape(w.shape[0], -1).float().contiguous().numpy()
    norms = np.linalg.norm(rows, axis=1)
    keep = np.nonzero(norms > 0)[0]
    if keep.size < 2:
        return []
    kept = rows if keep.size == rows.shape[0] else rows[keep]
    gen = torch.Generator().manual_seed(0)
    planes = torch.randn(rows.shape[1], _LSH_BITS, generator=gen).numpy()
    bits = (kept @ planes) > 0  # sign(w.r) = sign(u.r): no need to normalise the rows
    width = _LSH_BITS // _LSH_BANDS
    powers = 2 ** np.arange(width, dtype=np.int64)
    candidates: set[tuple[int, int]] = set()
    for band in range(_LSH_BANDS):
        keys = bits[:, band * width : (band + 1) * width].astype(np.int64) @ powers
        order_a = np.argsort(keys, kind="stable")
        sorted_a = keys[order_a]
        same = np.nonzero(sorted_a[1:] == sorted_a[:-1])[0].tolist()
        if not same:
            continue
        order, sorted_keys = order_a.tolist(), sorted_a.tolist()
        for start in same:  # consecutive equal keys: pair each with the next ones (<= 64)
            a = order[start]
            k = start + 1
            while k < len(order) and sorted_keys[k] == sorted_keys[start] and k - start <= 64:
                candidates.add((min(a, order[k]), max(a, order[k])))
                k += 1
    if not candidates:
        return []
    idx = np.array(sorted(candidates))
    dots = np.einsum("ij,ij->i", kept[idx[:, 0]].astype(np.float64), kept[idx[:, 1]])
    cos = dots / (norms[keep[idx[:, 0]]].astype(np.float64) * norms[keep[idx[:, 1]]])
    hits = idx[cos > threshold]
    return [[int(keep[a]), int(keep[b])] for a, b in hits.tolist()]


def _sample(x: np.ndarray) -> np.ndarray:
    """x itself, or an evenly strided subsample of >= 2^16 elements for larger tensors."""
    if x.size <= _SUBSAMPLE:
        return x
    return x[:: x.size // _SUBSAMPLE]


def _lower_median(x: np.ndarray) -> float:
    """The lower median (torch.median's convention), by partial sort: O(n)."""
    k = (x.size - 1) // 2
    return float(np.partition(x, k)[k])


def weight_stats(
    name: str, w: torch.Tensor, config: AnalysisConfig, *, check_rows: bool = True
) -> WeightStats:
    """All statistics of one tensor (pure), in few passes over float32 data: the sum and the sum
    of squares (cascade / pairwise summation; the variance is re-centred in a second pass when
    mean^2 > 1e-2 var, where the shortcut s2/n - mean^2 would lose digits), |w| once for l1,
    near zeros and Hoyer; robust-outlier counts only when the extreme robust z exceeds the
    threshold (otherwise the count is 0 without a pass). Median, MAD and histogram of tensors
    over 2^16 elements come from a fixed strided subsample (display and robust-z centre/scale
    only; every count and fraction is exact). ``check_rows=False``: duplicate rows are left
    empty (``analyze_spectra`` reads them off the Gram matrix)."""
    w = w.detach().float()
    flat = w.reshape(-1).contiguous()
    arr = flat.numpy()
    s1 = float(flat.sum())
    nan_count = inf_count = 0
    if not math.isfinite(s1):  # a NaN or Inf, or an overflowing float32 sum
        nan_count = int(np.count_nonzero(np.isnan(arr)))
        inf_count = int(np.count_nonzero(np.isinf(arr)))
        arr = arr[np.isfinite(arr)] if nan_count or inf_count else arr
        if arr.size == 0:
            arr = np.zeros(1, dtype=np.float32)
        flat = torch.from_numpy(arr)
        s1 = float(flat.sum(dtype=torch.float64))
    finite = not (nan_count or inf_count)
    n = arr.size
    mean = s1 / n
    s2 = float(np.square(arr, dtype=np.float64 if n < 4096 else np.float32).sum())  # pairwise
    if not math.isfinite(s2):  # float32 overflow of the squares
        s2 = float(np.square(arr, dtype=np.float64).sum())
    var = max(s2 / n - mean * mean, 0.0)
    if mean * mean > 1e-2 * var and n > 1:  # re-centre: exact two-pass variance
        c = arr.astype(np.float64) - mean
        var = float(np.dot(c, c)) / n
    var = var * n / (n - 1) if n > 1 else 0.0
    l2 = math.sqrt(s2)
    absx = np.abs(arr)
    l1 = float(absx.sum())  # numpy pairwise summation
    lo, hi = float(arr.min()), float(arr.max())
    abs_max = max(abs(lo), abs(hi))
    sample = _sample(arr)
    med = _lower_median(sample)
    mad = _lower_median(np.abs(sample - np.float32(med)))
    outliers, max_z = 0, 0.0
    if mad > 0:
        max_z = 0.6745 * max(hi - med, med - lo) / mad
        if max_z > config.robust_z:
            cut = config.robust_z * mad / 0.6745
            outliers = int(np.count_nonzero(arr > med + cut)) + int(
                np.count_nonzero(arr < med - cut)
            )
    top = hi if hi > lo else lo + 1e-12
    bins = config.histogram_bins
    pos = (sample.astype(np.float64) - lo) * (bins / (top - lo))
    counts = np.bincount(np.clip(pos.astype(np.int64), 0, bins - 1), minlength=bins)
    edges = torch.linspace(lo, top, bins + 1)
    dups: list[list[int]] = []
    if check_rows and w.ndim >= 2 and 1 < w.shape[0] <= config.duplicate_rows_max and finite:
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
        exact_zero_frac=(n - int(np.count_nonzero(arr))) / n,
        near_zero_frac=int(np.count_nonzero(absx < config.near_zero_rel * abs_max)) / n,
        hoyer=(math.sqrt(n) - l1 / l2) / (math.sqrt(n) - 1.0) if n > 1 and l2 > 0 else 0.0,
        nan_count=nan_count,
        inf_count=inf_count,
        outlier_count=outliers,
        max_robust_z=max_z,
        duplicate_rows=dups,
        histogram=Histogram(
            edges=edges.tolist(), counts=[int(c) for c in counts.tolist()], sampled=sample.size
        ),
    )


def analyze_weights(
    state: dict[str, torch.Tensor], config: AnalysisConfig, skip_rows: set[str] | None = None
) -> list[WeightStats]:
    """Statistics for every floating-point tensor of a state dict (``skip_rows``: tensors whose
    duplicate rows are found elsewhere)."""
    skip = skip_rows or set()
    return [
        weight_stats(k, v, config, check_rows=k not in skip)
        for k, v in state.items()
        if v.is_floating_point()
    ]
