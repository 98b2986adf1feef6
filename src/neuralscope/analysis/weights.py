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
_VERIFY_CHUNK = 4096  # candidate pairs verified per float64 block


def _lsh_bands(m: int) -> tuple[int, int]:
    """(bits per band, bands) for m rows. 16-bit bands collide by chance for ~m^2/2^17 pairs
    per band, fine up to a few thousand rows; taller matrices (embeddings) take 24-bit bands so
    the chance pairs stay few, and one more band keeps the miss rate at cosine 0.999 below 0.3%
    (band agreement (1 - acos(0.999)/pi)^b: b = 16 -> 0.795, 4 bands miss 0.18%;
    b = 24 -> 0.709, 5 bands miss 0.21%)."""
    return (16, 4) if m <= 4096 else (24, 5)


def _band_candidates(keys: np.ndarray, out: set[tuple[int, int]]) -> None:
    """Add every pair of rows sharing a band key (each with at most the next 64 equal keys)."""
    order_a = np.argsort(keys, kind="stable")
    sorted_a = keys[order_a]
    same = np.nonzero(sorted_a[1:] == sorted_a[:-1])[0].tolist()
    if not same:
        return
    order, sorted_keys = order_a.tolist(), sorted_a.tolist()
    for start in same:
        a = order[start]
        k = start + 1
        while k < len(order) and sorted_keys[k] == sorted_keys[start] and k - start <= 64:
            out.add((min(a, order[k]), max(a, order[k])))
            k += 1


def duplicate_rows(w: torch.Tensor, threshold: float) -> list[list[int]]:
    """Pairs (i, j), i < j, of non-zero rows with cosine similarity > threshold.

    Candidates come from sign-random-projection LSH (Charikar 2002) in bands (``_lsh_bands``);
    rows sharing a band are verified exactly in float64. Identical rows always collide; at
    cosine 0.999 a pair is missed with probability < 0.3%. Cost O(m n) instead of O(m^2 n), with
    no temporary larger than one row block (large temporaries dominate on big embeddings)."""
    rows = w.detach().reshape(w.shape[0], -1).float().contiguous().numpy()
    norms = np.sqrt(np.einsum("ij,ij->i", rows, rows, dtype=np.float64))
    keep = np.nonzero(norms > 0)[0]
    if keep.size < 2:
        return []
    kept = rows if keep.size == rows.shape[0] else rows[keep]
    width, n_bands = _lsh_bands(kept.shape[0])
    gen = torch.Generator().manual_seed(0)
    planes = torch.randn(rows.shape[1], width * n_bands, generator=gen).numpy()
    bits = (kept @ planes) > 0  # sign(w.r) = sign(u.r): no need to normalise the rows
    powers = 2 ** np.arange(width, dtype=np.int64)
    candidates: set[tuple[int, int]] = set()
    for band in range(n_bands):
        _band_candidates(bits[:, band * width : (band + 1) * width] @ powers, candidates)
    if not candidates:
        return []
    idx = np.array(sorted(candidates))
    cos = np.empty(len(idx))
    for lo in range(0, len(idx), _VERIFY_CHUNK):
        a, b = idx[lo : lo + _VERIFY_CHUNK, 0], idx[lo : lo + _VERIFY_CHUNK, 1]
        dots = np.einsum("ij,ij->i", kept[a].astype(np.float64), kept[b].astype(np.float64))
        cos[lo : lo + len(a)] = dots / (norms[keep[a]] * norms[keep[b]])
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


_BLOCK = 1 << 18  # elements per pass block: temporaries stay in cache, none as large as w


def _moments(arr: np.ndarray) -> tuple[float, float, float, float, int]:
    """(sum of squares, sum of |x|, min, max, non-zeros) in one blocked pass; pairwise float32
    sums within a block (float64 below 4096 elements), blocks added in float64."""
    s2 = l1 = 0.0
    nonzero = 0
    buf = np.empty(min(arr.size, _BLOCK), dtype=np.float64 if arr.size < 4096 else np.float32)
    for i in range(0, arr.size, _BLOCK):
        blk = arr[i : i + _BLOCK]
        b = buf[: blk.size]
        s2 += float(np.square(blk, out=b, dtype=b.dtype).sum())
        l1 += float(np.abs(blk, out=b, dtype=b.dtype).sum())
        nonzero += int(np.count_nonzero(blk))
    return s2, l1, float(arr.min()), float(arr.max()), nonzero


def _centred_ss(blk: np.ndarray, mean: float) -> float:
    c = blk.astype(np.float64) - mean
    return float(np.dot(c, c))


def _count_inside(arr: np.ndarray, t: float) -> int:
    """Elements with |x| < t, blockwise."""
    buf = np.empty(min(arr.size, _BLOCK), dtype=np.float32)
    count = 0
    for i in range(0, arr.size, _BLOCK):
        blk = arr[i : i + _BLOCK]
        count += int(np.count_nonzero(np.abs(blk, out=buf[: blk.size]) < t))
    return count


def _count_outside(arr: np.ndarray, lo: float, hi: float) -> int:
    """Elements below lo or above hi, blockwise."""
    count = 0
    for i in range(0, arr.size, _BLOCK):
        blk = arr[i : i + _BLOCK]
        count += int(np.count_nonzero(blk > hi)) + int(np.count_nonzero(blk < lo))
    return count


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
    empty (the spectrum reads them off the Gram matrix: ``spectral.rows_from_gram``)."""
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
    s2, l1, lo, hi, nonzero = _moments(arr)
    if not math.isfinite(s2):  # float32 overflow of the squares
        s2 = float(np.square(arr, dtype=np.float64).sum())
    var = max(s2 / n - mean * mean, 0.0)
    if mean * mean > 1e-2 * var and n > 1:  # re-centre: exact two-pass variance
        var = sum(_centred_ss(arr[i : i + _BLOCK], mean) for i in range(0, n, _BLOCK)) / n
    var = var * n / (n - 1) if n > 1 else 0.0
    l2 = math.sqrt(s2)
    abs_max = max(abs(lo), abs(hi))
    sample = _sample(arr)
    med = _lower_median(sample)
    mad = _lower_median(np.abs(sample - np.float32(med)))
    outliers, max_z = 0, 0.0
    if mad > 0:
        max_z = 0.6745 * max(hi - med, med - lo) / mad
        if max_z > config.robust_z:
            cut = config.robust_z * mad / 0.6745
            outliers = _count_outside(arr, med - cut, med + cut)
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
        exact_zero_frac=(n - nonzero) / n,
        near_zero_frac=_count_inside(arr, config.near_zero_rel * abs_max) / n,
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
