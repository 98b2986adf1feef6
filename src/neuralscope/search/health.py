"""The balanced ("health") objective: six metrics in [0, 1] and their weighted score.

Every formula, threshold and source is here once (SCIENCE.md cites the methods; thresholds
marked heuristic are defaults, not verdicts):

* **utilization** U = mean over hidden layers of the share of *live* units on a validation
  probe (<= 1,000 samples). A unit is dead when (ReLU family) its output is never positive,
  ``max_n a_n <= 0`` (SCIENCE.md 1.2; Lu et al. 2019); (tanh) ``|a| > 0.99`` on more than 90% of
  samples, (sigmoid) within 0.01 of 0 or 1 on more than 90% (Glorot & Bengio 2010; heuristic
  cut-offs); (GELU/ELU) pre-activation < -4 on more than 99%; or, for any kind, constant
  (std 0). The per-layer live share is also ``ArchitectureLayer.health``.
* **param_efficiency** E = 1 when the parameter count P is at most B = n_train x n_classes, the
  interpolation threshold of double descent (Belkin, Hsu, Ma & Mandal, PNAS 2019), then falls
  linearly in log10(P / B) to 0 at 1,000 B. A model 100x past the threshold scores 1/3.
* **stability** S = exp(-sigma_up / 0.1), sigma_up = sqrt(mean(max(0, d)^2)) over the changes
  d of log training loss between consecutive windows of 10 steps: the upward semi-deviation of
  SCIENCE.md 1.3's "instability = std of delta log L", so a fast healthy descent does not count
  as unstable while rises do (cf. Prechelt's UP criterion). Mini-batch noise alone gives
  sigma_up ~ r / sqrt(10) (r = mean relative std within a window; the semi-deviation of a
  difference of two window means), which is subtracted first. 0 when the loss went
  non-finite. The 0.1 scale is heuristic.
* **gradient_health** G = share of sampled steps (every 5th) whose gradient is finite and
  non-zero, not a spike (total norm <= 10x the median of the earlier samples; Pascanu et al.
  2013) and not vanishing (first/last layer norm ratio >= 1e-3; SCIENCE.md 1.3, heuristic).
* **convergence** C = progress x (1 - overfit): progress = clip(1 - L_end / ln K, 0, 1), the
  final training loss (mean of the last 10 steps) against the loss of an uninformed K-class
  predictor; overfit = clip((GL - 5) / 95, 0, 1) with Prechelt's generalization loss
  GL = 100 (E_va(last) / min_t E_va(t) - 1) (Prechelt 1998; GL > 5 flags over-fitting).
* **consistency** Q from the chi-square test of homogeneity of (correct, wrong) counts over
  k = 5 contiguous splits of the validation set in its stored order (SCIENCE.md 1.3): Q = 1
  for p >= 0.01, falling linearly in log10 p to 0 at p = 1e-6. Under iid splits the false
  alarm rate at p < 0.01 is ~1% (measured 0.85% in SCIENCE.md).

score = 100 x g x sum_i w_i m_i / sum_i w_i over the six metrics and m_accuracy = validation
accuracy, with the user's :class:`HealthWeights`. The skill gate g = clip(kappa / 0.1, 0, 1),
kappa = (acc - 1/K) / (1 - 1/K) the accuracy's skill over guessing among K classes (Cohen's
kappa against a uniform guesser), keeps a model that learned nothing from scoring well on
metrics that are vacuous for it (no dead units, a flat loss, steady gradients: a chance-level
model scored 66 without it). The 0.1 cut-off is heuristic; the gate is 1 for every model at
least a tenth of the way from chance to perfect accuracy. A majority-class predictor on an
unbalanced set can pass it (its accuracy is above 1/K); its convergence metric stays low.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import torch
from scipy.stats import chi2_contingency
from torch import nn

from neuralscope.search.contract import HealthComponents, HealthWeights
from neuralscope.search.fit import FitTrace, GradSample
from neuralscope.search.models import UnitLayer

SPIKE_FACTOR = 10.0
VANISHING_RATIO = 1e-3
STABILITY_SCALE = 0.1
LOSS_WINDOW = 10
SPLITS = 5
GL_FLAG = 5.0
SKILL_GATE = 0.1


def _clip(x: float) -> float:
    return float(min(1.0, max(0.0, x))) if math.isfinite(x) else 0.0


def _dead(kind: str, out: torch.Tensor, pre: torch.Tensor) -> torch.Tensor:
    """Per-unit dead flags for (samples, units) outputs (see the module docstring)."""
    constant = out.std(0) == 0 if len(out) > 1 else torch.zeros(out.shape[1], dtype=torch.bool)
    if kind == "relu":
        return (out.amax(0) <= 0) | constant
    if kind == "tanh":
        return ((out.abs() > 0.99).float().mean(0) > 0.9) | constant
    if kind == "sigmoid":
        return (((out < 0.01) | (out > 0.99)).float().mean(0) > 0.9) | constant
    return ((pre < -4).float().mean(0) > 0.99) | constant


def _units(a: torch.Tensor, lstm: bool) -> torch.Tensor:
    if lstm:  # (N, L, H): units on the last axis
        return a.reshape(-1, a.shape[-1])
    return a.movedim(1, -1).reshape(-1, a.shape[1]) if a.ndim > 2 else a


@torch.no_grad()
def live_shares(model: nn.Module, layers: Sequence[UnitLayer], probe: torch.Tensor) -> list[float]:
    """Share of live units per layer on ``probe`` (hooks attached for one pass, then removed)."""
    modules = dict(model.named_modules())
    captured: dict[str, float] = {}
    handles = []

    def hook_for(layer: UnitLayer):  # type: ignore[no-untyped-def]
        def hook(_m: nn.Module, inputs: tuple[object, ...], output: object) -> None:
            out = output[0] if isinstance(output, tuple) else output
            assert isinstance(out, torch.Tensor)
            pre = inputs[0] if inputs and isinstance(inputs[0], torch.Tensor) else out
            lstm = layer.probe == "lstm"
            o = _units(out.detach().float(), lstm)
            p = _units(pre.detach().float(), lstm) if pre.shape == out.shape else o
            captured[layer.layer] = 1.0 - float(_dead(layer.kind, o, p).float().mean())

        return hook

    try:
        for layer in layers:
            handles.append(modules[layer.probe].register_forward_hook(hook_for(layer)))
        was = model.training
        model.eval()
        model(probe)
        model.train(was)
    finally:
        for handle in handles:
            handle.remove()
    return [captured.get(layer.layer, 0.0) for layer in layers]


def utilization(shares: Sequence[float]) -> float:
    return _clip(float(np.mean(shares))) if shares else 1.0


def param_efficiency(params: int, n_train: int, n_classes: int) -> float:
    budget = max(1, n_train * max(2, n_classes))
    if params <= budget:
        return 1.0
    return _clip(1.0 - math.log10(params / budget) / 3.0)


def _windows(losses: Sequence[float]) -> np.ndarray:
    """(k, LOSS_WINDOW) consecutive windows of the step losses."""
    values = np.asarray(losses, dtype=np.float64)
    k = len(values) // LOSS_WINDOW
    return values[: k * LOSS_WINDOW].reshape(k, LOSS_WINDOW)


def stability(trace: FitTrace) -> float:
    if trace.diverged or not trace.step_losses:
        return 0.0
    windows = np.maximum(_windows(trace.step_losses), 1e-12)
    if len(windows) < 3:
        return 1.0
    means = windows.mean(1)
    deltas = np.diff(np.log(means))
    upward = float(np.sqrt(np.mean(np.maximum(deltas, 0.0) ** 2)))
    noise = float(np.mean(windows.std(1, ddof=1) / means)) / math.sqrt(LOSS_WINDOW)
    return _clip(math.exp(-max(0.0, upward - noise) / STABILITY_SCALE))


def healthy_grad_flags(grads: Sequence[GradSample]) -> list[bool]:
    """Per sampled step: finite, non-zero, no spike, no vanishing (see the module docstring)."""
    flags: list[bool] = []
    totals: list[float] = []
    for g in grads:
        ok = all(math.isfinite(v) for v in (g.first, g.last, g.total)) and g.total > 0
        if ok and totals:
            ok = g.total <= SPIKE_FACTOR * float(np.median(totals))
        if ok and g.last > 0:
            ok = g.first / g.last >= VANISHING_RATIO
        flags.append(ok)
        if math.isfinite(g.total):
            totals.append(g.total)
    return flags


def gradient_health(trace: FitTrace) -> float:
    flags = healthy_grad_flags(trace.grads)
    return float(np.mean(flags)) if flags else 0.0


def generalization_loss(val_losses: Sequence[float]) -> float:
    """Prechelt's GL at the last epoch (percent)."""
    finite = [v for v in val_losses if math.isfinite(v)]
    if not finite or not math.isfinite(val_losses[-1]):
        return math.inf
    return 100.0 * (val_losses[-1] / max(min(finite), 1e-12) - 1.0)


