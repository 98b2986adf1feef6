"""What every dataset is: its task, its input shape, and a train/validation split of tensors.

A dataset name lives only at the edges (REST, CLI, URL); the core holds a :class:`Dataset`
and a :class:`DatasetInfo` that describes it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import torch

Task = Literal["binary", "multiclass", "regression"]
DatasetKind = Literal["plane", "line", "image", "table"]
BOUNDS: tuple[float, float] = (-6.0, 6.0)


@dataclass(frozen=True)
class DatasetInfo:
    """Static facts about a registered dataset (the catalogue the web shows)."""

    name: str
    title: str
    description: str
    task: Task
    kind: DatasetKind
    input_shape: tuple[int, ...]
    n_classes: int  # 0 for regression


@dataclass(frozen=True)
class Dataset:
    """A drawn dataset, split into training and validation parts.

    Labels: binary -> float (N, 1) of 0/1; multiclass -> int64 (N,) class indices;
    regression -> float (N, 1) targets. Inputs are float32 (N, *input_shape).
    """

    name: str
    x_train: torch.Tensor
    y_train: torch.Tensor
    x_val: torch.Tensor
    y_val: torch.Tensor
    bounds: tuple[float, float] = BOUNDS
    n_classes: int = 2
    task: Task = "binary"
    input_shape: tuple[int, ...] = (2,)
    class_names: tuple[str, ...] = ()


def labels_tensor(labels: object, task: Task) -> torch.Tensor:
    """Labels in the dtype and shape the task's loss expects (see :class:`Dataset`)."""
    t = torch.as_tensor(labels)
    if task == "multiclass":
        return t.to(torch.int64).reshape(-1)
    return t.to(torch.float32).reshape(-1, 1)


def split(
    x: torch.Tensor, y: torch.Tensor, validation_fraction: float, rng: np.random.Generator
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor]:
    """Shuffle with ``rng`` and split: (x_train, y_train, x_val, y_val), both non-empty."""
    n = x.shape[0]
    if n < 2:
        raise ValueError(f"need at least 2 samples to split, got {n}")
    order = torch.as_tensor(rng.permutation(n))
    x, y = x[order], y[order]
    n_val = min(max(1, round(n * validation_fraction)), n - 1)
    return x[n_val:], y[n_val:], x[:n_val], y[:n_val]
