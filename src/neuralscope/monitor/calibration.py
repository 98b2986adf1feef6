"""Prediction confidence and calibration (SCIENCE.md section 5), pure numpy.

* ECE (Naeini et al. 2015; Guo et al. 2017): ``sum_m |B_m|/n * |acc(B_m) - conf(B_m)|`` with
  M = 15 equal-width bins. Bin convention (lo, hi], the first bin closed [0, 1/M], as in Guo's
  reference code: confidence c goes to bin ``max(ceil(c*M) - 1, 0)``. MCE = max_m of the gap
  over non-empty bins.
* Sign: ``sum_m |B_m|/n * (conf - acc) > 0`` means over-confident.
* Significance: binned ECE is biased upwards and is never 0 even for a calibrated model, so
  the verdict uses consistency resampling (Broecker & Smith 2007; Vaicenavicius et al. 2019):
  draw labels ``y* ~ Bernoulli(conf)``, recompute ECE R times, p = (1 + #{ECE* >= ECE}) /
  (R + 1).
* AUROC of max-softmax confidence for correct vs incorrect (Hendrycks & Gimpel 2017), as the
  Mann-Whitney U statistic with ties counted one half.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

N_BINS = 15
HIST_BINS = 20


@dataclass(frozen=True)
class CalibrationBins:
    """Per-bin counts, accuracies and mean confidences (NaN for empty bins)."""

    edges: np.ndarray
    counts: np.ndarray
    accuracy: np.ndarray
    confidence: np.ndarray


@dataclass(frozen=True)
class Calibration:
    ece: float
    mce: float
    signed_gap: float
    bins: CalibrationBins


def bin_index(confidence: np.ndarray, n_bins: int = N_BINS) -> np.ndarray:
    """Bin of each confidence: (lo, hi] with the first bin [0, 1/M]."""
    c = np.asarray(confidence, dtype=np.float64)
    return np.clip(np.ceil(c * n_bins).astype(np.int64) - 1, 0, n_bins - 1)


def calibration(confidence: np.ndarray, correct: np.ndarray, n_bins: int = N_BINS) -> Calibration:
    """ECE, MCE and the signed gap of confidences against 0/1 correctness.

    Raises:
        ValueError: empty input or mismatched lengths.
    """
    c = np.asarray(confidence, dtype=np.float64)
    y = np.asarray(correct, dtype=np.float64)
    if c.size == 0 or c.shape != y.shape:
        raise ValueError("need equally long, non-empty confidence and correctness arrays")
    idx = bin_index(c, n_bins)
    counts = np.bincount(idx, minlength=n_bins).astype(np.float64)
    sum_conf = np.bincount(idx, weights=c, minlength=n_bins)
    sum_acc = np.bincount(idx, weights=y, minlength=n_bins)
    with np.errstate(invalid="ignore", divide="ignore"):
        acc = np.where(counts > 0, sum_acc / counts, np.nan)
        conf = np.where(counts > 0, sum_conf / counts, np.nan)
    n = c.size
    gaps = np.abs(sum_acc - sum_conf)  # = |B_m| * |acc - conf|
    mask = counts > 0
    return Calibration(
        ece=float(gaps.sum() / n),
        mce=float(np.max(np.abs(acc[mask] - conf[mask]))),
        signed_gap=float((sum_conf - sum_acc).sum() / n),
        bins=CalibrationBins(
            edges=np.linspace(0.0, 1.0, n_bins + 1), counts=counts, accuracy=acc, confidence=conf
        ),
    )


def ece_null_p_value(
    confidence: np.ndarray,
    observed_ece: float,
    *,
    n_resamples: int = 1000,
    seed: int = 0,
    n_bins: int = N_BINS,
) -> float:
    """P(ECE* >= observed) when labels are drawn from the stated confidences."""
    c = np.asarray(confidence, dtype=np.float64)
    rng = np.random.default_rng(seed)
    idx = bin_index(c, n_bins)
    onehot = np.zeros((c.size, n_bins), dtype=np.float32)
    onehot[np.arange(c.size), idx] = 1.0
    sum_conf = c @ onehot.astype(np.float64)
    exceed = 0
    chunk = max(1, 2_000_000 // max(c.size, 1))
    for start in range(0, n_resamples, chunk):
        r = min(chunk, n_resamples - start)
        labels = (rng.random((r, c.size), dtype=np.float32) < c).astype(np.float32)
        eces = np.abs(labels @ onehot - sum_conf).sum(axis=1) / c.size
        exceed += int(np.count_nonzero(eces >= observed_ece - 1e-12))
    return (1 + exceed) / (n_resamples + 1)


def auroc(confidence: np.ndarray, correct: np.ndarray) -> float | None:
    """P(conf of a correct > conf of a wrong) + 0.5 P(tie); None without both outcomes."""
    c = np.asarray(confidence, dtype=np.float64)
    y = np.asarray(correct, dtype=bool)
    n_pos, n_neg = int(y.sum()), int((~y).sum())
    if n_pos == 0 or n_neg == 0:
        return None
    order = np.argsort(c, kind="mergesort")
    ranks = np.empty(c.size, dtype=np.float64)
    sorted_c = c[order]
    # Average ranks over ties (1-based).
    _, first, counts = np.unique(sorted_c, return_index=True, return_counts=True)
    avg = first + (counts + 1) / 2.0
    ranks[order] = np.repeat(avg, counts)
    u = ranks[y].sum() - n_pos * (n_pos + 1) / 2.0
    return float(u / (n_pos * n_neg))


def confidence_histogram(confidence: np.ndarray, bins: int = HIST_BINS) -> list[int]:
    """Counts of confidences in ``bins`` equal-width bins on [0, 1]."""
    counts, _ = np.histogram(np.asarray(confidence, dtype=np.float64), bins=bins, range=(0, 1))
    return [int(v) for v in counts]
