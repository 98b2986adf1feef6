"""Epoch-level live rules: overfitting, calibration and split consistency (pure).

* ``overfitting`` (Prechelt 1998, strip length k = 5): GL(t) = 100 (E_va(t)/min_{t'<=t}
  E_va(t') - 1); P_k(t) = 1000 (sum_strip E_tr / (k min_strip E_tr) - 1); UP_s: the validation
  loss rose at the end of s consecutive strips. Flag GL > 5 and UP >= 3, or a train - val
  accuracy gap > 0.15 whose 95% interval (Newcombe 1998 hybrid score) lies above 0 (the gap
  threshold is heuristic).
* ``overconfidence``/``underconfidence``: consistency-resampling p < 0.01 on an evaluation
  split, sign of sum (conf - acc) (SCIENCE.md 5).
* ``inconsistent_splits``: chi-squared homogeneity on the k x 2 (correct, wrong) table of
  the evaluation splits, p < 0.01 (SCIENCE.md 1.3).
* ``confidence_rising`` (good sign): mean confidence on correct predictions rose by > 0.05
  across windows and AUROC > 0.5 (Hendrycks & Gimpel 2017).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np

from neuralscope.events import CalibrationPayload
from neuralscope.findings import EvidenceValue, Severity
from neuralscope.monitor.rules_config import RuleConfig

Emit = Callable[..., None]


@dataclass(frozen=True)
class EpochSummary:
    """Mean losses and (correct, total) counts of one epoch (val may be missing)."""

    epoch: int
    step: int
    train_loss: float
    val_loss: float | None = None
    train_correct: int = 0
    train_total: int = 0
    val_correct: int = 0
    val_total: int = 0


def generalization_loss(val_losses: list[float]) -> float:
    """Prechelt's GL(t) for the last epoch."""
    return 100.0 * (val_losses[-1] / min(val_losses) - 1.0)


def training_progress(train_losses: list[float], k: int) -> float:
    """Prechelt's P_k(t) over the last strip of k epochs."""
    strip = train_losses[-k:]
    return 1000.0 * (sum(strip) / (len(strip) * min(strip)) - 1.0)


def up_count(val_losses: list[float], k: int) -> int:
    """Number of consecutive strip ends, counting back from the last epoch, where E_va rose."""
    count, t = 0, len(val_losses) - 1
    while t - k >= 0 and val_losses[t] > val_losses[t - k]:
        count += 1
        t -= k
    return count


def wilson(successes: int, n: int, z: float = 1.96) -> tuple[float, float]:
    """Wilson score interval of a binomial proportion (Wilson 1927)."""
    p = successes / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return centre - half, centre + half


def gap_lower_bound(ok1: int, n1: int, ok2: int, n2: int) -> float:
    """95% lower bound of p1 - p2 by Newcombe's hybrid score method (Newcombe 1998, no. 10).

    Unlike the Wald interval it does not collapse when a proportion is 0 or 1.
    """
    p1, p2 = ok1 / n1, ok2 / n2
    l1, _ = wilson(ok1, n1)
    _, u2 = wilson(ok2, n2)
    return (p1 - p2) - math.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2)


def chi2_homogeneity(table: np.ndarray) -> tuple[float, int]:
    """Pearson's chi-squared statistic of a contingency table and its degrees of freedom."""
    expected = np.outer(table.sum(1), table.sum(0)) / table.sum()
    stat = float(((table - expected) ** 2 / expected).sum())
    return stat, (table.shape[0] - 1) * (table.shape[1] - 1)


