"""Metrics against scikit-learn, the oracle (``sklearn.metrics``)."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from sklearn import metrics as sk

from neuralscope.training.metrics import (
    classification_metrics,
    metric_values,
    predictions,
    regression_metrics,
)


@pytest.mark.parametrize(("k", "seed"), [(2, 0), (3, 1), (5, 2), (10, 3)])
def test_classification_metrics_equal_sklearn(k: int, seed: int) -> None:
    rng = np.random.default_rng(seed)
    target = rng.integers(0, k, 300)
    pred = np.where(rng.random(300) < 0.6, target, rng.integers(0, k, 300))
    if k == 5:
        pred[pred == 4] = 3  # class 4 never predicted: precision 0/0 -> 0
    m = classification_metrics(torch.as_tensor(pred), torch.as_tensor(target), k)
    labels = list(range(k))
    assert m.accuracy == pytest.approx(sk.accuracy_score(target, pred))
    for avg, ours in (("macro", (m.precision, m.recall, m.f1)),):
        p, r, f, _ = sk.precision_recall_fscore_support(
            target, pred, labels=labels, average=avg, zero_division=0
        )
        assert ours == pytest.approx((p, r, f))
    p, r, f, _ = sk.precision_recall_fscore_support(
        target, pred, labels=labels, average=None, zero_division=0
    )
    np.testing.assert_allclose(m.per_class_precision, p)
    np.testing.assert_allclose(m.per_class_recall, r)
    np.testing.assert_allclose(m.per_class_f1, f)
    np.testing.assert_array_equal(m.confusion, sk.confusion_matrix(target, pred, labels=labels))


def test_regression_metrics_equal_sklearn() -> None:
    rng = np.random.default_rng(4)
    y = rng.normal(size=200)
    p = y + rng.normal(scale=0.3, size=200)
    r = regression_metrics(torch.as_tensor(p, dtype=torch.float32), torch.as_tensor(y))
    assert r.mse == pytest.approx(sk.mean_squared_error(y, p), rel=1e-6)
    assert r.mae == pytest.approx(sk.mean_absolute_error(y, p), rel=1e-6)
    assert r.r2 == pytest.approx(sk.r2_score(y, p), rel=1e-5)


def test_constant_target_r2_follows_sklearn() -> None:
    y = np.ones(5)
    for p in (np.ones(5), np.array([1.0, 1, 1, 1, 2])):
        r = regression_metrics(torch.as_tensor(p), torch.as_tensor(y))
        assert r.r2 == sk.r2_score(y, p)


def test_predictions_from_logits() -> None:
    assert predictions("binary", torch.tensor([[-1.0], [0.5]])).tolist() == [0, 1]
    assert predictions("multiclass", torch.tensor([[0.1, 2.0, 0.0]])).tolist() == [1]
    with pytest.raises(ValueError, match="no class"):
        predictions("regression", torch.zeros(1, 1))


@pytest.mark.parametrize("k", [2, 4])
def test_streamed_curves_equal_sklearn(k: int) -> None:
    rng = np.random.default_rng(k)
    target = rng.integers(0, k, 200)
    logits = rng.normal(size=(200, k)) + 2 * np.eye(k)[target]
    task = "multiclass" if k > 2 else "binary"
    out = torch.as_tensor(logits if k > 2 else logits[:, 1:] - logits[:, :1], dtype=torch.float32)
    pred = predictions(task, out).numpy()
    y = torch.as_tensor(target) if k > 2 else torch.as_tensor(target, dtype=torch.float32)[:, None]
    values = metric_values(task, out, y, k, "val")
    p, r, f, _ = sk.precision_recall_fscore_support(target, pred, average="macro", zero_division=0)
    assert values == pytest.approx({"val/precision": p, "val/recall": r, "val/f1": f})


def test_streamed_regression_curves_equal_sklearn() -> None:
    rng = np.random.default_rng(9)
    y = rng.normal(size=(100, 1))
    p = y + rng.normal(scale=0.5, size=(100, 1))
    values = metric_values("regression", torch.as_tensor(p), torch.as_tensor(y), 0, "train")
    assert values == pytest.approx(
        {
            "train/mse": sk.mean_squared_error(y, p),
            "train/mae": sk.mean_absolute_error(y, p),
            "train/r2": sk.r2_score(y, p),
        }
    )
