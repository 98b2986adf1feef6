"""What the model is asked to do: the loss, output width and accuracy that go with each task.

* binary: one logit, ``BCEWithLogitsLoss`` (the model never applies the sigmoid itself);
* multiclass: k logits, ``CrossEntropyLoss`` (softmax inside the loss), int64 class targets;
* regression: one value, ``MSELoss``.
"""

from __future__ import annotations

import torch
from torch import nn

from neuralscope.data import Task
from neuralscope.training.metrics import predictions

__all__ = ["Task", "accuracy", "loss_function", "output_width", "task_for"]


def task_for(n_classes: int) -> Task:
    """The task a dataset with ``n_classes`` label values poses (0: regression)."""
    if n_classes == 0:
        return "regression"
    if n_classes == 2:
        return "binary"
    if n_classes > 2:
        return "multiclass"
    raise ValueError(f"a classification task needs at least 2 classes, not {n_classes}")


def output_width(task: Task, n_classes: int) -> int:
    """How many outputs the model's last layer has."""
    return n_classes if task == "multiclass" else 1


def loss_function(task: Task) -> nn.Module:
    """The training loss for ``task``, reduced to the batch mean."""
    match task:
        case "binary":
            return nn.BCEWithLogitsLoss()
        case "multiclass":
            return nn.CrossEntropyLoss()
        case "regression":
            return nn.MSELoss()
    raise ValueError(f"unknown task {task!r}")  # pragma: no cover - Literal


def accuracy(task: Task, output: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    """Share of correct predictions, as a 0-d tensor (no device sync); NaN for regression."""
    match task:
        case "binary":
            return ((output > 0).to(target.dtype) == target).float().mean()
        case "multiclass":
            return (predictions(task, output) == target).float().mean()
        case "regression":
            return torch.full((), float("nan"), device=output.device)
    raise ValueError(f"unknown task {task!r}")  # pragma: no cover - Literal