def convergence(trace: FitTrace, n_classes: int) -> float:
    if trace.diverged or not trace.step_losses:
        return 0.0
    end = float(np.mean(trace.step_losses[-LOSS_WINDOW:]))
    progress = _clip(1.0 - end / math.log(max(2, n_classes)))
    gl = generalization_loss([e.val_loss for e in trace.epochs])
    return progress * (1.0 - _clip((gl - GL_FLAG) / 95.0))


def split_p_value(correct: np.ndarray, splits: int = SPLITS) -> float:
    """p of the chi-square homogeneity test over ``splits`` contiguous splits."""
    parts = [p for p in np.array_split(np.asarray(correct, dtype=bool), splits) if len(p)]
    table = np.array([[p.sum(), len(p) - p.sum()] for p in parts], dtype=np.float64)
    if len(parts) < 2 or (table == 0).all(0).any():
        return 1.0  # every split all right (or all wrong): perfectly consistent
    return float(chi2_contingency(table, correction=False).pvalue)


def consistency(correct: np.ndarray) -> float:
    p = split_p_value(correct)
    if p >= 0.01:
        return 1.0
    return _clip((math.log10(max(p, 1e-300)) + 6.0) / 4.0)


@dataclass(frozen=True)
class HealthInputs:
    """What the six metrics are computed from."""

    trace: FitTrace
    live: list[float]
    val_correct: np.ndarray
    params: int
    n_train: int
    n_classes: int


def components(x: HealthInputs) -> HealthComponents:
    return HealthComponents(
        utilization=utilization(x.live),
        param_efficiency=param_efficiency(x.params, x.n_train, x.n_classes),
        stability=stability(x.trace),
        gradient_health=gradient_health(x.trace),
        convergence=convergence(x.trace, x.n_classes),
        consistency=consistency(x.val_correct),
    )


def skill_gate(val_accuracy: float, n_classes: int) -> float:
    """g in [0, 1]: 0 at chance accuracy 1/K, 1 from a tenth of the way to perfect."""
    chance = 1.0 / max(n_classes, 2)
    kappa = (val_accuracy - chance) / (1.0 - chance) if math.isfinite(val_accuracy) else 0.0
    return _clip(kappa / SKILL_GATE)


def score(
    val_accuracy: float, parts: HealthComponents, weights: HealthWeights, n_classes: int
) -> float:
    """The weighted health score, 0-100, times the skill gate (module docstring)."""
    w = weights.model_dump()
    m = {"accuracy": _clip(val_accuracy), **parts.model_dump()}
    mean = sum(w[k] * m[k] for k in w) / sum(w.values())
    return float(100.0 * skill_gate(val_accuracy, n_classes) * mean)
