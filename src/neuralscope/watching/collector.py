"""Turns what a watched training loop does into events and live findings (no I/O).

Per ``log()`` call of the training split (one step); on steps that no cadence samples it
returns after a few integer operations (PERFORMANCE.md: instrumenting every step costs
+40-160%):

* every ``scalars_every`` steps: ``train/loss`` and ``train/accuracy`` (one host transfer);
  these sampled batches also feed the training split's calibration and epoch means;
* every ``gradients_every`` steps: per-parameter gradient norms (``gradients``), mean/max
  |grad| and update-to-weight ratios (``metrics``); the weights are copied one step before;
* every ``histograms_every`` steps: weight, bias and gradient histograms;
* every ``activations_every`` steps: forward hooks are attached after the previous step's
  ``log()``, capture the next training forward pass (grad enabled), and are removed at the
  next ``log()``: activation histograms, ``layer_stats`` (dead fraction) and saturated shares.

At the end of each epoch (``end_epoch()``, or every ``window_steps`` steps if it is never
called): per split calibration (``calibration``), epoch metrics, and the epoch rules.

With a probe batch (``watch(probe=(inputs, targets))``): functional modules of the watched
layers (``modules``) at most every ``modules_every`` steps within a 4% time budget, and once
more at the end (:class:`neuralscope.decomposition.stream.ModuleStream`). It runs after the
step's other reads and before activation hooks are attached, so no hook sees its passes.
"""

from __future__ import annotations

import logging
import time

import torch
from torch import nn

from neuralscope.decomposition.live import LiveConfig
from neuralscope.decomposition.stream import ModuleStream
from neuralscope.events import (
    CalibrationEvent,
    Event,
    FindingEvent,
    GradientNorm,
    GradientsEvent,
    GradientsPayload,
    HistogramsEvent,
    HistogramsPayload,
    LayerStat,
    LayerStatsEvent,
    LayerStatsPayload,
    MetricsEvent,
    MetricsPayload,
    SamplesEvent,
    SamplesPayload,
)
from neuralscope.findings import Finding
from neuralscope.monitor.histograms import gradient_histograms, parameter_histograms
from neuralscope.monitor.hooks import ActivationProbe, watched_layers
from neuralscope.monitor.rules import LiveRules
from neuralscope.monitor.rules_epoch import EpochSummary
from neuralscope.watching.config import WatchConfig
from neuralscope.watching.signals import (
    compact_images,
    gradient_flow,
    is_classification,
    predictions,
    snapshot_weights,
    update_ratios,
    weight_names,
)
from neuralscope.watching.window import SplitWindow

log = logging.getLogger(__name__)


Probe = tuple[torch.Tensor, torch.Tensor | None]


