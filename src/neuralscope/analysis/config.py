"""Thresholds and options for the static analysis, each with its source (SCIENCE.md sections 1-3).

Heuristic thresholds are configurable here and copied into every Finding's evidence.
"""

from __future__ import annotations

import math

from pydantic import BaseModel, ConfigDict, Field


class AnalysisConfig(BaseModel):
    """Everything ``analyze`` can be told; defaults follow SCIENCE.md."""

    model_config = ConfigDict(frozen=True)

    histogram_bins: int = 40
    near_zero_rel: float = Field(1e-3, description="|w| < near_zero_rel * max|w| (SCIENCE 1.1)")
    robust_z: float = Field(6.0, description="robust z = 0.6745 (w - median) / MAD (heuristic)")
    duplicate_cosine: float = Field(0.999, description="duplicate rows / layers (SCIENCE 2)")
    duplicate_rows_max: int = Field(1 << 17, description="skip the row check above this")
    init_log_ratio: float = Field(math.log(3.0), description="min_s |ln r_s| > ln 3 (SCIENCE 1.1)")
    norm_modified_z: float = Field(3.5, description="Iglewicz-Hoaglin modified z of log-norm")
    norm_min_decades: float = Field(1.0, description="and >= 1 decade from the median (heuristic)")
    low_rank_rel_tol: float = Field(1e-3, description="sigma_i > tol * sigma_max counts for rank")
    low_rank_fraction: float = Field(0.5, description="numerical rank < fraction * min(m, n)")
    min_evals_alpha: int = Field(50, description="fewer eigenvalues: no power-law fit (WW default)")
    mp_margin: float = Field(1.1, description="spike: eigenvalue > margin * MP edge")
    gain_range: tuple[float, float] = (0.1, 10.0)
    cumulative_gain_range: tuple[float, float] = (1e-3, 1e3)
    grad_ratio: float = Field(1e-3, description="first/last gradient ratio (Pascanu et al. 2013)")
    saturation_fraction: float = Field(0.9, description="|tanh| > 0.99 on > 90% (Glorot 2010)")
    cka_redundant: float = Field(0.95, description="debiased CKA above this and the baseline")
    workers: int = Field(
        0,
        ge=0,
        description="threads for per-tensor statistics and spectra (BLAS limited to 1 each); "
        "0: one per usable core, at most 8 (the report records the number used)",
    )
    weights_only_estimate: bool = Field(
        True, description="weights-only files: estimate FLOPs/latency from rebuilt layers"
    )
    assumed_spatial: int = Field(32, description="feature-map side for conv layer estimates")
    ridge_flops_per_byte: float = Field(
        10.0, description="roofline ridge point (Williams et al. 2009); see efficiency.py"
    )
    latency_batches: tuple[int, ...] = (1, 8, 32)
    latency_repeats: int = 20
    synthetic_batch: int = 64
    activation_batch: int = 1
