"""Findings: the one type every diagnostic returns, and the registry of their codes.

A Finding's ``code`` is part of the public API (reports, REST, the web app, docs): codes are
registered here once, with what they mean and where their threshold comes from, and are never
renamed silently.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

EvidenceValue = float | int | str | bool | list[float] | list[int] | None


class Severity(StrEnum):
    INFO = "info"
    WARNING = "warning"
    CRITICAL = "critical"


class Finding(BaseModel):
    """One diagnosis with the numbers behind it."""

    model_config = ConfigDict(frozen=True, json_schema_serialization_defaults_required=True)

    code: str = Field(description="Stable snake_case code from the registry")
    severity: Severity
    layer: str | None = Field(default=None, description="Qualified module name, if any")
    evidence: dict[str, EvidenceValue] = Field(
        default_factory=dict, description="The numbers that triggered it, with the threshold"
    )
    message: str
    recommendation: str


@dataclass(frozen=True)
class FindingCode:
    """What a code means and the source of its rule."""

    code: str
    title: str
    meaning: str
    source: str


# One list per job; each code is registered exactly once (a test checks it). Codes shared by
# several jobs (static analysis and live watching both find dead units) live in _SHARED.
_SHARED = [
    FindingCode(
        "dead_units",
        "Dead units",
        "Units whose output is never positive on the probe data (ReLU: they get no gradient "
        "and stop learning); static analysis can certify some from weights alone.",
        "Lu et al. 2019 (arXiv 1903.06733); interval certificate: SCIENCE.md section 1.1.",
    ),
    FindingCode(
        "vanishing_gradients",
        "Vanishing gradients",
        "Gradient norms in early layers are orders of magnitude below the last layer's.",
        "Pascanu et al. 2013; first/last-layer ratio < 1e-3 (heuristic, configurable).",
    ),
    FindingCode(
        "exploding_gradients",
        "Exploding gradients",
        "Gradient norms spike far above their running median, or become non-finite.",
        "Pascanu et al. 2013; spike > 10x running median (heuristic, configurable).",
    ),
]

_TRAINING = [
    FindingCode(
        "loss_divergence",
        "Loss diverged",
        "The training loss became NaN or infinite; the run cannot continue.",
        "Non-finite loss is exact; see Pascanu et al. 2013 on exploding gradients.",
    ),
]

# Static model analytics (issue #4): add codes here.
_ANALYSIS: list[FindingCode] = [
    FindingCode(
        "nan_or_inf",
        "NaN or Inf weights",
        "A parameter tensor holds non-finite values; every output it touches is corrupt.",
        "Exact check.",
    ),
    FindingCode(
        "poor_init",
        "Poor initialization scale",
        "Weight scale far from Kaiming, Xavier and torch default (untrained layers), or a "
        "signal-propagation gain outside [0.1, 10] / cumulative outside [1e-3, 1e3].",
        "He et al. 2015; Glorot & Bengio 2010; min_s |ln r_s| > ln 3; Poole et al. 2016; "
        "SCIENCE.md sections 1.1-1.2 (heuristic, configurable).",
    ),
    FindingCode(
        "exploding_weights",
        "Exploding weights",
        "A layer's weight scale is an outlier far above the other layers'.",
        "Modified z of log RMS > 3.5 (Iglewicz & Hoaglin 1993) and >= 1 decade above the median "
        "(heuristic, configurable).",
    ),
    FindingCode(
        "vanishing_weights",
        "Vanishing weights",
        "A layer's weight scale is an outlier far below the other layers'.",
        "Modified z of log RMS > 3.5 (Iglewicz & Hoaglin 1993) and >= 1 decade below the median "
        "(heuristic, configurable).",
    ),
    FindingCode(
        "weight_anomaly",
        "Weight anomaly",
        "Robust outliers (0.6745 (w - median)/MAD > 6) or duplicated rows (cosine > 0.999).",
        "Iglewicz & Hoaglin 1993; SCIENCE.md section 1.1 (heuristic).",
    ),
    FindingCode(
        "redundant_layers",
        "Redundant layers",
        "Two layers hold the same weights (cosine > 0.999), or their representations have "
        "debiased CKA > 0.95 and above a random-init baseline on the probe data.",
        "Kornblith et al. 2019; Nguyen, Raghu & Kornblith 2021; SCIENCE.md section 2.",
    ),
    FindingCode(
        "bottleneck",
        "Structural bottleneck",
        "A hidden width at most half of both neighbouring widths: information must pass a "
        "narrow layer (by design in autoencoders).",
        "SCIENCE.md section 2 (structural rule, heuristic).",
    ),
    FindingCode(
        "low_rank",
        "Low-rank layer",
        "Numerical rank (sigma_i > 1e-3 sigma_max) below half of min(m, n): most of the layer's "
        "capacity is unused.",
        "SCIENCE.md section 1.1 (stable/numerical rank; heuristic, configurable).",
    ),
    FindingCode(
        "overparameterized",
        "Over-parameterized layer",
        "90% of the layer's spectral energy lies in <= 10% of its rank: a low-rank "
        "factorization would keep it almost unchanged.",
        "Eckart-Young; SVD energy rule (heuristic).",
    ),
    FindingCode(
        "saturation_risk",
        "Saturating units",
        "tanh/sigmoid units saturated (|tanh| > 0.99, sigmoid within 0.01 of 0/1) on > 90% of "
        "the probe samples: their gradients vanish.",
        "Glorot & Bengio 2010; 0.9 cut-off heuristic (SCIENCE.md section 1.2).",
    ),
]

# Live diagnostics of watched runs (issue #5): add codes here.
_WATCH: list[FindingCode] = [
    FindingCode(
        "loss_oscillation",
        "Loss oscillates",
        "The step-to-step change of log loss is large and the loss is not improving.",
        "Instability = std of delta log L over a window (SCIENCE.md 1.3); threshold heuristic.",
    ),
    FindingCode(
        "plateau",
        "Loss plateau",
        "The loss changed by less than a relative 1e-3 over the last window of steps.",
        "|delta L|/L < 1e-3 over the last W steps (SCIENCE.md 1.3); heuristic, configurable.",
    ),
    FindingCode(
        "saturation",
        "Saturated units",
        "tanh/sigmoid units sit in their flat tails (|tanh| > 0.99) for > 90% of samples.",
        "Glorot & Bengio 2010; the 0.9 cut-off is heuristic (SCIENCE.md 1.2).",
    ),
    FindingCode(
        "update_ratio_high",
        "Updates too large",
        "The update-to-weight ratio ||dW||/||W|| of a layer is above 1e-2 per step.",
        "Karpathy, CS231n notes: want ~1e-3; flag log10 u > -2 (heuristic).",
    ),
    FindingCode(
        "update_ratio_low",
        "Updates stalled",
        "The update-to-weight ratio ||dW||/||W|| of a layer is below 1e-4 per step.",
        "Karpathy, CS231n notes: want ~1e-3; flag log10 u < -4 (heuristic).",
    ),
    FindingCode(
        "overfitting",
        "Overfitting",
        "Validation loss rises while training loss falls (generalisation loss and UP "
        "criterion), or training accuracy exceeds validation accuracy by a wide margin.",
        "Prechelt 1998: GL > 5 and UP_3 with strips of 5 epochs; train-val accuracy gap > 0.15 "
        "with a 95% binomial interval above 0 (heuristic).",
    ),
    FindingCode(
        "overconfidence",
        "Over-confident predictions",
        "Confidence exceeds accuracy, beyond what sampling noise explains.",
        "ECE with 15 bins (Guo et al. 2017), consistency-resampling p < 0.01 (Broecker & Smith "
        "2007; Vaicenavicius et al. 2019), sign of sum (conf - acc).",
    ),
    FindingCode(
        "underconfidence",
        "Under-confident predictions",
        "Accuracy exceeds confidence, beyond what sampling noise explains.",
        "ECE with 15 bins (Guo et al. 2017), consistency-resampling p < 0.01 (Broecker & Smith "
        "2007; Vaicenavicius et al. 2019), sign of sum (conf - acc).",
    ),
    FindingCode(
        "inconsistent_splits",
        "Inconsistent evaluation splits",
        "Accuracy differs between evaluation splits more than chance allows.",
        "Chi-squared test of homogeneity on the k x 2 (correct, wrong) table, p < 0.01 "
        "(SCIENCE.md 1.3).",
    ),
    FindingCode(
        "loss_decreasing",
        "Good sign: loss decreasing steadily",
        "The smoothed training loss fell over the last windows without oscillating.",
        "Window means of the loss and instability std(delta log L) (SCIENCE.md 1.3).",
    ),
    FindingCode(
        "gradients_shrinking",
        "Good sign: gradients shrinking as it converges",
        "Gradient norms fall while the loss falls, as expected near a minimum.",
        "Gradient norm per layer (SCIENCE.md 1.3; Pascanu et al. 2013).",
    ),
    FindingCode(
        "confidence_rising",
        "Good sign: confidence rising on correct predictions",
        "Mean confidence on correct predictions rose and separates them from wrong ones.",
        "Max softmax probability and its AUROC (Hendrycks & Gimpel 2017).",
    ),
    FindingCode(
        "learning_rate_change",
        "Opportunity: change the learning rate",
        "Update ratios, oscillation or a plateau suggest a different learning rate.",
        "Karpathy, CS231n notes (update ratio ~1e-3); Smith 2017 (LR range test).",
    ),
    FindingCode(
        "width_change",
        "Opportunity: change the width",
        "Many units of a layer are dead or saturated, so the layer uses fewer units than it has.",
        "Dead/saturated unit fractions (SCIENCE.md 1.2); heuristic.",
    ),
    FindingCode(
        "initialization_change",
        "Opportunity: change the initialization",
        "Vanishing gradients or dead units early in training point at the weight scale.",
        "He et al. 2015; Glorot & Bengio 2010 (SCIENCE.md 1.1, finding 6).",
    ),
]

# Module decomposition (issue #7): add codes here.
_DECOMPOSITION: list[FindingCode] = [
    FindingCode(
        "dead_module",
        "Dead module",
        "Units of a decomposed layer are constant on the probe data: they form no module and "
        "take no part in the function.",
        "Zero variance on the probe set (exact); Lu et al. 2019; SCIENCE.md section 4.1.",
    ),
    FindingCode(
        "redundant_module",
        "Redundant module",
        "Mean-ablating the module raises the loss less than random unit sets of its size do.",
        "Necessity percentile < 5 against random same-size sets (heuristic, configurable); "
        "Hod et al. 2022 (arXiv 2110.08058); SCIENCE.md section 4.3.",
    ),
    FindingCode(
        "dominant_module",
        "Dominant module",
        "One module carries most of the layer's ablation loss and removing it takes a task to "
        "chance: a single point of failure.",
        "Share >= 0.8 of the layer's mean-ablation loss increase (heuristic, configurable); "
        "Meyes et al. 2019.",
    ),
    FindingCode(
        "unstable_decomposition",
        "Unstable decomposition",
        "The modules of a layer do not persist across snapshots late in training.",
        "Late Hungarian-matched Jaccard < 0.5 (heuristic); SCIENCE.md section 4.2.",
    ),
    FindingCode(
        "uninformative_module",
        "Uninformative module",
        "A linear probe on the module's activations decodes no task above chance.",
        "Held-out logistic probe within 0.02 of the majority-class rate (heuristic); "
        "Alain & Bengio 2016.",
    ),
]

FINDING_CODES: dict[str, FindingCode] = {
    c.code: c for c in [*_SHARED, *_TRAINING, *_ANALYSIS, *_WATCH, *_DECOMPOSITION]
}


def make_finding(
    code: str,
    severity: Severity,
    message: str,
    recommendation: str,
    *,
    layer: str | None = None,
    evidence: dict[str, EvidenceValue] | None = None,
) -> Finding:
    """Build a Finding, refusing codes that are not registered."""
    if code not in FINDING_CODES:
        raise KeyError(f"unregistered finding code {code!r}; add it to FINDING_CODES")
    return Finding(
        code=code,
        severity=severity,
        layer=layer,
        evidence=evidence or {},
        message=message,
        recommendation=recommendation,
    )
