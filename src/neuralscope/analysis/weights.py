"""Per-tensor weight statistics, histograms, sparsity and anomalies (SCIENCE.md section 1.1).

Sparsity: exact zeros, near zeros |w| < 1e-3 * max|w|, Hoyer's measure
H = (sqrt(n) - |w|_1/|w|_2) / (sqrt(n) - 1) (Hoyer 2004). Anomalies: NaN/Inf counts, robust
z = 0.6745 (w - median)/MAD > 6 (Iglewicz & Hoaglin 1993), and duplicate rows with cosine > 0.999.
"""

from __future__ import annotations

import math
from typing import NamedTuple

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


_BLOCK = 1 << 16  # elements per pass block (256 KB): temporaries stay in L2, none as large as w


class _Sums(NamedTuple):
    s1: float  # sum
    s2: float  # sum of squares
    l1: float  # sum of |x|
    nonzero: int
    inside: int  # |x| < the near-zero cut


def _block_sums(arr: np.ndarray, near: float) -> _Sums:
    """The sums and counts in one blocked pass: each block is read from memory once and the
    rest works in cache. numpy's pairwise float32 sums within a block, float64 across blocks;
    float64 throughout below 4096 elements. Counts go through boolean masks, which numpy counts
    with SIMD (counting a float array's non-zeros is ~4x slower). numpy alone, single-threaded:
    the result does not depend on thread counts (a BLAS dot product or a torch reduction over a
    block may be split across threads), and analysis threads do not oversubscribe the cores."""
    s1 = s2 = l1 = 0.0
    zeros = inside = 0
    if arr.size < 4096:
        arr = arr.astype(np.float64)
    mag_buf = np.empty(min(arr.size, _BLOCK), dtype=arr.dtype)
    sq_buf = np.empty_like(mag_buf)
    for i in range(0, arr.size, _BLOCK):
        blk = arr[i : i + _BLOCK]
        mag = np.abs(blk, out=mag_buf[: blk.size])
        sq = np.square(blk, out=sq_buf[: blk.size])
        s1 += float(blk.sum())
        l1 += float(mag.sum())
        s2 += float(sq.sum())
        zeros += int(np.count_nonzero(mag == 0))
        inside += int(np.count_nonzero(mag < near))
    return _Sums(s1, s2, l1, arr.size - zeros, inside)


def _centred_ss(blk: np.ndarray, mean: float) -> float:
    c = blk.astype(np.float64) - mean
    return float(np.square(c, out=c).sum())  # numpy's pairwise sum: no BLAS thread split


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
    """All statistics of one tensor (pure), in two passes over float32 data: min and max (which
    also reveal a NaN or Inf), then blockwise the sum, the sum of squares, |w| for l1, the
    non-zeros and near zeros (``_block_sums``; the variance is re-centred in another pass when
    mean^2 > 1e-2 var, where the shortcut s2/n - mean^2 would lose digits). Robust outliers are
    counted only when the extreme robust z exceeds the threshold (otherwise the count is 0
    without a pass). Median, MAD and histogram of tensors
    over 2^16 elements come from a fixed strided subsample (display and robust-z centre/scale
    only; every count and fraction is exact). ``check_rows=False``: duplicate rows are left
    empty (the spectrum reads them off the Gram matrix: ``spectral.rows_from_gram``)."""
    w = w.detach().float()
    flat = w.reshape(-1).contiguous()
    if flat.numel() == 0:
        flat = torch.zeros(1)
    lo, hi = (float(v) for v in torch.aminmax(flat))  # NaN or +-Inf when any is there
    nan_count = inf_count = 0
    if not (math.isfinite(lo) and math.isfinite(hi)):
        nan_count = int(torch.count_nonzero(torch.isnan(flat)))
        inf_count = int(torch.count_nonzero(torch.isinf(flat)))
        flat = flat[torch.isfinite(flat)]
        flat = flat if flat.numel() else torch.zeros(1)
        lo, hi = (float(v) for v in torch.aminmax(flat))
    finite = not (nan_count or inf_count)
    abs_max = max(abs(lo), abs(hi))
    arr = flat.numpy()
    n = arr.size
    with np.errstate(over="ignore", invalid="ignore"):  # an overflow is caught just below
        sums = _block_sums(arr, config.near_zero_rel * abs_max)
    if not all(math.isfinite(v) for v in sums[:3]):  # a float32 sum overflowed: float64 pass
        sums = _block_sums(arr.astype(np.float64), config.near_zero_rel * abs_max)
    mean, s2 = sums.s1 / n, sums.s2
    var = max(s2 / n - mean * mean, 0.0)
    if mean * mean > 1e-2 * var and n > 1:  # re-centre: exact two-pass variance
        var = sum(_centred_ss(arr[i : i + _BLOCK], mean) for i in range(0, n, _BLOCK)) / n
    var = var * n / (n - 1) if n > 1 else 0.0
    l2 = math.sqrt(s2)
    l1, nonzero = sums.l1, sums.nonzero
    sample = _sample(arr)
    med = _lower_median(sample)
    mad = _lower_median(np.abs(sample.astype(np.float64) - med))  # float64: no overflow
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
        near_zero_frac=sums.inside / n,
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
