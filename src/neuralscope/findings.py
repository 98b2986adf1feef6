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
    action: str = ""  # what to do about it, in a sentence or two (the docs page shows it)


# One list per job; each code is registered exactly once (a test checks it). Codes shared by
# several jobs (static analysis and live watching both find dead units) live in _SHARED.
_SHARED = [
    FindingCode(
        "dead_units",
        "Dead units",
        "Units whose output is never positive on the probe data (ReLU: they get no gradient "
        "and stop learning); static analysis can certify some from weights alone.",
        "Lu et al. 2019 (arXiv 1903.06733); interval certificate: SCIENCE.md section 1.1.",
        action=(
            "Lower the learning rate, use a leaky activation (LeakyReLU, GELU) or a small "
            "positive bias at init, and check the input scaling; if the layer stays mostly "
            "dead, make it narrower."
        ),
    ),
    FindingCode(
        "vanishing_gradients",
        "Vanishing gradients",
        "Gradient norms in early layers are orders of magnitude below the last layer's.",
        "Pascanu et al. 2013; first/last-layer ratio < 1e-3 (heuristic, configurable).",
        action=(
            "Use ReLU-family activations with Kaiming initialization, add normalization "
            "(BatchNorm/LayerNorm) or residual connections, and shorten the network if it is "
            "deep for its data."
        ),
    ),
    FindingCode(
        "exploding_gradients",
        "Exploding gradients",
        "Gradient norms spike far above their running median, or become non-finite.",
        "Pascanu et al. 2013; spike > 10x running median (heuristic, configurable).",
        action=(
            "Lower the learning rate, clip gradients by norm (e.g. "
            "torch.nn.utils.clip_grad_norm_ at 1.0), and check for unnormalized inputs or a "
            "missing normalization layer."
        ),
    ),
]

_TRAINING = [
    FindingCode(
        "loss_divergence",
        "Loss diverged",
        "The training loss became NaN or infinite; the run cannot continue.",
        "Non-finite loss is exact; see Pascanu et al. 2013 on exploding gradients.",
        action=(
            "Restart from the last good checkpoint with a learning rate 3-10x lower, gradient "
            "clipping, and inputs checked for NaN or extreme values."
        ),
    ),
]

# Static model analytics (issue #4): add codes here.
_ANALYSIS: list[FindingCode] = [
    FindingCode(
        "nan_or_inf",
        "NaN or Inf weights",
        "A parameter tensor holds non-finite values; every output it touches is corrupt.",
        "Exact check.",
        action=(
            "Do not use this model: retrain or reload a checkpoint from before the values "
            "went non-finite, and find the step where they appeared (lower learning rate, "
            "clip gradients)."
        ),
    ),
    FindingCode(
        "poor_init",
        "Poor initialization scale",
        "Weight scale far from Kaiming, Xavier and torch default (untrained layers), or a "
        "signal-propagation gain outside [0.1, 10] / cumulative outside [1e-3, 1e3].",
        "He et al. 2015; Glorot & Bengio 2010; min_s |ln r_s| > ln 3; Poole et al. 2016; "
        "SCIENCE.md sections 1.1-1.2 (heuristic, configurable).",
        action=(
            "Initialize with the scheme that matches the activation: Kaiming (He) for "
            "ReLU-family, Xavier (Glorot) for tanh/sigmoid."
        ),
    ),
    FindingCode(
        "exploding_weights",
        "Exploding weights",
        "A layer's weight scale is an outlier far above the other layers'.",
        "Modified z of log RMS > 3.5 (Iglewicz & Hoaglin 1993) and >= 1 decade above the median "
        "(heuristic, configurable).",
        action=(
            "Add weight decay or a norm constraint, lower the learning rate, and check "
            "whether this layer's inputs are unnormalized."
        ),
    ),
    FindingCode(
        "vanishing_weights",
        "Vanishing weights",
        "A layer's weight scale is an outlier far below the other layers'.",
        "Modified z of log RMS > 3.5 (Iglewicz & Hoaglin 1993) and >= 1 decade below the median "
        "(heuristic, configurable).",
        action=(
            "Check the initialization of this layer and whether strong weight decay or L1 "
            "drove it to zero; a layer this small passes almost no signal."
        ),
    ),
    FindingCode(
        "weight_anomaly",
        "Weight anomaly",
        "Robust outliers (0.6745 (w - median)/MAD > 6) or duplicated rows (cosine > 0.999).",
        "Iglewicz & Hoaglin 1993; SCIENCE.md section 1.1 (heuristic).",
        action=(
            "Inspect the flagged rows: duplicated rows waste capacity (re-initialize one "
            "copy), extreme outliers often come from an unstable step (clip gradients)."
        ),
    ),
    FindingCode(
        "redundant_layers",
        "Redundant layers",
        "Two layers hold the same weights (cosine > 0.999), or their representations have "
        "debiased CKA > 0.95 and above a random-init baseline on the probe data.",
        "Kornblith et al. 2019; Nguyen, Raghu & Kornblith 2021; SCIENCE.md section 2.",
        action=(
            "Remove one of the two layers or replace it by a skip connection, then fine-tune; "
            "compare the accuracy before and after."
        ),
    ),
    FindingCode(
        "bottleneck",
        "Structural bottleneck",
        "A hidden width at most half of both neighbouring widths: information must pass a "
        "narrow layer (by design in autoencoders).",
        "SCIENCE.md section 2 (structural rule, heuristic).",
        action=(
            "If the narrow layer is not an intended bottleneck (autoencoder, 1x1 reduction), "
            "widen it to at least its neighbours' width and compare validation accuracy."
        ),
    ),
    FindingCode(
        "low_rank",
        "Low-rank layer",
        "Numerical rank (sigma_i > 1e-3 sigma_max) below half of min(m, n): most of the layer's "
        "capacity is unused.",
        "SCIENCE.md section 1.1 (stable/numerical rank; heuristic, configurable).",
        action=(
            "Shrink the layer to about its numerical rank, or factor it into two thin layers; "
            "check accuracy after the change."
        ),
    ),
    FindingCode(
        "overparameterized",
        "Over-parameterized layer",
        "90% of the layer's spectral energy lies in <= 10% of its rank: a low-rank "
        "factorization would keep it almost unchanged.",
        "Eckart-Young; SVD energy rule (heuristic).",
        action=(
            "Replace the layer by a low-rank factorization (two layers of the rank that keeps "
            "90% of the energy) to cut parameters and FLOPs with little loss."
        ),
    ),
    FindingCode(
        "saturation_risk",
        "Saturating units",
        "tanh/sigmoid units saturated (|tanh| > 0.99, sigmoid within 0.01 of 0/1) on > 90% of "
        "the probe samples: their gradients vanish.",
        "Glorot & Bengio 2010; 0.9 cut-off heuristic (SCIENCE.md section 1.2).",
        action=(
            "Normalize the layer's inputs, lower the initial weight scale (Xavier for "
            "tanh/sigmoid), or switch to a non-saturating activation."
        ),
    ),
]

