"""The dataset registry: one :class:`DatasetSpec` per name, and :func:`make_dataset`.

Names are the edge (REST, CLI, URL); each spec pairs the static facts (:class:`DatasetInfo`)
with a loader that draws the raw arrays. Generation is seeded; images are sub-sampled with the
same seed, so a config plus a seed always means the same points.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import numpy as np
import torch
from pydantic import BaseModel, ConfigDict, Field, model_validator

from neuralscope.data.base import BOUNDS, Dataset, DatasetInfo, labels_tensor, split
from neuralscope.data.features import FeatureName
from neuralscope.data.idx import MnistCache
from neuralscope.data.synthetic import CLASSIFICATION, REGRESSION
from neuralscope.data.tables import TableRef, TableSource, table_dataset, table_info

DatasetName = Literal[
    "spirals",
    "circle",
    "xor",
    "gauss",
    "moons",
    "blobs",
    "spirals_multi",
    "plane",
    "multigauss",
    "sine",
    "digits",
    "mnist",
    "csv",
]


class DataConfig(BaseModel):
    """Which dataset to draw and how."""

    model_config = ConfigDict(
        frozen=True, extra="forbid", json_schema_serialization_defaults_required=True
    )

    dataset: DatasetName = "spirals"
    n_samples: int = Field(
        default=500, ge=10, le=100_000, description="For 'csv': at most this many rows are used"
    )
    noise: float = Field(default=0.0, ge=0.0, le=0.5)
    validation_fraction: float = Field(default=0.5, gt=0.0, lt=1.0)
    n_classes: int = Field(default=3, ge=2, le=5, description="For 'blobs' and 'spirals_multi'")
    features: list[FeatureName] = Field(
        default_factory=list,
        description="Derived inputs added to x1, x2 (2-D sets only), in this order",
    )
    table: TableRef | None = Field(
        default=None,
        description="For 'csv' (and only then): the upload, as POST /api/datasets/csv returns it",
    )

    @model_validator(mode="after")
    def _features_need_a_plane(self) -> DataConfig:
        if (self.dataset == "csv") != (self.table is not None):
            raise ValueError("table: required for dataset 'csv' and only for it")
        if self.features and dataset_info(self).kind != "plane":
            raise ValueError(f"derived features apply to 2-D sets only, not {self.dataset!r}")
        if len(set(self.features)) != len(self.features):
            raise ValueError("each derived feature may be listed once")
        return self


Loader = Callable[[DataConfig, np.random.Generator, Path | None], tuple[np.ndarray, np.ndarray]]


@dataclass(frozen=True)
class DatasetSpec:
    """A registered dataset: what it is, and how to draw it."""

    info: DatasetInfo
    load: Loader


def _synthetic(name: str) -> Loader:
    generator = CLASSIFICATION.get(name) or REGRESSION[name]

    def load(
        config: DataConfig, rng: np.random.Generator, home: Path | None
    ) -> tuple[np.ndarray, np.ndarray]:
        points, labels = generator(rng, config.n_samples, config.noise, config.n_classes)
        return np.clip(points, *BOUNDS), labels

    return load


def _subsample(
    x: np.ndarray, y: np.ndarray, n: int, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    if n >= len(x):
        return x, y
    keep = np.sort(rng.choice(len(x), n, replace=False))
    return x[keep], y[keep]


def _digits(
    config: DataConfig, rng: np.random.Generator, home: Path | None
) -> tuple[np.ndarray, np.ndarray]:
    from sklearn.datasets import load_digits  # type: ignore[import-untyped]

    bunch = load_digits()  # imported here: sklearn is heavy and only this set needs it
    images = (bunch.images / 16.0).astype(np.float32)[:, None, :, :]
    return _subsample(images, bunch.target.astype(np.int64), config.n_samples, rng)


def _mnist(
    config: DataConfig, rng: np.random.Generator, home: Path | None
) -> tuple[np.ndarray, np.ndarray]:
    if home is None:
        from neuralscope.config import Settings

        home = Settings().home / "datasets"
    images, labels = MnistCache(home / "mnist").load()
    x, y = _subsample(images, labels, config.n_samples, rng)
    return (x.astype(np.float32) / 255.0)[:, None, :, :], y


def _info(name: str, title: str, description: str, task: str, n_classes: int) -> DatasetInfo:
    kind = "line" if name == "sine" else "plane"
    shape = (1,) if name == "sine" else (2,)
    return DatasetInfo(name, title, description, task, kind, shape, n_classes)  # type: ignore[arg-type]


_PLANE = [
    ("spirals", "Spirals", "Two interleaved spirals: needs depth", "binary", 2),
    ("circle", "Circle", "A disc inside a ring", "binary", 2),
    ("xor", "Exclusive or", "Opposite quadrants share a class", "binary", 2),
    ("gauss", "Gaussians", "Two blobs: nearly linearly separable", "binary", 2),
    ("moons", "Moons", "Two interleaving half circles", "binary", 2),
    ("blobs", "Blobs", "3-5 Gaussian blobs, one class each", "multiclass", 3),
    ("spirals_multi", "Spiral arms", "3-5 interleaved spiral arms", "multiclass", 3),
    ("plane", "Plane", "Regression: the target rises across the plane", "regression", 0),
    ("multigauss", "Gaussian bumps", "Regression: six signed Gaussian bumps", "regression", 0),
    ("sine", "Sine", "Regression in 1-D: y = sin(x)", "regression", 0),
]
REGISTRY: dict[str, DatasetSpec] = {
    name: DatasetSpec(_info(name, title, desc, task, k), _synthetic(name))
    for name, title, desc, task, k in _PLANE
}
REGISTRY["digits"] = DatasetSpec(
    DatasetInfo(
        "digits",
        "Digits 8x8",
        "scikit-learn's 1,797 handwritten digits, 8x8 pixels",
        "multiclass",
        "image",
        (1, 8, 8),
        10,
    ),
    _digits,
)
REGISTRY["mnist"] = DatasetSpec(
    DatasetInfo(
        "mnist",
        "MNIST",
        "Handwritten digits, 28x28 (import or download first)",
        "multiclass",
        "image",
        (1, 28, 28),
        10,
    ),
    _mnist,
)


def dataset_info(config: DataConfig) -> DatasetInfo:
    """The facts about ``config``'s dataset, with the class count the config chose."""
    if config.table is not None:
        return table_info(config.table)
    info = REGISTRY[config.dataset].info
    if config.dataset in ("blobs", "spirals_multi"):
        from dataclasses import replace

        return replace(info, n_classes=config.n_classes)
    return info


def make_dataset(
    config: DataConfig,
    seed: int = 0,
    *,
    home: Path | None = None,
    tables: TableSource | None = None,
) -> Dataset:
    """Draw the dataset, shuffle, and split off the validation part.

    ``home`` is the datasets cache (``Settings.home / "datasets"`` when None), used by MNIST;
    ``tables`` reads uploaded tables' bytes by id, used by ``csv`` (raises TableError without).
    """
    if config.table is not None:
        return table_dataset(
            config.table, tables, seed, config.validation_fraction, config.n_samples
        )
    info = dataset_info(config)
    rng = np.random.default_rng(seed)
    points, labels = REGISTRY[config.dataset].load(config, rng, home)
    x = torch.as_tensor(np.asarray(points), dtype=torch.float32)
    y = labels_tensor(np.asarray(labels), info.task)
    x_train, y_train, x_val, y_val = split(x, y, config.validation_fraction, rng)
    names = tuple(str(k) for k in range(info.n_classes))
    return Dataset(
        name=config.dataset,
        x_train=x_train,
        y_train=y_train,
        x_val=x_val,
        y_val=y_val,
        n_classes=info.n_classes,
        task=info.task,
        input_shape=info.input_shape,
        class_names=names,
    )
