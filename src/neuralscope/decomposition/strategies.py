"""Partition strategies: how a layer's units are grouped into modules.

The defaults follow SCIENCE.md section 4.1 (measured on planted two-task networks):

* ``CorrelationComponents``: connected components of the graph |corr(a_i, a_j)| > z/sqrt(n)
  (cross-module correlation is 0 in the population, its standard error 1/sqrt(n)); with one
  component it falls back to the eigengap of the normalised affinity. ARI 1.00, k = 2 exactly
  with z = 4 on 32 units. z = max(4, Bonferroni z over the m(m-1)/2 pairs at 1%): with 512
  units z = 4 let ~6 spurious cross-module edges through and merged 4 planted blocks into 2
  (measured), z = 5.4 keeps them apart.
* ``SpectralClustering``: Ng, Jordan & Weiss (NeurIPS 2001) on the |Pearson| affinity (Lange,
  Rolnick & Kording, TMLR 2022); k by the eigengap (von Luxburg 2007) unless set.
* ``KMeansClusterer`` on raw activation vectors and ``HierarchicalClusterer`` (average linkage
  on 1 - |corr|) are user options; their caveats travel with every result they produce
  (k-means on raw activations scored ARI 0.04 on the planted network).
"""

from __future__ import annotations

import math
from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import ClassVar

import numpy as np
from numpy.typing import NDArray
from scipy.cluster.hierarchy import fcluster, linkage
from scipy.linalg import eigh
from scipy.sparse.csgraph import connected_components
from scipy.sparse.linalg import eigsh
from scipy.spatial.distance import squareform
from scipy.special import ndtri

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]

MAX_AUTO_K = 12


@dataclass(frozen=True)
class UnitData:
    """A layer's live units: activations (n, m) and their |Pearson| affinity (m, m)."""

    activations: FloatArray
    affinity: FloatArray

    @property
    def n_samples(self) -> int:
        return int(self.activations.shape[0])

    @property
    def n_units(self) -> int:
        return int(self.affinity.shape[0])


@dataclass(frozen=True)
class Partition:
    """Module label per live unit (0..k-1) and how k was chosen."""

    labels: IntArray
    k: int
    how: str


def abs_correlation(activations: FloatArray) -> FloatArray:
    """|Pearson r| between columns, zero diagonal; constant columns must be removed first."""
    a = activations - activations.mean(axis=0)
    a /= np.linalg.norm(a, axis=0)
    s = np.abs(a.T @ a)
    np.fill_diagonal(s, 0.0)
    return np.asarray(s, dtype=np.float64)


def _normalised(affinity: FloatArray) -> FloatArray:
    degree = affinity.sum(axis=1)
    inv = 1.0 / np.sqrt(np.maximum(degree, 1e-12))
    return np.asarray(affinity * inv[:, None] * inv[None, :], dtype=np.float64)


def _top_eigen(affinity: FloatArray, count: int) -> tuple[FloatArray, FloatArray]:
    """Largest ``count`` eigenpairs of D^-1/2 S D^-1/2, eigenvalues descending.

    Lanczos (ARPACK) for large layers, started from sqrt(degree) (the top eigenvector) so the
    result is deterministic; dense LAPACK otherwise.
    """
    m = affinity.shape[0]
    count = min(count, m)
    normalised = _normalised(affinity)
    if m >= 128 and count < m // 4:
        start = np.sqrt(np.maximum(affinity.sum(axis=1), 1e-12))
        vals, vecs = eigsh(
            normalised, k=count, which="LA", v0=start / np.linalg.norm(start), tol=1e-3
        )
        order = np.argsort(vals)[::-1]
        return np.asarray(vals[order], np.float64), np.asarray(vecs[:, order], np.float64)
    vals, vecs = eigh(normalised.astype(np.float32), subset_by_index=[m - count, m - 1])
    return np.asarray(vals[::-1], dtype=np.float64), np.asarray(vecs[:, ::-1], dtype=np.float64)


def components_threshold(n_samples: int, n_units: int) -> float:
    """max(4, Bonferroni z at 1% over the unit pairs) / sqrt(n)."""
    pairs = max(n_units * (n_units - 1) / 2, 1.0)
    z = float(ndtri(1.0 - 0.01 / (2.0 * pairs)))
    return max(4.0, z) / math.sqrt(n_samples)


def eigengap_k(eigenvalues: FloatArray) -> int:
    """k at the largest gap lambda_k - lambda_{k+1} of the descending spectrum (k >= 1)."""
    if eigenvalues.size < 2:
        return 1
    gaps = eigenvalues[:-1] - eigenvalues[1:]
    return int(np.argmax(gaps)) + 1