def chi2_sf(x: float, dof: int) -> float:
    """P(chi2_dof > x) for integer dof: the closed forms of the regularized gamma Q(dof/2, x/2)."""
    if x <= 0:
        return 1.0
    h = x / 2.0
    if dof % 2 == 0:
        term, total = 1.0, 1.0
        for i in range(1, dof // 2):
            term *= h / i
            total += term
        return min(1.0, math.exp(-h) * total)
    total = math.erfc(math.sqrt(h))
    term = math.sqrt(h) / math.gamma(1.5)  # h^(i - 1/2) / Gamma(i + 1/2) at i = 1
    for i in range(1, (dof - 1) // 2 + 1):
        if i > 1:
            term *= h / (i - 0.5)
        total += math.exp(-h) * term
    return min(1.0, total)


class EpochRules:
    def __init__(self, config: RuleConfig, emit: Emit) -> None:
        self.config = config
        self._emit = emit
        self._train: list[float] = []
        self._val: list[float] = []
        self._correct_conf: dict[str, list[float]] = {}

    def observe_epoch(self, s: EpochSummary) -> None:
        c = self.config
        self._train.append(s.train_loss)
        if s.val_loss is not None and math.isfinite(s.val_loss):
            self._val.append(s.val_loss)
        ev: dict[str, EvidenceValue] = {"epoch": s.epoch, "step": s.step}
        if len(self._val) >= 2:
            gl = generalization_loss(self._val)
            up = up_count(self._val, c.strip_length)
            pk = training_progress(self._train, c.strip_length)
            ev |= {"GL": gl, "UP": up, "P_k": pk, "PQ": gl / pk if pk > 0 else None}
            if gl > c.gl_threshold and up >= c.up_strips:
                self._flag(
                    f"Validation loss is {gl:.1f}% above its minimum (GL > {c.gl_threshold}) "
                    f"and rose at the end of {up} consecutive {c.strip_length}-epoch strips.",
                    {**ev, "GL_threshold": c.gl_threshold, "UP_threshold": c.up_strips},
                )
        if s.train_total and s.val_total:
            p1, p2 = s.train_correct / s.train_total, s.val_correct / s.val_total
            gap = p1 - p2
            low = gap_lower_bound(s.train_correct, s.train_total, s.val_correct, s.val_total)
            if gap > c.accuracy_gap and low > 0:
                self._flag(
                    f"Training accuracy {p1:.3f} exceeds validation accuracy {p2:.3f} by "
                    f"{gap:.3f} (> {c.accuracy_gap}; 95% interval from {low:.3f}).",
                    {**ev, "gap": gap, "gap_ci_low": low, "gap_threshold": c.accuracy_gap},
                )

    def _flag(self, message: str, evidence: dict[str, EvidenceValue]) -> None:
        self._emit(
            "overfitting",
            Severity.WARNING,
            message,
            "Stop early at the best validation epoch, add regularization (weight decay, "
            "dropout, augmentation) or get more data.",
            evidence,
        )

    def observe_calibration(self, step: int, cal: CalibrationPayload) -> None:
        c = self.config
        if cal.mean_confidence_correct is not None:
            hist = self._correct_conf.setdefault(cal.split, [])
            hist.append(cal.mean_confidence_correct)
            if (
                len(hist) >= 3
                and hist[-1] > hist[0] + c.confidence_rise
                and (cal.auroc or 0.0) > 0.5
            ):
                self._emit(
                    "confidence_rising",
                    Severity.INFO,
                    f"Mean confidence on correct {cal.split} predictions rose from "
                    f"{hist[0]:.3f} to {hist[-1]:.3f}; AUROC correct vs wrong {cal.auroc:.3f}.",
                    "Nothing to change.",
                    {"first": hist[0], "last": hist[-1], "auroc": cal.auroc, "step": step},
                    layer=None,
                )
        if cal.split == "train" or cal.n < c.min_calibration_samples or cal.p_value is None:
            return
        if cal.p_value < c.calibration_alpha:
            over = cal.signed_gap > 0
            self._emit(
                "overconfidence" if over else "underconfidence",
                Severity.WARNING,
                f"On {cal.split} ({cal.n} predictions) ECE = {cal.ece:.3f}, "
                f"{'above' if over else 'below'} what a calibrated model gives by chance "
                f"(resampling p = {cal.p_value:.3g} < {c.calibration_alpha}).",
                "Fit a temperature on held-out data (Guo et al. 2017)"
                + (", add label smoothing or regularization." if over else "."),
                {
                    "ece": cal.ece,
                    "mce": cal.mce,
                    "signed_gap": cal.signed_gap,
                    "p_value": cal.p_value,
                    "n": cal.n,
                    "split": cal.split,
                    "alpha": c.calibration_alpha,
                },
            )

    def observe_splits(self, step: int, counts: Mapping[str, tuple[int, int]]) -> None:
        evals = {k: v for k, v in counts.items() if k != "train" and v[1] > 0}
        if len(evals) < 2:
            return
        table = np.array([[ok, n - ok] for ok, n in evals.values()], dtype=np.float64)
        if table[:, 0].sum() == 0 or table[:, 1].sum() == 0:
            return
        stat, dof = chi2_homogeneity(table)
        p = chi2_sf(stat, dof)
        if p < self.config.splits_alpha:
            accs = {k: ok / n for k, (ok, n) in evals.items()}
            self._emit(
                "inconsistent_splits",
                Severity.WARNING,
                "Accuracy differs between evaluation splits more than chance allows: "
                + ", ".join(f"{k} {a:.3f}" for k, a in accs.items())
                + f" (chi-squared p = {p:.2g}).",
                "Check the splits for distribution shift, leakage or labelling differences.",
                {
                    "chi2": float(stat),
                    "dof": int(dof),
                    "p_value": float(p),
                    "alpha": self.config.splits_alpha,
                    "splits": ",".join(evals),
                    "step": step,
                },
            )