class Collector:
    def __init__(
        self, model: nn.Module, run_id: str, config: WatchConfig, probe: Probe | None = None
    ) -> None:
        self.model = model
        self.run_id = run_id
        self.config = config
        self.rules = LiveRules(config.rules)
        self.probe = ActivationProbe(model, config.histogram_bins)
        self.step = 0
        self.epoch = 0
        self._explicit_epochs = False
        self._next_sample = 0  # no step below this one is sampled
        self._warned_outputs = False
        self._weights = weight_names(model)
        self._before: dict[str, torch.Tensor] = {}
        self._windows: dict[str, SplitWindow] = {}
        self._out: list[Event] = []
        self.modules = None if probe is None else self._module_stream(probe)

    def _module_stream(self, probe: Probe) -> ModuleStream | None:
        layers = self.config.modules_layers or [n for n, _ in watched_layers(self.model)]
        if not layers:
            return None
        device = next((p.device for p in self.model.parameters()), torch.device("cpu"))
        x, y = probe
        return ModuleStream(
            self.run_id,
            layers,
            x.detach().to(device),
            None if y is None else y.detach().to(device),
            probe_label=f"probe batch ({x.shape[0]} samples)",
            config=LiveConfig(every_steps=self.config.modules_every),
        )

    def _decompose(self, final: bool = False) -> None:
        """Modules when due; a failure turns decomposition off for the run (logged once)."""
        if self.modules is None:
            return
        try:
            self._out.extend(
                self.modules.after_step(self.step, self.model, time.time(), final=final)
            )
        except Exception:
            log.exception("watch: module decomposition failed; it is off for this run")
            self.modules = None

    # -- events -------------------------------------------------------------------------
    def _add(self, make: type[Event], payload: object, step: int | None = None) -> None:
        event = make(
            run_id=self.run_id,
            step=self.step if step is None else step,
            time=time.time(),
            payload=payload,
        )
        self._out.append(event)

    def _findings(self, findings: list[Finding]) -> None:
        for finding in findings:
            self._add(FindingEvent, finding)

    def _metrics(self, values: dict[str, float]) -> None:
        if values:
            self._add(MetricsEvent, MetricsPayload(values=values))

    def take(self) -> list[Event]:
        out, self._out = self._out, []
        return out

    # -- logging ------------------------------------------------------------------------
    def log(
        self,
        loss: torch.Tensor | float | None,
        outputs: torch.Tensor | None,
        targets: torch.Tensor | None,
        inputs: torch.Tensor | None,
        split: str,
    ) -> list[Event]:
        c = self.config
        if split == "train":
            self.step += 1
            if not self._sampled(self.step):
                return []  # the fast path: nothing is read on unsampled steps
        window = self._windows.setdefault(split, SplitWindow())
        due = split != "train" or self.step % c.scalars_every == 0
        pred = None
        if due and outputs is not None and targets is not None:
            if is_classification(outputs, targets):
                pred = predictions(outputs, targets)
            elif not self._warned_outputs:
                self._warned_outputs = True
                log.warning(
                    "watch: outputs %s / targets %s are not class logits and class indices; "
                    "confidence and calibration are skipped",
                    tuple(outputs.shape),
                    tuple(targets.shape),
                )
        if due:
            self._scalars(split, window, loss, pred)
        if inputs is not None and pred is not None and not window.samples_taken and c.samples:
            window.samples_taken = True
            self._samples(split, inputs, targets, pred)
        if split == "train":
            self._training_step()
            if not self._explicit_epochs and self.step % c.window_steps == 0:
                self._close_window()
        elif self.probe.attached:
            self.probe.discard()  # whatever it saw came from this evaluation pass
        return self.take()

    def _sampled(self, s: int) -> bool:
        """Whether training step ``s`` reads anything; unsampled steps cost one comparison."""
        if s < self._next_sample and not self.probe.attached:
            return False
        c = self.config
        periods = [c.scalars_every, c.gradients_every, c.histograms_every]
        pre = [c.gradients_every, c.activations_every]  # due one step early (copy, hooks)
        if not self._explicit_epochs:
            periods.append(c.window_steps)
        due = [s - s % k + k for k in periods] + [s + 1 - (s + 1) % k + k - 1 for k in pre]
        modules_due = self.modules is not None and s >= self.modules.next_step
        if self.modules is not None:
            due.append(max(self.modules.next_step, s + 1))
        self._next_sample = min(due)
        return (
            self.probe.attached
            or modules_due
            or any(s % k == 0 for k in periods)
            or any((s + 1) % k == 0 for k in pre)
        )

    def _scalars(
        self,
        split: str,
        window: SplitWindow,
        loss: torch.Tensor | float | None,
        pred: tuple[torch.Tensor, torch.Tensor, torch.Tensor] | None,
    ) -> None:
        parts: list[torch.Tensor] = []
        if loss is not None:
            t = loss.detach() if isinstance(loss, torch.Tensor) else torch.tensor(loss)
            parts.append(t.double().mean().cpu())  # a per-sample loss vector is averaged
        if pred is not None:
            parts.append(pred[2].sum().double().cpu())
        values = torch.stack(parts).tolist() if parts else []
        names: dict[str, float] = {}
        if loss is not None:
            loss_value = values.pop(0)
            window.add_loss(loss_value)
            names[f"{split}/loss"] = loss_value
            if split == "train":
                self._findings(self.rules.observe_loss(self.step, loss_value))
        if pred is not None:
            n_correct = int(values.pop(0))
            window.add_predictions(pred[0], pred[2], self.config.max_calibration_samples, n_correct)
            names[f"{split}/accuracy"] = n_correct / max(int(pred[2].numel()), 1)
        self._metrics(names)

    def _samples(
        self,
        split: str,
        inputs: torch.Tensor,
        targets: torch.Tensor | None,
        pred: tuple[torch.Tensor, torch.Tensor, torch.Tensor],
    ) -> None:
        k = self.config.samples
        assert targets is not None
        payload = SamplesPayload(
            split=split,
            images=compact_images(inputs, k),
            targets=[int(v) for v in targets[:k].reshape(-1).tolist()],
            predictions=[int(v) for v in pred[1][:k].tolist()],
            confidences=[float(v) for v in pred[0][:k].tolist()],
        )
        self._add(SamplesEvent, payload)

    def _training_step(self) -> None:
        c, s = self.config, self.step
        if self.probe.attached:
            self._read_activations()
        if s % c.gradients_every == 0:
            self._gradients()
        if s % c.histograms_every == 0:
            items = parameter_histograms(self.model, c.histogram_bins)
            items += gradient_histograms(self.model, c.histogram_bins)
            self._add(HistogramsEvent, HistogramsPayload(histograms=items))
        if (s + 1) % c.gradients_every == 0:
            self._before = snapshot_weights(self.model, self._weights)
        self._decompose()
        if (s + 1) % c.activations_every == 0 and self.probe.layer_names:
            self.probe.attach()

    def _gradients(self) -> None:
        flow = gradient_flow(self.model)
        self._add(
            GradientsEvent,
            GradientsPayload(norms=[GradientNorm(parameter=n, norm=v[2]) for n, v in flow.items()]),
        )
        values: dict[str, float] = {}
        for name, (mean_abs, max_abs, _) in flow.items():
            values[f"grad_mean_abs/{name}"] = mean_abs
            values[f"grad_max_abs/{name}"] = max_abs
        ratios = update_ratios(self.model, self._before) if self._before else {}
        self._before = {}
        values |= {f"update_ratio/{n}": u for n, u in ratios.items()}
        self._metrics(values)
        layer_norms = [(n, flow[n][2]) for n in self._weights if n in flow]
        self._findings(self.rules.observe_gradients(self.step, layer_norms))
        if ratios:
            self._findings(self.rules.observe_updates(self.step, list(ratios.items())))

    def _read_activations(self) -> None:
        captures, hists = self.probe.read()
        self.probe.detach()
        if not captures:
            return
        self._add(HistogramsEvent, HistogramsPayload(histograms=hists))
        stats = [
            LayerStat(
                layer=cap.layer,
                mean=cap.mean,
                std=cap.std,
                dead_fraction=sum(1 for v in cap.unit_max if v <= 0) / max(cap.units, 1),
            )
            for cap in captures
        ]
        probe = f"training batch ({captures[0].samples} samples)"
        self._add(LayerStatsEvent, LayerStatsPayload(probe=probe, layers=stats))
        self._metrics(
            {f"saturated_fraction/{c.layer}": c.saturated_units / max(c.units, 1) for c in captures}
        )
        self._findings(self.rules.observe_activations(self.step, captures))

    # -- epochs -------------------------------------------------------------------------
    def end_epoch(self) -> list[Event]:
        self._explicit_epochs = True
        self._close_window()
        return self.take()

    def finish(self) -> list[Event]:
        self.probe.detach()
        if self.step:
            self._decompose(final=True)
        if any(w.total or w.loss_batches for w in self._windows.values()):
            self._close_window()
        return self.take()

    def _close_window(self) -> None:
        self.epoch += 1
        windows, self._windows = self._windows, {}
        values: dict[str, float] = {"epoch": float(self.epoch)}
        for split, w in windows.items():
            if w.mean_loss is not None:
                values[f"epoch/{split}_loss"] = w.mean_loss
            if w.total:
                values[f"epoch/{split}_accuracy"] = w.correct / w.total
        self._metrics(values)
        for split, w in windows.items():
            cal = w.calibration(split, self.config.calibration_resamples, seed=self.epoch)
            if cal is not None:
                self._add(CalibrationEvent, cal)
                self._findings(self.rules.observe_calibration(self.step, cal))
        counts = {k: (w.correct, w.total) for k, w in windows.items()}
        self._findings(self.rules.observe_splits(self.step, counts))
        train = windows.get("train", SplitWindow())
        val = windows.get("val", SplitWindow())
        if train.mean_loss is not None:
            summary = EpochSummary(
                epoch=self.epoch,
                step=self.step,
                train_loss=train.mean_loss,
                val_loss=val.mean_loss,
                train_correct=train.correct,
                train_total=train.total,
                val_correct=val.correct,
                val_total=val.total,
            )
            self._findings(self.rules.observe_epoch(summary))
