"""Every per-tensor analysis of a state dict — weight statistics for each floating tensor, a
spectrum for each finite matrix — as one batch of independent jobs on ``config.workers``
threads (``_parallel``), so the statistics of some tensors overlap the spectra of others
instead of waiting for them. With one worker the jobs run in order on the calling thread.

Duplicate rows come from the spectrum's Gram matrix where that is the row Gram
(``rows_from_gram``), else from the statistics' LSH pass. A matrix gets a spectrum only when all
its values are finite (the statistics count the NaN and Inf ones).
"""

from __future__ import annotations

import math
from typing import NamedTuple

import torch

from neuralscope.analysis._parallel import parallel_map
from neuralscope.analysis.config import AnalysisConfig
from neuralscope.analysis.spectral import (
    SpectralStats,
    matrix_params,
    rows_from_gram,
    spectral_and_rows,
)
from neuralscope.analysis.weights import WeightStats, weight_stats


class TensorAnalyses(NamedTuple):
    weights: list[WeightStats]  # duplicate rows filled in from either source
    spectra: list[SpectralStats]
    matrices: dict[str, torch.Tensor]  # the finite matrices that got a spectrum


Job = tuple[str, torch.Tensor]
SpectrumOut = tuple[SpectralStats, list[list[int]] | None]


def _all_finite(t: torch.Tensor) -> bool:
    """No NaN or Inf: a finite float32 sum proves it in one pass without a temporary (a NaN
    or Inf makes the sum non-finite); only an overflowing sum needs the exact check."""
    return math.isfinite(float(t.sum())) or bool(torch.isfinite(t).all())


def _stats_cost(job: Job) -> int:
    """Relative cost for largest-first ordering: a few passes over the tensor."""
    return 8 * job[1].numel()


def _spectrum_cost(job: Job) -> int:
    """The Gram product plus the tridiagonal reduction of the small side (BLAS-2 bound)."""
    t = job[1]
    small = min(t.shape[0], t[0].numel())
    return t.numel() * small + 10 * small**3


def tensor_analyses(state: dict[str, torch.Tensor], config: AnalysisConfig) -> TensorAnalyses:
    """Statistics of every floating tensor and spectra of the finite matrices (see above)."""
    floats = {k: v.detach() for k, v in state.items() if v.is_floating_point()}
    mats = matrix_params(floats, {k for k, v in floats.items() if _all_finite(v)})
    gram_rows = {k for k, v in mats.items() if rows_from_gram(v, config)}
    stat_jobs: list[Job] = list(floats.items())
    spectrum_jobs: list[Job] = list(mats.items())
    n = len(stat_jobs)

    def run(i: int) -> WeightStats | SpectrumOut:
        if i < n:
            name, t = stat_jobs[i]
            return weight_stats(name, t, config, check_rows=name not in gram_rows)
        name, t = spectrum_jobs[i - n]
        return spectral_and_rows(name, t, config)

    costs = [_stats_cost(j) for j in stat_jobs] + [_spectrum_cost(j) for j in spectrum_jobs]
    out = parallel_map(run, list(range(len(costs))), config.workers, cost=costs.__getitem__)
    weights = [r for r in out[:n] if isinstance(r, WeightStats)]
    spectra_out = [r for r in out[n:] if isinstance(r, tuple)]
    rows = {s.name: r for s, r in spectra_out if r}
    weights = [
        w.model_copy(update={"duplicate_rows": rows[w.name]}) if w.name in rows else w
        for w in weights
    ]
    return TensorAnalyses(weights, [s for s, _ in spectra_out], mats)
