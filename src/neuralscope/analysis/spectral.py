"""Spectral layer metrics: ESD, stable rank, HTSR power-law alpha, Marchenko-Pastur spikes.

Eigenvalues of X = W^T W on the smaller side, in float32 via LAPACK ?syevd (``_lapack``;
PERFORMANCE.md: same eigenvalues as an f64 SVD, 5x faster). Stable rank = |W|_F^2 / |W|_2^2.
Power law p(lambda) ~ lambda^-alpha on lambda >= xmin by continuous MLE
alpha = 1 + n / sum ln(lambda_i / xmin), xmin chosen by minimum KS distance
(Clauset, Shalizi & Newman 2009), with the empirical CDF convention of WeightWatcher's fit;
the O(N^2) scan is vectorised in chunks of 256 candidates. alpha is a heuristic hint
(Martin & Mahoney JMLR 2021): [2, 4] well trained, < 2 over-trained, > 6 under-trained,
meaningless for random layers. MP bulk edge lambda+ = sigma^2 (1 + sqrt(M/N))^2 for X/N;
eigenvalues above it are spikes (0 spikes: random-like).
"""

from __future__ import annotations

import math

import numpy as np
import torch
from pydantic import BaseModel, ConfigDict

from neuralscope.analysis import _lapack
from neuralscope.analysis.config import AnalysisConfig

_CHUNK = 256
_EVALS_THRESH = 1e-5  # WeightWatcher's EVALS_THRESH: drop numerically-zero eigenvalues


class PowerLawFit(BaseModel):
    model_config = ConfigDict(frozen=True)

    alpha: float
    xmin: float
    ks_distance: float
    n_tail: int


class SpectralStats(BaseModel):
    """Spectral summary of one weight matrix (conv kernels flattened to out x in*k)."""

    model_config = ConfigDict(frozen=True)

    name: str
    shape: list[int]
    n_evals: int
    spectral_norm: float
    fro_norm: float
    stable_rank: float
    numerical_rank: int
    full_rank: int
    alpha: float | None
    xmin: float | None
    ks_distance: float | None
    mp_edge: float
    n_spikes: int
    hint: str
    evals: list[float]


def _gram(m: np.ndarray) -> np.ndarray:
    """W W^T when rows <= cols, else W^T W (the smaller side), in float32 via numpy's BLAS
    (OpenBLAS beat torch's MKL by ~2x on the AMD CPUs we run on; PERFORMANCE.md)."""
    out: np.ndarray = m @ m.T if m.shape[0] <= m.shape[1] else m.T @ m
    return out


def _eigvalsh(gram: np.ndarray) -> torch.Tensor:
    """Eigenvalues (ascending, float64, clamped >= 0) of a float32 Gram matrix (overwritten);
    LAPACK ?syevd without eigenvectors (divide and conquer; the fastest driver measured for
    n ~ 768), called without the GIL so analysis threads overlap (``_lapack``)."""
    ev = _lapack.eigvalsh(gram)
    return torch.from_numpy(ev.astype(np.float64)).clamp_min(0.0)


def _as_matrix(w: torch.Tensor) -> np.ndarray:
    m = w.detach().reshape(w.shape[0], -1).float().contiguous()
    return m.numpy()


def gram_eigenvalues(w: torch.Tensor) -> torch.Tensor:
    """Eigenvalues (ascending, float64, clamped >= 0) of W^T W on the smaller side = sigma^2."""
    return _eigvalsh(_gram(_as_matrix(w)))


def row_duplicates(gram: np.ndarray, threshold: float, limit: int = 4096) -> list[list[int]]:
    """Pairs (i, j), i < j, of non-zero rows with cosine > threshold, read exactly off the row
    Gram matrix G = W W^T: cos_ij = G_ij / sqrt(G_ii G_jj) (at most ``limit`` pairs)."""
    d = np.sqrt(np.clip(np.diag(gram), 0.0, None))
    if int(np.count_nonzero(d)) < 2:
        return []
    # cos_ij > t  <=>  G_ij > t d_i d_j (d > 0); when nothing off the diagonal passes (the
    # usual case) a count says so, without the slower index scan
    above = np.greater(gram, np.multiply.outer(np.float32(threshold) * d, d, dtype=np.float32))
    if int(np.count_nonzero(above)) == int(np.count_nonzero(np.diagonal(above))):
        return []
    i, j = np.nonzero(above)
    keep = (i < j) & (d[i] > 0) & (d[j] > 0)
    return [[int(a), int(b)] for a, b in zip(i[keep][:limit], j[keep][:limit], strict=True)]


def _ks_rows(
    js: torch.Tensor, cols: torch.Tensor, logx: torch.Tensor, alpha: torch.Tensor, n: torch.Tensor
) -> torch.Tensor:
    """max over cols i >= j of |F_fit(x_i) - F_emp(x_i)| for each candidate j (KS distance
    when cols covers [j, N); a lower bound on it for any subset of those columns)."""
    rel = cols[None, :] - js[:, None]
    a = alpha[js]
    ratio = torch.exp((logx[cols][None, :] - logx[js, None]) * (1.0 - a[:, None]))
    dist = (1.0 - ratio - rel.double() / n[js, None]).abs()
    dist = torch.where(rel >= 0, dist, torch.zeros((), dtype=torch.float64))
    ks = dist.max(dim=1).values
    return torch.where(a > 1.0, ks, torch.ones_like(ks))


