"""Live findings from the signals a watched run records: pure objects, no I/O.

``LiveRules`` is fed the recorded signals (loss per step, per-layer gradient norms, update
ratios, activation captures, per-epoch losses and accuracies, calibration) and returns the
findings that became true, each raised once per (code, layer). Rules and sources:

* ``loss_divergence``: non-finite loss (exact).
* ``plateau``: |delta L|/L < 1e-3 between consecutive windows; ``loss_oscillation``: std of
  delta log L over a window above a heuristic cut while not improving (SCIENCE.md 1.3).
* ``vanishing_gradients``: first/last-layer norm ratio < 1e-3 for > 100 steps;
  ``exploding_gradients``: > 10x the running median or non-finite (Pascanu et al. 2013).
* ``update_ratio_low``/``_high``: median log10 ||dW||/||W|| < -4 or > -2 (Karpathy).
* ``dead_units`` / ``saturation``: SCIENCE.md 1.2 on >= 1000 pooled samples.
* Epoch, calibration and split rules live in ``monitor.rules_epoch``.
"""

from __future__ import annotations

import itertools
import math
from collections import deque
from collections.abc import Mapping, Sequence
from statistics import median

from neuralscope.events import CalibrationPayload
from neuralscope.findings import EvidenceValue, Finding, Severity, make_finding
from neuralscope.monitor.hooks import LayerCapture
from neuralscope.monitor.rules_config import RuleConfig
from neuralscope.monitor.rules_epoch import EpochRules, EpochSummary


class _Once:
    """Emits each (code, layer) finding once."""

    def __init__(self) -> None:
        self.raised: set[tuple[str, str | None]] = set()
        self.out: list[Finding] = []

    def emit(
        self,
        code: str,
        severity: Severity,
        message: str,
        recommendation: str,
        evidence: dict[str, EvidenceValue],
        layer: str | None = None,
    ) -> None:
        if (code, layer) in self.raised:
            return
        self.raised.add((code, layer))
        self.out.append(
            make_finding(code, severity, message, recommendation, layer=layer, evidence=evidence)
        )

    def take(self) -> list[Finding]:
        out, self.out = self.out, []
        return out