def kmeans(points: FloatArray, k: int, seed: int, restarts: int = 3, iters: int = 50) -> IntArray:
    """Lloyd's k-means with k-means++ seeding (Arthur & Vassilvitskii 2007); best inertia."""
    rng = np.random.default_rng(seed)
    n = points.shape[0]
    best: IntArray = np.zeros(n, dtype=np.int64)
    best_inertia = np.inf
    sq = (points**2).sum(axis=1)
    for _ in range(restarts):
        c = np.empty((k, points.shape[1]))
        c[0] = points[rng.integers(n)]
        d2 = ((points - c[0]) ** 2).sum(axis=1)
        for j in range(1, k):
            total = d2.sum()
            pick = rng.choice(n, p=d2 / total) if total > 0 else rng.integers(n)
            c[j] = points[pick]
            d2 = np.minimum(d2, ((points - c[j]) ** 2).sum(axis=1))
        labels = np.full(n, -1, dtype=np.int64)
        for _ in range(iters):
            dist = sq[:, None] - 2 * points @ c.T + (c**2).sum(axis=1)[None, :]
            new = np.argmin(dist, axis=1).astype(np.int64)
            if np.array_equal(new, labels):
                break
            labels = new
            counts = np.bincount(labels, minlength=k)
            sums = np.eye(k)[labels].T @ points
            filled = counts > 0
            c[filled] = sums[filled] / counts[filled, None]
        inertia = float(np.min(dist, axis=1).sum())
        if inertia < best_inertia:
            best_inertia, best = inertia, labels
    return _relabel(best)


def _relabel(labels: IntArray) -> IntArray:
    """Labels renumbered 0..k-1 in order of first appearance."""
    _, first, inverse = np.unique(labels, return_index=True, return_inverse=True)
    order = np.argsort(np.argsort(first))
    return np.asarray(order[inverse], dtype=np.int64)


class Clusterer(ABC):
    """A way to partition a layer's live units into modules."""

    name: ClassVar[str]
    caveat: ClassVar[str | None] = None
    uses_activations: ClassVar[bool] = False

    @abstractmethod
    def partition(self, data: UnitData, seed: int) -> Partition:
        """Module labels for every live unit."""

    def null_strategy(self, k: int) -> Clusterer:
        """The method that partitions shuffled baselines into k modules (quality.py)."""
        return SpectralClustering(k)


@dataclass(frozen=True)
class SpectralClustering(Clusterer):
    """Normalised spectral clustering of the |corr| affinity; k by eigengap unless set."""

    k: int | None = None
    name: ClassVar[str] = "spectral"

    def partition(self, data: UnitData, seed: int) -> Partition:
        m = data.n_units
        if m < 2:
            return Partition(np.zeros(m, dtype=np.int64), 1, "single unit")
        vals, vecs = _top_eigen(data.affinity, self.k if self.k is not None else MAX_AUTO_K + 1)
        k = self.k if self.k is not None else eigengap_k(vals)
        how = "fixed k" if self.k is not None else "eigengap"
        k = max(1, min(k, m))
        if k == 1:
            return Partition(np.zeros(m, dtype=np.int64), 1, how)
        emb = vecs[:, :k]
        emb = emb / np.maximum(np.linalg.norm(emb, axis=1, keepdims=True), 1e-12)
        labels = kmeans(emb, k, seed)
        return Partition(labels, int(labels.max()) + 1, how)


@dataclass(frozen=True)
class CorrelationComponents(Clusterer):
    """Connected components of |corr| > threshold (default ``components_threshold``);
    eigengap spectral clustering if there is one component."""

    threshold: float | None = None
    name: ClassVar[str] = "components"

    def partition(self, data: UnitData, seed: int) -> Partition:
        thr = self.threshold
        if thr is None:
            thr = components_threshold(data.n_samples, data.n_units)
        count, labels = connected_components(data.affinity > thr, directed=False)
        if int(count) > 1:
            return Partition(_relabel(np.asarray(labels, dtype=np.int64)), int(count), "components")
        fallback = SpectralClustering().partition(data, seed)
        return Partition(fallback.labels, fallback.k, "eigengap (one component)")


@dataclass(frozen=True)
class KMeansClusterer(Clusterer):
    """k-means on each unit's raw activation vector over the probe samples."""

    k: int
    name: ClassVar[str] = "kmeans"
    uses_activations: ClassVar[bool] = True
    caveat: ClassVar[str | None] = (
        "k-means on raw activation vectors groups units by activation scale and sign, not by "
        "shared function: it scored ARI 0.04 on planted modules (SCIENCE.md section 0.1). "
        "Prefer CorrelationComponents or SpectralClustering."
    )

    def null_strategy(self, k: int) -> Clusterer:
        return self

    def partition(self, data: UnitData, seed: int) -> Partition:
        k = max(1, min(self.k, data.n_units))
        labels = kmeans(np.ascontiguousarray(data.activations.T), k, seed)
        return Partition(labels, int(labels.max()) + 1, "fixed k")


@dataclass(frozen=True)
class HierarchicalClusterer(Clusterer):
    """Average-linkage agglomerative clustering on the distance 1 - |corr|, cut at k."""

    k: int
    name: ClassVar[str] = "hierarchical"
    caveat: ClassVar[str | None] = (
        "Average-linkage clustering has no model of noise: with a fixed k it always returns "
        "k groups, and one noisy unit can chain two modules together. Read it with the "
        "permutation p-value; it was not validated on planted modules (SCIENCE.md section 4.1)."
    )

    def null_strategy(self, k: int) -> Clusterer:
        return self

    def partition(self, data: UnitData, seed: int) -> Partition:
        m = data.n_units
        if m < 2:
            return Partition(np.zeros(m, dtype=np.int64), 1, "single unit")
        dist = 1.0 - data.affinity
        np.fill_diagonal(dist, 0.0)
        tree = linkage(squareform(np.clip(dist, 0.0, None), checks=False), method="average")
        labels = np.asarray(fcluster(tree, t=min(self.k, m), criterion="maxclust"), np.int64)
        labels = _relabel(labels)
        return Partition(labels, int(labels.max()) + 1, "fixed k")