def fit_power_law(evals: torch.Tensor) -> PowerLawFit | None:
    """Continuous power-law MLE with KS-chosen xmin over every candidate (WeightWatcher's
    ``fit_power_law_standard``), exact but pruned: a strided subset of the tail gives a lower
    bound on each candidate's KS distance; exact distances are computed in order of that bound
    until the bound exceeds the best exact distance (ties keep the smallest xmin)."""
    x = torch.sort(evals[evals > _EVALS_THRESH].double()).values
    n_total = x.numel()
    if n_total < 3:
        return None
    logx = torch.log(x)
    suffix = torch.flip(torch.cumsum(torch.flip(logx, [0]), 0), [0])  # sum_{i>=j} ln x_i
    j_all = torch.arange(n_total - 1)
    n = (n_total - torch.arange(n_total)).double()
    alpha = torch.ones(n_total, dtype=torch.float64)
    alpha[j_all] = 1.0 + n[j_all] / (suffix[j_all] - n[j_all] * logx[j_all])
    stride = max(1, n_total // 64)
    bound = _ks_rows(j_all, torch.arange(0, n_total, stride), logx, alpha, n)
    order = torch.argsort(bound, stable=True)
    best_ks, best_j = math.inf, -1
    for start in range(0, order.numel(), _CHUNK // 4):
        js = order[start : start + _CHUNK // 4]
        if float(bound[js[0]]) > best_ks:
            break
        lo = int(js.min())
        ks = _ks_rows(js, torch.arange(lo, n_total), logx, alpha, n).tolist()
        for j, k in zip(js.tolist(), ks, strict=True):
            if k < best_ks or (k == best_ks and j < best_j):
                best_ks, best_j = k, j
    return PowerLawFit(
        alpha=float(alpha[best_j]),
        xmin=float(x[best_j]),
        ks_distance=best_ks,
        n_tail=int(n[best_j]),
    )


def _hint(alpha: float | None, n_spikes: int) -> str:
    if n_spikes == 0:
        return "random-like (no eigenvalue above the MP bulk edge): alpha is not meaningful"
    if alpha is None:
        return "too few eigenvalues for a power-law fit"
    if alpha < 2.0:
        return f"alpha {alpha:.2f} < 2: heavy-tailed, possibly over-trained (HTSR hint)"
    if alpha > 6.0:
        return f"alpha {alpha:.2f} > 6: possibly under-trained (HTSR hint)"
    if alpha <= 4.0:
        return f"alpha {alpha:.2f} in [2, 4]: typical of well-trained layers (HTSR hint)"
    return f"alpha {alpha:.2f} in (4, 6]: moderately trained (HTSR hint)"


def spectral_stats(name: str, w: torch.Tensor, config: AnalysisConfig) -> SpectralStats:
    """Spectral summary of one matrix (pure)."""
    return spectral_and_rows(name, w, config)[0]


def spectral_and_rows(
    name: str, w: torch.Tensor, config: AnalysisConfig
) -> tuple[SpectralStats, list[list[int]] | None]:
    """The summary, and the duplicate row pairs when the Gram matrix is the row Gram (rows <=
    cols and rows <= duplicate_rows_max; None: rows not checked here)."""
    m = _as_matrix(w)
    rows, cols = m.shape
    big, small = max(rows, cols), min(rows, cols)
    gram = _gram(m)
    dups = (
        row_duplicates(gram, config.duplicate_cosine)
        if rows <= cols and rows <= config.duplicate_rows_max
        else None
    )
    evals = _eigvalsh(gram)
    lam_max = float(evals[-1])
    fro2 = float(evals.sum())
    sigma_tol = config.low_rank_rel_tol * math.sqrt(lam_max)
    numerical_rank = int((evals.sqrt() > sigma_tol).sum()) if lam_max > 0 else 0
    fit = fit_power_law(evals) if evals.numel() >= config.min_evals_alpha else None
    # MP edge for X = W^T W / big with element variance sigma^2 (Marchenko & Pastur 1967)
    n_el = m.size
    mean = float(torch.from_numpy(m).sum()) / n_el  # float32 cascade sum
    var = max(fro2 / n_el - mean * mean, 0.0) * n_el / (n_el - 1) if n_el > 1 else 0.0
    edge = var * (1.0 + math.sqrt(small / big)) ** 2
    spikes = int((evals / big > config.mp_margin * edge).sum()) if var > 0 else 0
    stats = SpectralStats(
        name=name,
        shape=list(w.shape),
        n_evals=evals.numel(),
        spectral_norm=math.sqrt(lam_max),
        fro_norm=math.sqrt(fro2),
        stable_rank=fro2 / lam_max if lam_max > 0 else 0.0,
        numerical_rank=numerical_rank,
        full_rank=small,
        alpha=fit.alpha if fit else None,
        xmin=fit.xmin if fit else None,
        ks_distance=fit.ks_distance if fit else None,
        mp_edge=edge,
        n_spikes=spikes,
        hint=_hint(fit.alpha if fit else None, spikes),
        evals=evals.flip(0)[:512].tolist(),
    )
    return stats, dups


def rows_from_gram(w: torch.Tensor, config: AnalysisConfig) -> bool:
    """Whether the spectrum's Gram matrix is this matrix's row Gram, so its duplicate rows are
    read off it (``spectral_and_rows``) instead of the statistics' LSH pass."""
    rows = w.shape[0]
    return w.ndim >= 2 and 1 < rows <= config.duplicate_rows_max and rows <= w[0].numel()


def matrix_params(state: dict[str, torch.Tensor], finite: set[str]) -> dict[str, torch.Tensor]:
    """The weight matrices worth a spectrum: finite floating tensors with >= 2 dims and both
    sides > 1 (``finite``: names known to hold no NaN/Inf)."""
    return {
        k: v
        for k, v in state.items()
        if k in finite
        and v.is_floating_point()
        and v.ndim >= 2
        and v.shape[0] > 1
        and v[0].numel() > 1
    }