# Live diagnostics of watched runs (issue #5): add codes here.
_WATCH: list[FindingCode] = [
    FindingCode(
        "loss_oscillation",
        "Loss oscillates",
        "The step-to-step change of log loss is large and the loss is not improving.",
        "Instability = std of delta log L over a window (SCIENCE.md 1.3); threshold heuristic.",
        action=(
            "Lower the learning rate (by 3-10x) or increase the batch size; with momentum or "
            "Adam, also try a learning-rate warm-up."
        ),
    ),
    FindingCode(
        "plateau",
        "Loss plateau",
        "The loss changed by less than a relative 1e-3 over the last window of steps.",
        "|delta L|/L < 1e-3 over the last W steps (SCIENCE.md 1.3); heuristic, configurable.",
        action=(
            "Try a larger learning rate or a schedule with restarts, check that gradients are "
            "not vanishing, and if validation has also stopped improving, stop training."
        ),
    ),
    FindingCode(
        "saturation",
        "Saturated units",
        "tanh/sigmoid units sit in their flat tails (|tanh| > 0.99) for > 90% of samples.",
        "Glorot & Bengio 2010; the 0.9 cut-off is heuristic (SCIENCE.md 1.2).",
        action=(
            "Normalize inputs, lower the learning rate or the initial weight scale, or use a "
            "non-saturating activation (ReLU family)."
        ),
    ),
    FindingCode(
        "update_ratio_high",
        "Updates too large",
        "The update-to-weight ratio ||dW||/||W|| of a layer is above 1e-2 per step.",
        "Karpathy, CS231n notes: want ~1e-3; flag log10 u > -2 (heuristic).",
        action="Lower the learning rate until updates are about 1e-3 of the weights per step.",
    ),
    FindingCode(
        "update_ratio_low",
        "Updates stalled",
        "The update-to-weight ratio ||dW||/||W|| of a layer is below 1e-4 per step.",
        "Karpathy, CS231n notes: want ~1e-3; flag log10 u < -4 (heuristic).",
        action=(
            "Raise the learning rate, or check that this layer receives gradient (frozen "
            "parameters, vanishing gradients)."
        ),
    ),
    FindingCode(
        "overfitting",
        "Overfitting",
        "Validation loss rises while training loss falls (generalisation loss and UP "
        "criterion), or training accuracy exceeds validation accuracy by a wide margin.",
        "Prechelt 1998: GL > 5 and UP_3 with strips of 5 epochs; train-val accuracy gap > 0.15 "
        "with a 95% binomial interval above 0 (heuristic).",
        action=(
            "Stop at the best validation epoch, add regularization (weight decay, dropout, "
            "data augmentation), collect more data, or use a smaller model."
        ),
    ),
    FindingCode(
        "overconfidence",
        "Over-confident predictions",
        "Confidence exceeds accuracy, beyond what sampling noise explains.",
        "ECE with 15 bins (Guo et al. 2017), consistency-resampling p < 0.01 (Broecker & Smith "
        "2007; Vaicenavicius et al. 2019), sign of sum (conf - acc).",
        action=(
            "Calibrate on held-out data with temperature scaling, or train with label "
            "smoothing; do not read the raw probabilities as risks."
        ),
    ),
    FindingCode(
        "underconfidence",
        "Under-confident predictions",
        "Accuracy exceeds confidence, beyond what sampling noise explains.",
        "ECE with 15 bins (Guo et al. 2017), consistency-resampling p < 0.01 (Broecker & Smith "
        "2007; Vaicenavicius et al. 2019), sign of sum (conf - acc).",
        action=(
            "Calibrate with temperature scaling on held-out data; strong label smoothing or "
            "heavy dropout at test time can cause this."
        ),
    ),
    FindingCode(
        "inconsistent_splits",
        "Inconsistent evaluation splits",
        "Accuracy differs between evaluation splits more than chance allows.",
        "Chi-squared test of homogeneity on the k x 2 (correct, wrong) table, p < 0.01 "
        "(SCIENCE.md 1.3).",
        action=(
            "Check the splits for distribution shift or leakage, and stratify them; report "
            "accuracy per split rather than a single number."
        ),
    ),
    FindingCode(
        "loss_decreasing",
        "Good sign: loss decreasing steadily",
        "The smoothed training loss fell over the last windows without oscillating.",
        "Window means of the loss and instability std(delta log L) (SCIENCE.md 1.3).",
        action="Nothing to fix: training is progressing steadily.",
    ),
    FindingCode(
        "gradients_shrinking",
        "Good sign: gradients shrinking as it converges",
        "Gradient norms fall while the loss falls, as expected near a minimum.",
        "Gradient norm per layer (SCIENCE.md 1.3; Pascanu et al. 2013).",
        action=(
            "Nothing to fix: the model is converging; watch validation metrics to decide when "
            "to stop."
        ),
    ),
    FindingCode(
        "confidence_rising",
        "Good sign: confidence rising on correct predictions",
        "Mean confidence on correct predictions rose and separates them from wrong ones.",
        "Max softmax probability and its AUROC (Hendrycks & Gimpel 2017).",
        action="Nothing to fix: the model grows more confident where it is right.",
    ),
    FindingCode(
        "learning_rate_change",
        "Opportunity: change the learning rate",
        "Update ratios, oscillation or a plateau suggest a different learning rate.",
        "Karpathy, CS231n notes (update ratio ~1e-3); Smith 2017 (LR range test).",
        action=(
            "Apply the suggested learning-rate direction (the finding's evidence says which) "
            "and compare the next window of training."
        ),
    ),
    FindingCode(
        "width_change",
        "Opportunity: change the width",
        "Many units of a layer are dead or saturated, so the layer uses fewer units than it has.",
        "Dead/saturated unit fractions (SCIENCE.md 1.2); heuristic.",
        action=(
            "Make the layer narrower to about the number of live units, or fix the cause of "
            "dead/saturated units first and keep the width."
        ),
    ),
    FindingCode(
        "initialization_change",
        "Opportunity: change the initialization",
        "Vanishing gradients or dead units early in training point at the weight scale.",
        "He et al. 2015; Glorot & Bengio 2010 (SCIENCE.md 1.1, finding 6).",
        action=(
            "Re-initialize with Kaiming (ReLU family) or Xavier (tanh/sigmoid) scaling and "
            "restart training."
        ),
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
        action=(
            "Prune the constant units (the what-if preview shows the effect) or re-initialize "
            "them; if many, lower the learning rate."
        ),
    ),
    FindingCode(
        "redundant_module",
        "Redundant module",
        "Mean-ablating the module raises the loss less than random unit sets of its size do.",
        "Necessity percentile < 5 against random same-size sets (heuristic, configurable); "
        "Hod et al. 2022 (arXiv 2110.08058); SCIENCE.md section 4.3.",
        action=(
            "Prune the module or re-initialize it; the what-if preview on a copy shows the "
            "change in accuracy first."
        ),
    ),
    FindingCode(
        "dominant_module",
        "Dominant module",
        "One module carries most of the layer's ablation loss and removing it takes a task to "
        "chance: a single point of failure.",
        "Share >= 0.8 of the layer's mean-ablation loss increase (heuristic, configurable); "
        "Meyes et al. 2019.",
        action=(
            "Add dropout or more training data for the classes it serves, so that the "
            "function does not rest on one group of units."
        ),
    ),
    FindingCode(
        "unstable_decomposition",
        "Unstable decomposition",
        "The modules of a layer do not persist across snapshots late in training.",
        "Late Hungarian-matched Jaccard < 0.5 (heuristic); SCIENCE.md section 4.2.",
        action=(
            "Do not interpret individual modules yet: train longer or lower the learning "
            "rate, and decompose again."
        ),
    ),
    FindingCode(
        "uninformative_module",
        "Uninformative module",
        "A linear probe on the module's activations decodes no task above chance.",
        "Held-out logistic probe within 0.02 of the majority-class rate (heuristic); "
        "Alain & Bengio 2016.",
        action="Prune or re-initialize it: it carries no decodable information about any task.",
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
