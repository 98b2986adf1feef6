"""Classification and regression metrics, computed in torch with one ``.tolist()`` at the end.

Definitions follow scikit-learn (``sklearn.metrics``), which the tests use as the oracle:

* confusion matrix ``C[i, j]``: samples of true class ``i`` predicted as ``j``;
* precision_k = C[k,k] / sum_i C[i,k], recall_k = C[k,k] / sum_j C[k,j],
  F1_k = 2 P R / (P + R); a 0/0 counts as 0 (``zero_division=0``);
* macro averages are the unweighted means over all ``n_classes`` classes;
* MSE = mean (y - ŷ)², MAE = mean |y - ŷ|, R² = 1 - SS_res / SS_tot (``r2_score``; a constant
  target gives R² = 0 when the fit is imperfect, 1 when it is perfect, as in scikit-learn).

:func:`curve_values` gives the names the ``metrics`` events carry, per split (``train`` and
``val``): ``{split}/precision``, ``{split}/recall``, ``{split}/f1`` (macro) for classification
(``{split}/accuracy`` comes with the loss), ``{split}/mse``, ``{split}/mae``, ``{split}/r2`` for
regression. Per-class numbers and the confusion matrix are not curves: :func:`split_report`
gives them on demand (``GET /api/runs/{id}/evaluation``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch
from pydantic import BaseModel, Field

from neuralscope.data import Task


@dataclass(frozen=True)
class ClassificationMetrics:
    accuracy: float
    precision: float  # macro
    recall: float
    f1: float
    per_class_precision: list[float]
    per_class_recall: list[float]
    per_class_f1: list[float]
    confusion: list[list[int]]


@dataclass(frozen=True)
class RegressionMetrics:
    mse: float
    mae: float
    r2: float


def predictions(task: Task, output: torch.Tensor) -> torch.Tensor:
    """Predicted class indices (N,) from logits: (N, 1) binary or (N, k) multi-class."""
    if task == "binary":
        return (output.reshape(-1) > 0).long()  # logit > 0 <=> P(class 1) > 0.5
    if task == "multiclass":
        return output.argmax(dim=1)
    raise ValueError(f"{task} has no class predictions")


def confusion_matrix(pred: torch.Tensor, target: torch.Tensor, n_classes: int) -> torch.Tensor:
    """(n_classes, n_classes) int64 counts, rows = true class, columns = predicted class."""
    index = target.reshape(-1).long() * n_classes + pred.reshape(-1).long()
    return torch.bincount(index, minlength=n_classes * n_classes).reshape(n_classes, n_classes)


def _safe_div(num: torch.Tensor, den: torch.Tensor) -> torch.Tensor:
    safe = torch.where(den > 0, den, torch.ones_like(den))
    return torch.where(den > 0, num / safe, torch.zeros_like(num))


def classification_metrics(
    pred: torch.Tensor, target: torch.Tensor, n_classes: int
) -> ClassificationMetrics:
    """All classification metrics from predicted and true class indices."""
    cm = confusion_matrix(pred, target, n_classes)
    c = cm.double()
    tp = c.diagonal()
    precision = _safe_div(tp, c.sum(0))
    recall = _safe_div(tp, c.sum(1))
    f1 = _safe_div(2 * precision * recall, precision + recall)
    accuracy = tp.sum() / c.sum().clamp(min=1)
    acc, p, r, f = torch.stack([accuracy, precision.mean(), recall.mean(), f1.mean()]).tolist()
    return ClassificationMetrics(
        accuracy=acc,
        precision=p,
        recall=r,
        f1=f,
        per_class_precision=precision.tolist(),
        per_class_recall=recall.tolist(),
        per_class_f1=f1.tolist(),
        confusion=cm.tolist(),
    )


def regression_metrics(output: torch.Tensor, target: torch.Tensor) -> RegressionMetrics:
    """MSE, MAE and R² of predictions against targets (any matching shapes)."""
    y, p = target.reshape(-1).double(), output.reshape(-1).double()
    err = y - p
    ss_res = (err * err).sum()
    ss_tot = ((y - y.mean()) ** 2).sum()
    if ss_tot > 0:
        r2 = 1 - ss_res / ss_tot
    else:
        r2 = torch.ones((), dtype=torch.float64) if ss_res == 0 else torch.zeros((), dtype=y.dtype)
    mse, mae, r2v = torch.stack([(err * err).mean(), err.abs().mean(), r2]).tolist()
    return RegressionMetrics(mse, mae, r2v)


def curve_values(
    task: Task, output: np.ndarray, target: np.ndarray, n_classes: int, split: str
) -> dict[str, float]:
    """The live curves of one split: macro precision/recall/F1, or MSE/MAE/R².

    NumPy on host arrays: on a few hundred samples a dozen NumPy calls cost a fraction of the
    same dozen torch calls (this runs on every metrics event of a live run). Accuracy is left
    to :func:`neuralscope.training.tasks.accuracy`; per-class numbers and the confusion matrix
    are in :func:`split_report` (asked for on demand, not streamed).
    """
    if task == "regression":
        y, p = target.reshape(-1).astype(np.float64), output.reshape(-1).astype(np.float64)
        err = y - p
        ss_res, ss_tot = float(err @ err), float(((y - y.mean()) ** 2).sum())
        r2 = 1 - ss_res / ss_tot if ss_tot > 0 else float(ss_res == 0)
        mse, mae = ss_res / len(y), float(np.abs(err).mean())
        return {f"{split}/mse": mse, f"{split}/mae": mae, f"{split}/r2": r2}
    binary = task == "binary"
    pred = (output.reshape(-1) > 0).astype(np.int64) if binary else output.argmax(axis=1)
    truth = target.reshape(-1).astype(np.int64)
    c = np.bincount(truth * n_classes + pred, minlength=n_classes * n_classes)
    c = c.reshape(n_classes, n_classes).astype(np.float64)
    tp, col, row = c.diagonal(), c.sum(0), c.sum(1)
    with np.errstate(divide="ignore", invalid="ignore"):
        precision = np.where(col > 0, tp / col, 0.0)
        recall = np.where(row > 0, tp / row, 0.0)
        f1 = np.where(precision + recall > 0, 2 * precision * recall / (precision + recall), 0.0)
    return {
        f"{split}/precision": float(precision.mean()),
        f"{split}/recall": float(recall.mean()),
        f"{split}/f1": float(f1.mean()),
    }


def metric_values(
    task: Task, output: torch.Tensor, target: torch.Tensor, n_classes: int, split: str
) -> dict[str, float]:
    """:func:`curve_values` of tensors."""
    out = output.detach().cpu().numpy()
    return curve_values(task, out, target.detach().cpu().numpy(), n_classes, split)


class SplitReport(BaseModel):
    """Every metric of one split; classification or regression fields are null by task."""

    loss: float
    n_samples: int
    accuracy: float | None = None
    precision: float | None = Field(default=None, description="Macro average")
    recall: float | None = None
    f1: float | None = None
    per_class_precision: list[float] | None = None
    per_class_recall: list[float] | None = None
    per_class_f1: list[float] | None = None
    confusion: list[list[int]] | None = Field(
        default=None, description="confusion[true][predicted] sample counts"
    )
    mse: float | None = None
    mae: float | None = None
    r2: float | None = None


def split_report(
    task: Task, output: torch.Tensor, target: torch.Tensor, n_classes: int, loss: float
) -> SplitReport:
    """The full :class:`SplitReport` of one split's outputs."""
    n = int(target.shape[0])
    if task == "regression":
        r = regression_metrics(output, target)
        return SplitReport(loss=loss, n_samples=n, mse=r.mse, mae=r.mae, r2=r.r2)
    m = classification_metrics(predictions(task, output), target, n_classes)
    return SplitReport(
        loss=loss,
        n_samples=n,
        accuracy=m.accuracy,
        precision=m.precision,
        recall=m.recall,
        f1=m.f1,
        per_class_precision=m.per_class_precision,
        per_class_recall=m.per_class_recall,
        per_class_f1=m.per_class_f1,
        confusion=m.confusion,
    )
