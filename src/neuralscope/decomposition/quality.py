"""How modular a partition is, and whether that beats chance.

* Modularity Q of a weighted graph (Newman, PNAS 2006):
  Q = (1/2w) sum_ij [S_ij - k_i k_j / 2w] delta(c_i, c_j), with 2w = sum_ij S_ij.
* Within/between affinity: mean S_ij over pairs in the same module / over pairs in different
  modules (i != j); undefined with one module.
* Permutation p-value (Filan et al. 2021, arXiv 2103.03386, who shuffle weights within a
  layer): the affinity's off-diagonal entries are shuffled symmetrically, which keeps their
  distribution but destroys any structure; each shuffled graph gets its best partition with
  the same k, and p is the normal tail of Q against those null values (see
  ``permutation_test``). p > 0.05 means no significant modular structure.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from neuralscope.decomposition.strategies import (
    Clusterer,
    FloatArray,
    IntArray,
    UnitData,
    abs_correlation,
)


def modularity(affinity: FloatArray, labels: IntArray) -> float:
    """Newman's weighted modularity Q of ``labels`` on ``affinity`` (zero diagonal)."""
    total = float(affinity.sum())
    if total <= 0.0 or labels.size == 0:
        return 0.0
    degree = affinity.sum(axis=1)
    q = 0.0
    for c in np.unique(labels):
        idx = labels == c
        q += (
            float(affinity[np.ix_(idx, idx)].sum()) / total
            - (float(degree[idx].sum()) / total) ** 2
        )
    return q


def within_between(affinity: FloatArray, labels: IntArray) -> tuple[float, float, float | None]:
    """Mean affinity within modules, between modules, and their ratio (None for one module)."""
    same = labels[:, None] == labels[None, :]
    off = ~np.eye(labels.size, dtype=bool)
    within_mask, between_mask = same & off, ~same
    within = float(affinity[within_mask].mean()) if within_mask.any() else 0.0
    if not between_mask.any():
        return within, 0.0, None
    between = float(affinity[between_mask].mean())
    return within, between, (within / between if between > 0 else float("inf"))


def shuffled_affinity(
    affinity: FloatArray, rng: np.random.Generator, upper: tuple[IntArray, IntArray] | None = None
) -> FloatArray:
    """The same off-diagonal weights, placed at random (symmetric, zero diagonal)."""
    iu = upper if upper is not None else np.triu_indices(affinity.shape[0], k=1)
    out = np.zeros_like(affinity)
    out[iu] = rng.permutation(affinity[iu])
    return out + out.T


@dataclass(frozen=True)
class Significance:
    """Observed Q against its permutation null."""

    q: float
    null_mean: float
    null_sd: float
    exceed: int
    p_value: float
    permutations: int


def permutation_test(
    clusterer: Clusterer, data: UnitData, k: int, q_observed: float, permutations: int, seed: int
) -> Significance:
    """p-value of ``q_observed`` against the best k-partition of shuffled affinities.

    The null partitions come from ``clusterer.null_strategy(k)``: with k fixed, an automatic
    method would mostly answer k = 1 on a structureless graph and make the test trivial.
    Shuffled Q values are nearly Gaussian (Guimera, Sales-Pardo & Amaral, PRE 2004, on the
    modularity of random graphs), so p is the normal tail of z = (Q - mean) / sd over B
    shuffles; ``exceed`` counts the shuffles that reached Q (an empirical check).
    """
    rng = np.random.default_rng(seed)
    null_method = clusterer.null_strategy(k)
    upper = np.triu_indices(data.n_units, k=1)
    nulls: list[float] = []
    for b in range(permutations):
        if null_method.uses_activations:
            # Raw-activation strategies get each unit's samples shuffled independently: a
            # liberal null (all correlations ~0), stated in their caveat.
            acts = rng.permuted(data.activations, axis=0)
            s = abs_correlation(acts)
        else:
            acts, s = data.activations, shuffled_affinity(data.affinity, rng, upper)
        part = null_method.partition(UnitData(acts, s), seed + b + 1)
        nulls.append(modularity(s, part.labels))
    if not nulls:
        return Significance(q_observed, 0.0, 0.0, 0, 1.0, 0)
    null = np.asarray(nulls)
    mean, sd = float(null.mean()), float(null.std(ddof=1)) if null.size > 1 else 0.0
    z = (q_observed - mean) / max(sd, 1e-9)
    return Significance(
        q=q_observed,
        null_mean=mean,
        null_sd=sd,
        exceed=int((null >= q_observed - 1e-12).sum()),
        p_value=float(0.5 * math.erfc(z / math.sqrt(2.0))),
        permutations=permutations,
    )
