"""Thresholds of the live rules (SCIENCE.md 1.2, 1.3, 5); heuristic ones are marked."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class RuleConfig(BaseModel):
    """Every threshold the live findings use; each is shown with its source in the finding."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    loss_window: int = Field(
        100, ge=4, description="Logged training losses per window (plateau, oscillation, trend)"
    )
    plateau_rel_change: float = Field(1e-3, description="|dL|/L below this is a plateau")
    oscillation_std: float = Field(
        1.0, description="std of delta log L above this oscillates (heuristic)"
    )
    decrease_fraction: float = Field(0.05, description="Window-to-window drop for a good sign")
    vanishing_ratio: float = Field(1e-3, description="First/last-layer gradient norm ratio")
    vanishing_steps: int = Field(100, description="Steps the ratio must stay low")
    exploding_factor: float = Field(10.0, description="Spike over the running median")
    exploding_history: int = Field(5, ge=1, description="Observations before spikes count")
    update_low_log10: float = -4.0
    update_high_log10: float = -2.0
    update_window: int = Field(5, ge=1, description="Sampled steps in the update-ratio median")
    dead_probe_samples: int = Field(1000, ge=1, description="Samples pooled before dead units")
    unit_warning_fraction: float = Field(
        0.25, description="Dead/saturated share that makes it a warning (heuristic)"
    )
    gl_threshold: float = Field(5.0, description="Prechelt generalisation loss GL")
    up_strips: int = Field(3, description="Prechelt UP_s: rises at s consecutive strip ends")
    strip_length: int = Field(5, description="Prechelt strip length k (epochs)")
    accuracy_gap: float = Field(0.15, description="train - val accuracy gap (heuristic)")
    calibration_alpha: float = Field(0.01, description="Consistency-resampling p-value cut")
    min_calibration_samples: int = Field(100, description="Fewer predictions: no verdict")
    splits_alpha: float = Field(0.01, description="Chi-squared homogeneity p-value cut")
    confidence_rise: float = Field(0.05, description="Rise of mean correct confidence (good)")
