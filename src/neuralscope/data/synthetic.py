"""Synthetic 2-D classification sets, as learners know them from TensorFlow Playground.

Points live in the square [-6, 6]^2 and labels are 0/1. ``noise`` is a fraction in [0, 0.5]:
how much the classes are blurred into each other. Generation is seeded and uses its own
``numpy.random.Generator``, so it never touches global random state.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

import numpy as np
import torch
from pydantic import BaseModel, ConfigDict, Field

DatasetName = Literal["spirals", "circle", "xor", "gauss"]
BOUNDS: tuple[float, float] = (-6.0, 6.0)

_Generator = Callable[[np.random.Generator, int, float], tuple[np.ndarray, np.ndarray]]


class DataConfig(BaseModel):
    """Which 2-D set to draw and how."""

    model_config = ConfigDict(
        frozen=True, extra="forbid", json_schema_serialization_defaults_required=True
    )

    dataset: DatasetName = "spirals"
    n_samples: int = Field(default=500, ge=10, le=100_000)
    noise: float = Field(default=0.0, ge=0.0, le=0.5)
    validation_fraction: float = Field(default=0.5, gt=0.0, lt=1.0)


@dataclass(frozen=True)
class Dataset2D:
    """A drawn dataset, split into training and validation parts."""

    name: DatasetName
    x_train: torch.Tensor
    y_train: torch.Tensor
    x_val: torch.Tensor
    y_val: torch.Tensor
    bounds: tuple[float, float] = BOUNDS
    n_classes: int = 2


def _circle(rng: np.random.Generator, n: int, noise: float) -> tuple[np.ndarray, np.ndarray]:
    radius = 5.0
    n_in = n // 2
    r = np.concatenate(
        [rng.uniform(0, 0.5 * radius, n_in), rng.uniform(0.7 * radius, radius, n - n_in)]
    )
    theta = rng.uniform(0, 2 * np.pi, n)
    points = np.stack([r * np.cos(theta), r * np.sin(theta)], axis=1)
    points += rng.uniform(-radius, radius, (n, 2)) * noise
    # Labels follow the point's final distance, so noise blurs the classes into each other.
    labels = (np.linalg.norm(points, axis=1) < 0.5 * radius + 0.1 * radius).astype(np.int64)
    return points, labels


def _xor(rng: np.random.Generator, n: int, noise: float) -> tuple[np.ndarray, np.ndarray]:
    padding = 0.3
    points = rng.uniform(-5, 5, (n, 2))
    points += np.where(points > 0, padding, -padding)  # keep points off the axes
    labels = (points[:, 0] * points[:, 1] >= 0).astype(np.int64)
    points = points + rng.uniform(-5, 5, (n, 2)) * noise
    return points, labels


def _gauss(rng: np.random.Generator, n: int, noise: float) -> tuple[np.ndarray, np.ndarray]:
    std = 0.5 + 3.5 * noise / 0.5
    half = n // 2
    labels = np.concatenate([np.ones(half, np.int64), np.zeros(n - half, np.int64)])
    centres = np.where(labels[:, None] == 1, 2.0, -2.0)
    return centres + rng.normal(0, std, (n, 2)), labels


def _spirals(rng: np.random.Generator, n: int, noise: float) -> tuple[np.ndarray, np.ndarray]:
    half = n // 2
    parts, labels = [], []
    for label, delta, count in ((1, 0.0, half), (0, np.pi, n - half)):
        t = np.arange(count) / count
        r = 5.0 * t
        angle = 1.75 * t * 2 * np.pi + delta
        xy = np.stack([r * np.sin(angle), r * np.cos(angle)], axis=1)
        parts.append(xy + rng.uniform(-1, 1, (count, 2)) * noise * 2)
        labels.append(np.full(count, label, np.int64))
    return np.concatenate(parts), np.concatenate(labels)


GENERATORS: dict[DatasetName, _Generator] = {
    "spirals": _spirals,
    "circle": _circle,
    "xor": _xor,
    "gauss": _gauss,
}


def make_dataset(config: DataConfig, seed: int = 0) -> Dataset2D:
    """Draw ``config.n_samples`` points, shuffle, and split off the validation part."""
    rng = np.random.default_rng(seed)
    points, labels = GENERATORS[config.dataset](rng, config.n_samples, config.noise)
    points = np.clip(points, *BOUNDS)
    order = rng.permutation(len(points))
    points, labels = points[order], labels[order]
    n_val = max(1, round(config.n_samples * config.validation_fraction))
    n_val = min(n_val, config.n_samples - 1)
    x = torch.as_tensor(points, dtype=torch.float32)
    y = torch.as_tensor(labels, dtype=torch.float32).unsqueeze(1)
    return Dataset2D(
        name=config.dataset,
        x_train=x[n_val:],
        y_train=y[n_val:],
        x_val=x[:n_val],
        y_val=y[:n_val],
    )
