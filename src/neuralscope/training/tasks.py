"""What the model is asked to do: the loss and the accuracy that go with each task.

The 2-D Playground sets are binary classification, trained on a single logit with
``BCEWithLogitsLoss`` (the model never applies the sigmoid itself). Regression (MSE) and
multi-class classification (cross-entropy) join here, keyed by task, when their data does.
"""

from __future__ import annotations

from typing import Literal

import torch
from torch import nn

Task = Literal["binary"]


def task_for(n_classes: int) -> Task:
    """The task a dataset with ``n_classes`` label values poses."""
    if n_classes == 2:
        return "binary"
    raise NotImplementedError(f"only binary classification is supported, not {n_classes} classes")


def loss_function(task: Task) -> nn.Module:
    """The training loss for ``task``, reduced to the batch mean."""
    match task:
        case "binary":
            return nn.BCEWithLogitsLoss()
    raise ValueError(f"unknown task {task!r}")  # pragma: no cover - Literal


def accuracy(task: Task, output: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    """Share of correct predictions, as a 0-d tensor (no device sync here)."""
    match task:
        case "binary":
            # logit > 0 <=> P(class 1) > 0.5
            return ((output > 0).to(target.dtype) == target).float().mean()
    raise ValueError(f"unknown task {task!r}")  # pragma: no cover - Literal
