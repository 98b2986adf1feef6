"""Synthetic 2-D sets, as learners know them from TensorFlow Playground, plus their relatives.

Points live in the square [-6, 6]^2. ``noise`` is a fraction in [0, 0.5]: how much the classes
are blurred into each other (regression: how much the target is perturbed). Generation is
seeded and uses its own ``numpy.random.Generator``, so it never touches global random state.

Binary sets (circle, xor, gauss, spirals) follow TF Playground's ``dataset.ts``
(Smilkov & Carter, 2016); moons follows scikit-learn's ``make_moons``; blobs and the
multi-arm spirals generalise gauss and spirals to 3-5 classes; the regression sets (plane,
multigauss) follow Playground's ``regressPlane`` / ``regressGaussian``; sine is 1-D.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

Points = tuple[np.ndarray, np.ndarray]
Generator2D = Callable[[np.random.Generator, int, float, int], Points]


def _circle(rng: np.random.Generator, n: int, noise: float, k: int = 2) -> Points:
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


def _xor(rng: np.random.Generator, n: int, noise: float, k: int = 2) -> Points:
    padding = 0.3
    points = rng.uniform(-5, 5, (n, 2))
    points += np.where(points > 0, padding, -padding)  # keep points off the axes
    labels = (points[:, 0] * points[:, 1] >= 0).astype(np.int64)
    points = points + rng.uniform(-5, 5, (n, 2)) * noise
    return points, labels


def _gauss(rng: np.random.Generator, n: int, noise: float, k: int = 2) -> Points:
    std = 0.5 + 3.5 * noise / 0.5
    half = n // 2
    labels = np.concatenate([np.ones(half, np.int64), np.zeros(n - half, np.int64)])
    centres = np.where(labels[:, None] == 1, 2.0, -2.0)
    return centres + rng.normal(0, std, (n, 2)), labels


def _spirals(rng: np.random.Generator, n: int, noise: float, k: int = 2) -> Points:
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


def _moons(rng: np.random.Generator, n: int, noise: float, k: int = 2) -> Points:
    """Two interleaving half circles (scikit-learn ``make_moons``), scaled to the plane."""
    n_out = n // 2
    n_in = n - n_out
    t_out = rng.uniform(0, np.pi, n_out)
    t_in = rng.uniform(0, np.pi, n_in)
    outer = np.stack([np.cos(t_out), np.sin(t_out)], axis=1)
    inner = np.stack([1 - np.cos(t_in), 1 - np.sin(t_in) - 0.5], axis=1)
    points = np.concatenate([outer, inner]) - np.array([0.5, 0.25])
    points = points * 3.0 + rng.normal(0, 1, (n, 2)) * noise * 3.0
    labels = np.concatenate([np.zeros(n_out, np.int64), np.ones(n_in, np.int64)])
    return points, labels


def _blobs(rng: np.random.Generator, n: int, noise: float, k: int = 3) -> Points:
    """``k`` Gaussian blobs with centres evenly spaced on a circle of radius 3.5."""
    labels = np.arange(n) % k
    angle = 2 * np.pi * labels / k + np.pi / 2
    centres = 3.5 * np.stack([np.cos(angle), np.sin(angle)], axis=1)
    std = 0.6 + 3.0 * noise
    return centres + rng.normal(0, std, (n, 2)), labels.astype(np.int64)


def _spirals_multi(rng: np.random.Generator, n: int, noise: float, k: int = 3) -> Points:
    """``k`` interleaved spiral arms (CS231n's spiral data, scaled to the plane)."""
    labels = np.arange(n) % k
    t = rng.uniform(0.05, 1.0, n)
    angle = 1.5 * t * 2 * np.pi + 2 * np.pi * labels / k
    xy = 5.0 * t[:, None] * np.stack([np.sin(angle), np.cos(angle)], axis=1)
    return xy + rng.uniform(-1, 1, (n, 2)) * noise * 2, labels.astype(np.int64)


def _plane(rng: np.random.Generator, n: int, noise: float, k: int = 0) -> Points:
    """Target = (x1 + x2) / 12 in [-1, 1], as Playground's ``regressPlane``."""
    points = rng.uniform(-6, 6, (n, 2))
    target = (points[:, 0] + points[:, 1]) / 12 + rng.uniform(-1, 1, n) * noise
    return points, target.astype(np.float64)


def _multigauss(rng: np.random.Generator, n: int, noise: float, k: int = 0) -> Points:
    """Target = signed sum of six Gaussian bumps (Playground's ``regressGaussian``)."""
    bumps = np.array([[-4, 2.5, 1], [0, 2.5, -1], [4, 2.5, 1], [-4, -2.5, -1], [0, -2.5, 1]])
    bumps = np.concatenate([bumps, [[4, -2.5, -1]]])
    points = rng.uniform(-6, 6, (n, 2))
    d2 = ((points[:, None, :] - bumps[None, :, :2]) ** 2).sum(-1)
    target = (bumps[None, :, 2] * np.exp(-d2 / 2.0)).sum(1)
    return points, target + rng.uniform(-1, 1, n) * noise


def _sine(rng: np.random.Generator, n: int, noise: float, k: int = 0) -> Points:
    """1-D: target = sin(x) for x in [-6, 6]."""
    x = rng.uniform(-6, 6, (n, 1))
    return x, np.sin(x[:, 0]) + rng.normal(0, 1, n) * noise


CLASSIFICATION: dict[str, Generator2D] = {
    "spirals": _spirals,
    "circle": _circle,
    "xor": _xor,
    "gauss": _gauss,
    "moons": _moons,
    "blobs": _blobs,
    "spirals_multi": _spirals_multi,
}
REGRESSION: dict[str, Generator2D] = {"plane": _plane, "multigauss": _multigauss, "sine": _sine}
