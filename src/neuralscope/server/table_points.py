"""A table run's points for the Playground's "Data" panel: 3-D points for three features, the
first two principal components for more.

PCA follows the textbook construction (Jolliffe, *Principal Component Analysis*, 2nd ed.,
2002, ch. 1-2; as in scikit-learn's ``PCA``): the training inputs are standardised with their
own mean and standard deviation (ddof 0, as ``StandardScaler``), centred, and decomposed by
the thin SVD ``Z = U S Vᵀ``; the components are the first rows of ``Vᵀ``, the explained
variance fractions ``S² / ΣS²``. Validation points are projected with the training statistics.

At most :data:`MAX_POINTS` points are returned: an evenly strided subset of each split, the
quota shared in proportion to the splits' sizes, so the picture keeps the data's shape.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

from neuralscope.data import decode_table, make_dataset
from neuralscope.server.deps import Services
from neuralscope.server.schemas import DatasetPoints
from neuralscope.training import SessionConfig

MAX_POINTS = 2000
_DIGITS = 4


@dataclass(frozen=True)
class Pca2:
    """A fitted two-component PCA of standardised inputs."""

    mean: np.ndarray  # (F,)
    scale: np.ndarray  # (F,), 1 where a feature is constant
    components: np.ndarray  # (2, F), rows of unit length
    explained: tuple[float, float]  # fractions of the total variance

    def transform(self, x: np.ndarray) -> np.ndarray:
        z: np.ndarray = ((x - self.mean) / self.scale) @ self.components.T
        return z


def fit_pca2(x: np.ndarray) -> Pca2:
    """The first two principal components of ``x`` (N, F >= 2) after standardising it."""
    x64 = np.asarray(x, np.float64)
    mean = x64.mean(axis=0)
    scale = x64.std(axis=0)
    scale = np.where(scale > 0, scale, 1.0)
    z = torch.as_tensor((x64 - mean) / scale)
    _, s, vt = torch.linalg.svd(z, full_matrices=False)
    var = (s**2).numpy()
    total = float(var.sum())
    fractions = var / total if total > 0 else np.zeros_like(var)
    return Pca2(
        mean=mean,
        scale=scale,
        components=vt[:2].numpy(),
        explained=(float(fractions[0]), float(fractions[1])),
    )


def quotas(n_train: int, n_val: int, cap: int = MAX_POINTS) -> tuple[int, int]:
    """How many training and validation points to keep: all when they fit under ``cap``,
    else ``cap`` shared in proportion (at least one of each non-empty split)."""
    total = n_train + n_val
    if total <= cap:
        return n_train, n_val
    keep_val = min(n_val, max(1 if n_val else 0, round(cap * n_val / total)))
    return min(n_train, cap - keep_val), keep_val


def strided(n: int, keep: int) -> np.ndarray:
    """``keep`` indices spread evenly over ``range(n)`` (all of them when keep >= n)."""
    if keep >= n:
        return np.arange(n)
    picked: np.ndarray = np.floor(np.arange(keep) * (n / keep)).astype(np.int64)
    return picked


def _bounds(values: np.ndarray) -> tuple[float, float]:
    low, high = float(values.min()), float(values.max())
    margin = max(high - low, 1e-6) * 0.05
    return round(low - margin, 6), round(high + margin, 6)


def _labels(y: torch.Tensor) -> list[float]:
    return [round(float(v), 6) for v in y.flatten().tolist()]


def table_points(services: Services, run_id: str, config: SessionConfig) -> DatasetPoints:
    """The points of a run on an uploaded table of three or more features (see the module
    docstring); raises TableError when the table is missing or damaged."""
    ref = config.data.table
    assert ref is not None
    assert ref.n_features >= 3
    data = make_dataset(  # raises TableError first when the table is gone
        config.data,
        config.seed,
        home=services.settings.datasets_dir,
        tables=services.runs.table_bytes,
    )
    table = decode_table(services.runs.table_bytes(ref.id))
    names = list(table.feature_names)
    x_train, x_val = data.x_train.numpy(), data.x_val.numpy()
    keep_train, keep_val = quotas(len(x_train), len(x_val))
    i_train, i_val = strided(len(x_train), keep_train), strided(len(x_val), keep_val)
    pca: Pca2 | None = None
    if ref.n_features == 3:
        p_train, p_val = x_train.astype(np.float64), x_val.astype(np.float64)
    else:
        pca = fit_pca2(x_train)
        p_train, p_val = pca.transform(x_train), pca.transform(x_val)
        names = ["PC1", "PC2"]
    shown = np.concatenate([p_train[i_train], p_val[i_val]])
    axis_bounds = [_bounds(shown[:, k]) for k in range(shown.shape[1])]
    r_train = np.round(p_train[i_train], _DIGITS)
    r_val = np.round(p_val[i_val], _DIGITS)
    return DatasetPoints(
        run_id=run_id,
        dataset=config.data.dataset,
        task=data.task,
        bounds=(min(b[0] for b in axis_bounds), max(b[1] for b in axis_bounds)),
        train_x=[(float(a), float(b)) for a, b in r_train[:, :2].tolist()],
        train_y=_labels(data.y_train[torch.as_tensor(i_train)]),
        val_x=[(float(a), float(b)) for a, b in r_val[:, :2].tolist()],
        val_y=_labels(data.y_val[torch.as_tensor(i_val)]),
        dims=2 if pca else 3,
        train_z=None if pca else [float(v) for v in r_train[:, 2].tolist()],
        val_z=None if pca else [float(v) for v in r_val[:, 2].tolist()],
        axis_names=names,
        axis_bounds=axis_bounds,
        projection="pca" if pca else None,
        explained_variance=[round(v, 6) for v in pca.explained] if pca else [],
        class_names=list(table.class_names),
        n_shown=len(i_train) + len(i_val),
        n_total=len(x_train) + len(x_val),
    )