class LiveRules:
    """All live rules; every ``observe_*`` returns the findings newly raised."""

    def __init__(self, config: RuleConfig | None = None) -> None:
        self.config = config or RuleConfig()
        self._once = _Once()
        self.epochs = EpochRules(self.config, self._once.emit)
        self._losses: deque[float] = deque(maxlen=2 * self.config.loss_window)
        self._since_check = 0
        self._decreasing = False
        self._grad_hist: dict[str, deque[float]] = {}
        self._total_grad: list[float] = []
        self._vanishing_since: int | None = None
        self._updates: dict[str, deque[float]] = {}
        self._pool: dict[str, tuple[list[float], int, int, int]] = {}

    @property
    def findings_so_far(self) -> set[tuple[str, str | None]]:
        return set(self._once.raised)

    def observe_loss(self, step: int, loss: float) -> list[Finding]:
        c = self.config
        if not math.isfinite(loss):
            self._once.emit(
                "loss_divergence",
                Severity.CRITICAL,
                f"The training loss became {loss} at step {step}.",
                "Lower the learning rate, clip gradients, or check the data for NaN/Inf.",
                {"step": step, "loss": str(loss)},
            )
            return self._once.take()
        self._losses.append(loss)
        self._since_check += 1
        if len(self._losses) == 2 * c.loss_window and self._since_check >= c.loss_window:
            self._since_check = 0
            self._check_windows(step)
        return self._once.take()

    def _check_windows(self, step: int) -> None:
        c = self.config
        values = list(self._losses)
        prev = sum(values[: c.loss_window]) / c.loss_window
        last = sum(values[c.loss_window :]) / c.loss_window
        logs = [math.log(max(v, 1e-12)) for v in values[c.loss_window :]]
        diffs = [b - a for a, b in itertools.pairwise(logs)]
        mean_d = sum(diffs) / len(diffs)
        instability = math.sqrt(sum((d - mean_d) ** 2 for d in diffs) / max(len(diffs) - 1, 1))
        rel = abs(last - prev) / max(abs(prev), 1e-12)
        ev: dict[str, EvidenceValue] = {
            "step": step,
            "window": c.loss_window,
            "previous_mean_loss": prev,
            "last_mean_loss": last,
            "relative_change": rel,
            "instability_std_dlogL": instability,
        }
        if instability > c.oscillation_std and last >= prev:
            self._once.emit(
                "loss_oscillation",
                Severity.WARNING,
                f"The loss oscillates (std of delta log L {instability:.2f} > "
                f"{c.oscillation_std}) and did not improve over the last {c.loss_window} steps.",
                "Lower the learning rate or increase the batch size.",
                {**ev, "threshold": c.oscillation_std},
            )
            self._once.emit(
                "learning_rate_change",
                Severity.INFO,
                "The oscillating loss suggests a smaller learning rate (try 1/3 of it).",
                "Run an LR range test (Smith 2017) and pick ~1/10 of the LR at minimum loss.",
                {**ev, "reason": "loss_oscillation"},
            )
        if rel < c.plateau_rel_change:
            self._once.emit(
                "plateau",
                Severity.INFO,
                f"The loss changed by a relative {rel:.1e} (< {c.plateau_rel_change}) over "
                f"the last {c.loss_window} steps: training has converged or stalled.",
                "If the loss is still high, raise the learning rate or change the schedule; "
                "if it is low, training can stop.",
                {**ev, "threshold": c.plateau_rel_change},
            )
        if last < prev * (1 - c.decrease_fraction) and instability <= c.oscillation_std:
            self._decreasing = True
            self._once.emit(
                "loss_decreasing",
                Severity.INFO,
                f"The loss fell steadily from {prev:.4g} to {last:.4g} (window means).",
                "Nothing to change.",
                {**ev, "threshold": c.decrease_fraction},
            )

    def observe_gradients(
        self, step: int, layer_norms: Sequence[tuple[str, float]]
    ) -> list[Finding]:
        """Gradient norms of the weight parameters, input side first."""
        c = self.config
        for name, norm in layer_norms:
            hist = self._grad_hist.setdefault(name, deque(maxlen=50))
            if not math.isfinite(norm) or (
                len(hist) >= c.exploding_history and norm > c.exploding_factor * median(hist)
            ):
                ref = median(hist) if hist else float("nan")
                self._once.emit(
                    "exploding_gradients",
                    Severity.CRITICAL if not math.isfinite(norm) else Severity.WARNING,
                    f"The gradient norm of {name} jumped to {norm:.3g} at step {step} "
                    f"(running median {ref:.3g}).",
                    "Clip gradients (e.g. norm 1.0) or lower the learning rate.",
                    {"step": step, "norm": norm, "median": ref, "factor": c.exploding_factor},
                    layer=name,
                )
            if math.isfinite(norm):
                hist.append(norm)
        self._check_vanishing(step, layer_norms)
        total = math.sqrt(sum(n * n for _, n in layer_norms if math.isfinite(n)))
        self._total_grad.append(total)
        g = self._total_grad
        if self._decreasing and len(g) >= 20 and median(g[-10:]) < 0.5 * median(g[:10]):
            self._once.emit(
                "gradients_shrinking",
                Severity.INFO,
                "Gradient norms fell to less than half their early level while the loss fell.",
                "Nothing to change.",
                {"early_median": median(g[:10]), "recent_median": median(g[-10:])},
            )
        return self._once.take()

    def _check_vanishing(self, step: int, layer_norms: Sequence[tuple[str, float]]) -> None:
        c = self.config
        if len(layer_norms) < 2:
            return
        first, last = layer_norms[0][1], layer_norms[-1][1]
        ratio = first / last if last > 0 else float("inf")
        if ratio >= c.vanishing_ratio or not math.isfinite(first):
            self._vanishing_since = None
            return
        if self._vanishing_since is None:
            self._vanishing_since = step
        if step - self._vanishing_since > c.vanishing_steps:
            ev: dict[str, EvidenceValue] = {
                "ratio_first_last": ratio,
                "threshold": c.vanishing_ratio,
                "since_step": self._vanishing_since,
                "step": step,
            }
            self._once.emit(
                "vanishing_gradients",
                Severity.WARNING,
                f"The first layer's gradient is {ratio:.1e} of the last layer's "
                f"(< {c.vanishing_ratio}) for {step - self._vanishing_since} steps.",
                "Use Kaiming/Xavier initialization, normalization layers or residual links.",
                ev,
                layer=layer_norms[0][0],
            )
            self._once.emit(
                "initialization_change",
                Severity.INFO,
                "Gradients vanish towards the input: a larger initial weight scale "
                "(Kaiming for ReLU) would keep the signal alive.",
                "Re-initialize with nn.init.kaiming_normal_ (ReLU) or xavier_normal_ (tanh).",
                {**ev, "reason": "vanishing_gradients"},
            )

    def observe_updates(self, step: int, ratios: Sequence[tuple[str, float]]) -> list[Finding]:
        """Update-to-weight ratios ||dW||/||W|| of the weight parameters at a step."""
        c = self.config
        for name, u in ratios:
            hist = self._updates.setdefault(name, deque(maxlen=c.update_window))
            hist.append(math.log10(u) if u > 0 else -12.0)
            if len(hist) < c.update_window:
                continue
            m = median(hist)
            ev: dict[str, EvidenceValue] = {"median_log10_ratio": m, "step": step}
            if m < c.update_low_log10:
                code, word, fix = "update_ratio_low", "stalled", "Raise the learning rate."
            elif m > c.update_high_log10:
                code, word, fix = "update_ratio_high", "too large", "Lower the learning rate."
            else:
                continue
            self._once.emit(
                code,
                Severity.WARNING,
                f"Updates of {name} are {word}: median log10 ||dW||/||W|| = {m:.2f} "
                f"(want about -3; flag < {c.update_low_log10} or > {c.update_high_log10}).",
                fix,
                {**ev, "low": c.update_low_log10, "high": c.update_high_log10},
                layer=name,
            )
            self._once.emit(
                "learning_rate_change",
                Severity.INFO,
                f"{fix} Update ratios near 1e-3 are the usual target.",
                "Scale the learning rate by 10**(-3 - median log10 ratio) as a first guess.",
                {**ev, "reason": code},
            )
        return self._once.take()

    def observe_activations(self, step: int, captures: Sequence[LayerCapture]) -> list[Finding]:
        """Pool captures per layer until enough samples, then judge dead/saturated units."""
        for cap in captures:
            unit_max, n, saturated, seen = self._pool.get(
                cap.layer, ([-math.inf] * cap.units, 0, 0, 0)
            )
            unit_max = [max(a, b) for a, b in zip(unit_max, cap.unit_max, strict=True)]
            n, saturated, seen = n + cap.samples, saturated + cap.saturated_units, seen + 1
            if n < self.config.dead_probe_samples:
                self._pool[cap.layer] = (unit_max, n, saturated, seen)
                continue
            self._pool.pop(cap.layer, None)
            self._judge_units(step, cap, unit_max, n, saturated / seen)
        return self._once.take()

    def _judge_units(
        self, step: int, cap: LayerCapture, unit_max: list[float], n: int, saturated: float
    ) -> None:
        c = self.config
        if cap.kind == "relu":
            dead = sum(1 for v in unit_max if v <= 0)
            if dead:
                frac = dead / cap.units
                warn = frac >= c.unit_warning_fraction
                self._once.emit(
                    "dead_units",
                    Severity.WARNING if warn else Severity.INFO,
                    f"{dead} of {cap.units} units of {cap.layer} never fired on {n} training "
                    f"samples (step {step}).",
                    "Lower the learning rate, use LeakyReLU, or re-initialize (Kaiming).",
                    {
                        "dead": dead,
                        "units": cap.units,
                        "fraction": frac,
                        "probe": f"training batches ({n} samples)",
                        "rate_upper_bound_95": 3 / n,
                    },
                    layer=cap.layer,
                )
                if warn:
                    self._once.emit(
                        "width_change",
                        Severity.INFO,
                        f"{frac:.0%} of {cap.layer} is dead: the layer works with "
                        f"{cap.units - dead} units.",
                        "Revive them (init, LR) or shrink the layer to what it uses.",
                        {"dead": dead, "units": cap.units, "reason": "dead_units"},
                        layer=cap.layer,
                    )
        frac_sat = saturated / cap.units
        if saturated >= 1:
            self._once.emit(
                "saturation",
                Severity.WARNING if frac_sat >= c.unit_warning_fraction else Severity.INFO,
                f"On average {saturated:.1f} of {cap.units} units of {cap.layer} are saturated.",
                "Lower the weight scale, normalize inputs, or use ReLU-family activations.",
                {"saturated_units_mean": saturated, "units": cap.units, "fraction": frac_sat},
                layer=cap.layer,
            )

    def observe_epoch(self, summary: EpochSummary) -> list[Finding]:
        """Per-epoch losses and accuracies (Prechelt overfitting rules)."""
        self.epochs.observe_epoch(summary)
        return self._once.take()

    def observe_calibration(self, step: int, calibration: CalibrationPayload) -> list[Finding]:
        self.epochs.observe_calibration(step, calibration)
        return self._once.take()

    def observe_splits(self, step: int, counts: Mapping[str, tuple[int, int]]) -> list[Finding]:
        """(correct, total) per evaluation split over one window."""
        self.epochs.observe_splits(step, counts)
        return self._once.take()
