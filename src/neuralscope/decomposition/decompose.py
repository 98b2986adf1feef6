"""``decompose``: a layer's units grouped into functional modules, scored and explained.

Pipeline per layer (SCIENCE.md section 4): probe activations in one hooked pass; constant
units reported apart as dead; |Pearson| affinity; partition by the chosen strategy (default
``CorrelationComponents``: components of |r| > 4/sqrt(n), eigengap fallback); modularity Q
and within/between affinity; a permutation p-value (quality.py). Without significant
structure (p > alpha) the layer is reported as one module instead of inventing modules.
With targets, every module gets its metrics in isolation (metrics.py) and the advisor's
findings. Across consecutive layers, connection strength is the share of |W| between module
unit sets (Filan et al. 2021's weight graph) and, with targets, the share of the gradient
flow E_n|dL/dz_j W_ji a_i| between them; every module then also gets its Taylor proxy
(flow.py has both formulas and their sources).
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np
import torch
from threadpoolctl import threadpool_limits  # type: ignore[import-untyped]
from torch import nn

from neuralscope.decomposition import _probe
from neuralscope.decomposition.advisor import layer_findings
from neuralscope.decomposition.flow import (
    Profile,
    abs_weight,
    between_module,
    block_shares,
    profile,
    taylor,
)
from neuralscope.decomposition.quality import (
    Significance,
    modularity,
    permutation_test,
    within_between,
)
from neuralscope.decomposition.results import (
    Connection,
    Decomposition,
    LayerDecomposition,
    Module,
    TaskScores,
)
from neuralscope.decomposition.scoring import LayerScorer
from neuralscope.decomposition.strategies import (
    Clusterer,
    CorrelationComponents,
    SpectralClustering,
    UnitData,
    abs_correlation,
)


@dataclass(frozen=True)
class DecomposeConfig:
    """Costs and thresholds of a decomposition.

    Attributes:
        permutations: shuffled-affinity baselines for the p-value (normal tail over them).
        alpha: significance level; above it the layer is one module.
        min_modularity: Q floor for a significant partition. The shuffled-affinity null is
            beaten by any non-random correlation structure: dense single-task MLPs gave
            Q = 0.08-0.14 at p = 0.02 with k forced to 2-3, planted modules Q = 0.45
            (measured). 0.3 follows Newman & Girvan 2004 (heuristic, configurable).
        random_sets: random unit sets per module size for the importance percentile
            (SCIENCE.md asks for 1000 where affordable).
        probe_folds: folds of the held-out logistic probe; 0 skips the probe (no probe
            accuracy, so no uninformative_module alert; a search trial's summary uses 0).
        metrics: compute per-module metrics when targets are given.
        seed: for every random draw.
    """

    permutations: int = 20
    alpha: float = 0.05
    min_modularity: float = 0.3
    random_sets: int = 200
    probe_folds: int = 3
    metrics: bool = True
    seed: int = 0


def _strategy(method: Clusterer | None, n_modules: int | None) -> Clusterer:
    if method is None:
        return CorrelationComponents() if n_modules is None else SpectralClustering(n_modules)
    if n_modules is None:
        return method
    if not hasattr(method, "k"):
        raise ValueError(f"{type(method).__name__} chooses k itself; do not pass n_modules")
    return replace(method, k=n_modules)  # type: ignore[type-var]


def identify(
    name: str, output: torch.Tensor, clusterer: Clusterer, config: DecomposeConfig
) -> tuple[LayerDecomposition, np.ndarray]:
    """Modules of one layer from its output on the probe samples (no metrics yet)."""
    acts = _probe.unit_matrix(output)
    spread = acts.std(axis=0)
    scale = np.abs(acts).max(axis=0) + 1.0
    live = np.flatnonzero(spread > 1e-7 * scale)
    dead = np.flatnonzero(spread <= 1e-7 * scale).tolist()
    data = UnitData(
        acts[:, live], abs_correlation(acts[:, live]) if live.size else np.zeros((0, 0))
    )
    labels, part_k, how = np.zeros(live.size, dtype=np.int64), 1, "too few live units"
    sig = Significance(q=0.0, null_mean=0.0, null_sd=0.0, exceed=0, p_value=1.0, permutations=0)
    if live.size >= 2:
        part = clusterer.partition(data, config.seed)
        labels, part_k, how = part.labels, part.k, part.how
        sig = replace(sig, q=modularity(data.affinity, labels))
        if part_k > 1:
            sig = permutation_test(clusterer, data, part_k, sig.q, config.permutations, config.seed)
    q, p = sig.q, sig.p_value
    within, between, ratio = within_between(data.affinity, labels)
    significant = part_k > 1 and p <= config.alpha and q >= config.min_modularity
    if significant:
        groups = [live[labels == c].tolist() for c in range(part_k)]
        verdict = f"{part_k} modules (Q = {q:.3f}, p = {p:.3f})"
    else:
        groups = [live.tolist()] if live.size else []
        verdict = (
            f"no significant modular structure (best partition k = {part_k}, Q = {q:.3f} "
            f"[floor {config.min_modularity}], p = {p:.3f} [alpha {config.alpha}]); "
            "the layer is reported as one module"
            if part_k > 1
            else f"no modular structure: one module ({how})"
        )
    modules = [Module(id=f"{name}#{i}", layer=name, units=g) for i, g in enumerate(groups)]
    result = LayerDecomposition(
        layer=name,
        method=clusterer.name,
        k_chosen_by=how,
        caveat=clusterer.caveat,
        units=int(acts.shape[1]),
        dead_units=dead,
        modules=modules,
        candidate_k=part_k,
        modularity=q,
        within_affinity=within,
        between_affinity=between,
        within_between_ratio=ratio,
        null_modularity_mean=sig.null_mean,
        null_modularity_sd=sig.null_sd,
        p_value=p,
        permutations=sig.permutations,
        significant=significant,
        verdict=verdict,
    )
    return result, acts


def connections(
    model: nn.Module,
    layers: Sequence[LayerDecomposition],
    flow: dict[tuple[str, str], np.ndarray] | None = None,
) -> list[Connection]:
    """Share of |W| (and, with a profile, of the gradient flow) between modules of
    consecutive layers; pairs with no single weight between them are skipped."""
    out: list[Connection] = []
    for a, b in itertools.pairwise(layers):
        try:
            w = abs_weight(between_module(model, a.layer, b.layer, a.units, b.units)).numpy()
        except LookupError:
            continue
        f = None if flow is None else flow.get((a.layer, b.layer))
        for ma in a.modules:
            for mb in b.modules:
                out.append(
                    Connection(
                        source=ma.id,
                        target=mb.id,
                        strength=block_shares(w, mb.units, ma.units),
                        gradient_flow=None if f is None else block_shares(f, mb.units, ma.units),
                    )
                )
    return out


def _with_taylor(layer: LayerDecomposition, prof: Profile) -> LayerDecomposition:
    """Every module's Taylor proxy (also in its importance, when it has metrics)."""
    modules = []
    for mod in layer.modules:
        value = taylor(prof.contrib[layer.layer], mod.units)
        update: dict[str, object] = {"taylor": value}
        if mod.metrics is not None:
            importance = mod.metrics.importance.model_copy(update={"taylor_proxy": value})
            update["metrics"] = mod.metrics.model_copy(update={"importance": importance})
        modules.append(mod.model_copy(update=update))
    return layer.model_copy(update={"modules": modules})


def decompose(
    model: nn.Module,
    inputs: torch.Tensor,
    targets: torch.Tensor | None = None,
    *,
    layer: str | Sequence[str],
    method: Clusterer | None = None,
    n_modules: int | None = None,
    config: DecomposeConfig | None = None,
) -> Decomposition:
    """Functional modules of one or more layers of ``model`` on the probe ``inputs``.

    Args:
        model: any module; it is run in eval mode and left unchanged.
        inputs: probe samples (n, ...), on the model's device; n >= 20 units if possible.
        targets: class labels (n,), or (n, T) for T equal output heads, or float regression
            targets; with them every module gets its metrics and findings.
        layer: qualified module name(s) whose outputs are decomposed, e.g. ``"1"`` or
            ``["act1", "act2"]``.
        method: a strategy object (default ``CorrelationComponents()``).
        n_modules: fixes k (implies ``SpectralClustering(k)`` when no method is given).
        config: costs and thresholds.
    """
    config = config or DecomposeConfig()
    names = [layer] if isinstance(layer, str) else list(layer)
    clusterer = _strategy(method, n_modules)
    captured, outputs = _probe.capture(model, names, inputs)
    layers: list[LayerDecomposition] = []
    findings = []
    for name in names:
        # numpy's BLAS gets torch's thread count: multithreaded OpenBLAS on small matrices
        # ran 6x slower on a busy 2-core machine (measured, 512 units).
        with threadpool_limits(limits=torch.get_num_threads(), user_api="blas"):
            result, acts = identify(name, captured[name], clusterer, config)
        if targets is not None and config.metrics:
            scorer = LayerScorer(model, name, inputs, targets, captured[name], acts, config.seed)
            full: list[TaskScores] = scorer.full_scores(outputs)
            modules = scorer.score(result.modules, config.random_sets, config.probe_folds)
            result = result.model_copy(
                update={"modules": modules, "full_scores": full, "base_loss": scorer.base_loss}
            )
        layers.append(result)
        findings.extend(layer_findings(result))
    prof = None
    if targets is not None:
        units = {layer.layer: layer.units for layer in layers}
        prof = profile(model, names, inputs, targets, units)
        layers = [_with_taylor(layer, prof) for layer in layers]
    return Decomposition(
        probe_samples=int(inputs.shape[0]),
        layers=layers,
        connections=connections(model, layers, None if prof is None else prof.flow),
        findings=findings,
    )
