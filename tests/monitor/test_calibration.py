"""ECE/MCE against hand-computed values, the pinned bin convention, AUROC against sklearn."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.metrics import roc_auc_score

from neuralscope.monitor.calibration import (
    auroc,
    bin_index,
    calibration,
    confidence_histogram,
    ece_null_p_value,
)


def test_bins_are_lo_exclusive_hi_inclusive_with_the_first_closed() -> None:
    m = 15
    edges = np.arange(m + 1) / m
    # 0 and 1/15 are in bin 0 ([0, 1/15]); just above 1/15 is bin 1; 2/15 is bin 1; 1 is bin 14.
    assert bin_index(np.array([0.0, edges[1], edges[1] + 1e-9, edges[2], 1.0])).tolist() == [
        0,
        0,
        1,
        1,
        14,
    ]


def test_ece_mce_and_sign_equal_hand_computed_values() -> None:
    # Bin 14 ((14/15, 1]): conf 0.95, 0.97 -> correct 1, 0: acc 0.5, conf 0.96, gap 0.46.
    # Bin 7 ((7/15, 8/15]): conf 0.5, 0.5 -> correct 1, 1: acc 1.0, conf 0.5, gap 0.5.
    # Bin 0 ([0, 1/15]): conf 1/15 exactly -> correct 0: acc 0, conf 1/15, gap 1/15.
    conf = np.array([0.95, 0.97, 0.5, 0.5, 1 / 15])
    ok = np.array([1, 0, 1, 1, 0])
    cal = calibration(conf, ok)
    expected_ece = (2 * 0.46 + 2 * 0.5 + 1 * (1 / 15)) / 5
    assert cal.ece == pytest.approx(expected_ece, abs=1e-12)
    assert cal.mce == pytest.approx(0.5, abs=1e-12)
    # signed: sum |B|(conf - acc)/n = (2*0.46 - 2*0.5 + 1/15)/5
    assert cal.signed_gap == pytest.approx((0.92 - 1.0 + 1 / 15) / 5, abs=1e-12)
    assert cal.bins.counts.tolist()[0] == 1
    assert cal.bins.counts.tolist()[1] == 0
    assert cal.bins.counts[7] == 2
    assert cal.bins.counts[14] == 2


def test_a_perfectly_matched_bin_set_has_zero_ece() -> None:
    conf = np.array([0.8] * 5 + [0.6] * 5)
    ok = np.array([1, 1, 1, 1, 0, 1, 1, 1, 0, 0])
    assert calibration(conf, ok).ece == pytest.approx(0.0, abs=1e-12)


def test_resampling_null_separates_calibrated_from_overconfident() -> None:
    rng = np.random.default_rng(3)
    conf = rng.uniform(0.5, 1.0, 2000)
    calibrated = rng.random(2000) < conf
    over = rng.random(2000) < conf - 0.15
    p_cal = ece_null_p_value(conf, calibration(conf, calibrated).ece, n_resamples=1000)
    c_over = calibration(conf, over)
    p_over = ece_null_p_value(conf, c_over.ece, n_resamples=1000)
    assert p_cal > 0.05
    assert p_over == pytest.approx(1 / 1001)
    assert c_over.signed_gap == pytest.approx(0.15, abs=0.03)


def test_auroc_equals_sklearn_including_ties() -> None:
    rng = np.random.default_rng(0)
    conf = np.round(rng.uniform(0.1, 1.0, 500), 2)  # many ties
    ok = rng.random(500) < conf
    assert auroc(conf, ok) == pytest.approx(roc_auc_score(ok, conf), abs=1e-12)
    assert auroc(conf, np.ones(500, dtype=bool)) is None


def test_confidence_histogram_counts_every_value() -> None:
    counts = confidence_histogram(np.array([0.0, 0.05, 0.5, 1.0]))
    assert sum(counts) == 4
    assert counts[0] == 1
    assert counts[1] == 1
    assert counts[-1] == 1
