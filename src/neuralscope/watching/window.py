"""Per-split accumulation of predictions over one epoch (or window) and its calibration."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import torch

from neuralscope.events import CalibrationBin, CalibrationPayload
from neuralscope.monitor.calibration import (
    auroc,
    calibration,
    confidence_histogram,
    ece_null_p_value,
)


@dataclass
class SplitWindow:
    """Loss sum, counts and kept (confidence, correct) pairs of one split."""

    loss_sum: float = 0.0
    loss_batches: int = 0
    correct: int = 0
    total: int = 0
    confidence: list[torch.Tensor] = field(default_factory=list)
    is_correct: list[torch.Tensor] = field(default_factory=list)
    kept: int = 0
    samples_taken: bool = False

    def add_loss(self, loss: float) -> None:
        self.loss_sum += loss
        self.loss_batches += 1

    def add_predictions(
        self, confidence: torch.Tensor, correct: torch.Tensor, limit: int, n_correct: int
    ) -> None:
        self.correct += n_correct
        self.total += int(correct.numel())
        room = limit - self.kept
        if room > 0:
            self.confidence.append(confidence[:room])
            self.is_correct.append(correct[:room])
            self.kept += min(room, int(confidence.numel()))

    @property
    def mean_loss(self) -> float | None:
        return self.loss_sum / self.loss_batches if self.loss_batches else None

    def calibration(self, split: str, resamples: int, seed: int) -> CalibrationPayload | None:
        if not self.confidence:
            return None
        conf = torch.cat(self.confidence).double().cpu().numpy()
        ok = torch.cat(self.is_correct).cpu().numpy().astype(bool)
        cal = calibration(conf, ok)
        b = cal.bins
        bins = [
            CalibrationBin(
                lo=float(b.edges[m]),
                hi=float(b.edges[m + 1]),
                count=int(b.counts[m]),
                accuracy=float(b.accuracy[m]) if b.counts[m] else 0.0,
                confidence=float(b.confidence[m]) if b.counts[m] else 0.0,
            )
            for m in range(len(b.counts))
        ]
        return CalibrationPayload(
            split=split,
            n=int(conf.size),
            accuracy=float(ok.mean()),
            ece=cal.ece,
            mce=cal.mce,
            signed_gap=cal.signed_gap,
            # The training split mixes predictions of a model that changed over the window,
            # so no verdict is drawn on it and its (costly) null is skipped.
            p_value=None
            if split == "train"
            else ece_null_p_value(conf, cal.ece, n_resamples=resamples, seed=seed),
            auroc=auroc(conf, ok),
            mean_confidence_correct=float(conf[ok].mean()) if ok.any() else None,
            mean_confidence_incorrect=float(conf[~ok].mean()) if (~ok).any() else None,
            bins=bins,
            hist_correct=confidence_histogram(conf[ok]),
            hist_incorrect=confidence_histogram(conf[~ok]),
        )


def accuracy(window: SplitWindow) -> float | None:
    return window.correct / window.total if window.total else None


def finite_or_none(value: float | None) -> float | None:
    return value if value is not None and np.isfinite(value) else None
