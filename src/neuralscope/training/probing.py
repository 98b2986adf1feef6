"""Turns a Session's steps into events, on a sampled cadence so that watching stays cheap.

After every step :meth:`SessionProbes.after_step` decides what is due (metrics, gradient
norms, layer statistics, activation heatmaps, decision boundary) from ``global_step`` and
the cadences in :class:`ProbeConfig`, and returns the events; on the other steps it only adds
the batch loss to a running sum. No hook stays attached between sampled steps (see
:mod:`neuralscope.monitor.probes`).

JSON has no nan/inf, so non-finite numbers never go into an event: a metric that is not
finite is left out, and layer statistics with a non-finite value are skipped. A divergence is
reported by its finding and status event instead.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, fields

from neuralscope.decomposition.live import LiveConfig
from neuralscope.decomposition.stream import ModuleStream
from neuralscope.events import (
    ActivationsEvent,
    BoundaryEvent,
    Event,
    EventKind,
    FindingEvent,
    GradientsEvent,
    LayerStatsEvent,
    MetricsEvent,
    MetricsPayload,
    RunStatus,
    StatusEvent,
    StatusPayload,
)
from neuralscope.monitor import gradient_norms, layer_stats
from neuralscope.nets import hidden_layer_names
from neuralscope.training.activations import activations_payload, probe_indices
from neuralscope.training.boundary import boundary_payload
from neuralscope.training.session import Session, StepResult


@dataclass(frozen=True)
class ProbeConfig:
    """Every how many optimizer steps each kind of event is emitted.

    The defaults keep a live 2-8-8-1 run within ~20% of a bare loop's speed (measured by
    ``benchmarks/session_overhead.py``) while a viewer still gets far more than 10 updates/s.
    Boundary frames are pictures, not data: they are also capped at one per
    ``boundary_min_interval_s`` of wall time (15 frames/s, above the 10/s a viewer needs),
    so a fast run does not spend its time drawing frames nobody can see (0 disables the
    cap, e.g. for reproducible tests).
    """

    metrics_every: int = 20
    # precision/recall/F1 (regression: MAE/R²) ride along every curves_every steps: each
    # extra series costs the recorder and every viewer, and these move slowly.
    curves_every: int = 100
    gradients_every: int = 50
    stats_every: int = 50
    boundary_every: int = 20
    boundary_resolution: int = 100
    boundary_min_interval_s: float = 1 / 15
    # Functional modules of the hidden layers (issue #7): decomposed on the first
    # modules_probe validation samples at most every modules_every steps, within a 4% time
    # budget (neuralscope.decomposition.LiveConfig), and once more when a run of at least
    # modules_every steps completes.
    modules_every: int = 200
    modules_probe: int = 512
    # Activation heatmaps (samples x units per hidden layer) on a fixed probe batch of at
    # most 64 validation samples (neuralscope.training.activations): one small forward pass.
    activations_every: int = 50

    def __post_init__(self) -> None:
        if not self.boundary_min_interval_s >= 0:
            raise ValueError("boundary_min_interval_s must be >= 0")
        for f in fields(self):
            if f.name == "boundary_min_interval_s":
                continue
            value = getattr(self, f.name)
            if not isinstance(value, int) or value < 1:
                raise ValueError(f"{f.name} must be an integer >= 1, not {value!r}")


class SessionProbes:
    """Watches one Session and returns the events each step is due to produce."""

    def __init__(
        self,
        session: Session,
        run_id: str,
        config: ProbeConfig | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.session = session
        self.run_id = run_id
        self.config = config or ProbeConfig()
        self._clock = clock
        self._layers = hidden_layer_names(session.config.spec)
        self._probe_label = f"validation ({session.dataset.x_val.shape[0]} samples)"
        self._loss_sum = 0.0
        self._loss_count = 0
        self._findings_seen = len(session.findings)
        self._emitted: dict[EventKind, int] = {}  # the step each kind was last emitted at
        self._last_boundary = -math.inf
        self.modules = self._module_stream()
        data = session.dataset
        order = probe_indices(data.y_val, data.task)
        self._act_inputs = data.x_val[order.to(data.x_val.device)]
        labels = data.y_val.cpu()[order].reshape(order.shape[0], -1)[:, 0]
        self._act_labels = [] if data.task == "regression" else [int(v) for v in labels]
        by = "by target" if data.task == "regression" else "by class"
        self._act_label = f"validation ({order.shape[0]} of {data.x_val.shape[0]}, {by})"

    def _module_stream(self) -> ModuleStream | None:
        """Decomposition of the hidden layers on a fixed validation batch (None without any)."""
        if not self._layers:
            return None
        data, n = self.session.dataset, self.config.modules_probe
        return ModuleStream(
            self.run_id,
            self._layers,
            data.x_val[:n].to(self.session.device),
            data.y_val[:n].to(self.session.device),
            probe_label=f"validation ({min(n, data.x_val.shape[0])} samples)",
            config=LiveConfig(every_steps=self.config.modules_every),
        )

    def after_step(self, result: StepResult) -> list[Event]:
        """The events due after ``result``: sampled probes, findings, status changes."""
        step, now, cfg = self.session.global_step, self._clock(), self.config
        events: list[Event] = []
        if result.status is RunStatus.DIVERGED:
            events.extend(self._new_findings(step, now))
            findings = self.session.findings
            reason = findings[-1].message if findings else "the loss is not finite"
            events.append(self._status(step, now, RunStatus.DIVERGED, reason))
            return self._track(events)
        self._loss_sum += result.loss
        self._loss_count += 1
        metrics_due = step % cfg.metrics_every == 0
        completed = result.status is RunStatus.COMPLETED
        if metrics_due or completed:
            curves = completed or step % cfg.curves_every == 0
            events.append(self._metrics(step, now, curves=curves))
        if step % cfg.gradients_every == 0:
            events.extend(self._gradients(step, now))
        if step % cfg.stats_every == 0:
            events.extend(self._layer_stats(step, now))
        if step % cfg.activations_every == 0:
            events.extend(self._activations(step, now))
        if step % cfg.boundary_every == 0 and (
            completed or now - self._last_boundary >= cfg.boundary_min_interval_s
        ):
            events.extend(self._boundary(step, now))
        if self.modules is not None:
            final = completed and step >= cfg.modules_every  # shorter runs have no modules
            events.extend(self.modules.after_step(step, self.session.model, now, final=final))
        events.extend(self._new_findings(step, now))
        if completed:
            reason = f"reached max_steps ({self.session.config.max_steps})"
            events.append(self._status(step, now, RunStatus.COMPLETED, reason))
        return self._track(events)

    def snapshot(self) -> list[Event]:
        """A full set of events right now: metrics, gradients (if any), layer stats, boundary.

        Used when a run starts and when it pauses or ends, so a viewer always has a picture.
        """
        step, now = self.session.global_step, self._clock()
        candidates = [
            self._metrics(step, now),
            *self._gradients(step, now),
            *self._layer_stats(step, now),
            *self._activations(step, now),
            *self._boundary(step, now),
        ]
        # One event per kind and step: a pause right after a scheduled event (or two pauses
        # with no step between) would otherwise record two values at one step.
        return self._track([e for e in candidates if self._emitted.get(e.kind) != step])

    def _track(self, events: list[Event]) -> list[Event]:
        for event in events:
            self._emitted[event.kind] = event.step
        return events

    # -- one builder per kind --------------------------------------------------------------

    def _metrics(self, step: int, now: float, *, curves: bool = True) -> MetricsEvent:
        """Batch-loss mean since the last metrics event, plus full-split loss and every metric.

        Names: ``train/loss`` (mean batch loss), ``val/loss``, ``{split}/accuracy``
        (classification) and, with ``curves``, the curves of
        :func:`neuralscope.training.metrics.curve_values` (macro precision/recall/F1, or
        mse/mae/r2).

        Before any step has been taken the train loss is the full training-set loss.
        """
        train, val, metrics = self.session.evaluate_all(curves=curves)
        train_loss = self._loss_sum / self._loss_count if self._loss_count else train.loss
        self._loss_sum, self._loss_count = 0.0, 0
        values = {**metrics, "train/loss": train_loss, "val/loss": val.loss}
        if self.session.task != "regression":
            values |= {"train/accuracy": train.accuracy, "val/accuracy": val.accuracy}
        finite = {name: v for name, v in values.items() if math.isfinite(v)}
        return MetricsEvent(
            run_id=self.run_id, step=step, time=now, payload=MetricsPayload(values=finite)
        )

    def _gradients(self, step: int, now: float) -> list[Event]:
        payload = gradient_norms(self.session.model)
        if not payload.norms or not all(math.isfinite(g.norm) for g in payload.norms):
            return []
        return [GradientsEvent(run_id=self.run_id, step=step, time=now, payload=payload)]

    def _layer_stats(self, step: int, now: float) -> list[Event]:
        if not self._layers:
            return []
        payload = layer_stats(
            self.session.model, self._layers, self.session.dataset.x_val, self._probe_label
        )
        numbers = [v for s in payload.layers for v in (s.mean, s.std, s.dead_fraction)]
        if not all(math.isfinite(v) for v in numbers):
            return []
        return [LayerStatsEvent(run_id=self.run_id, step=step, time=now, payload=payload)]

    def _activations(self, step: int, now: float) -> list[Event]:
        if not self._layers:
            return []
        payload = activations_payload(
            self.session.model, self._layers, self._act_inputs, self._act_labels, self._act_label
        )
        if payload is None:
            return []
        return [ActivationsEvent(run_id=self.run_id, step=step, time=now, payload=payload)]

    def _boundary(self, step: int, now: float) -> list[Event]:
        """A boundary frame for 1-D and 2-D inputs (images have no plane to draw)."""
        self._last_boundary = now
        data = self.session.dataset
        if len(data.input_shape) != 1 or data.input_shape[0] > 2:
            return []
        payload = boundary_payload(
            self.session.model,
            data.bounds,
            self.config.boundary_resolution,
            task=data.task,
            input_dim=data.input_shape[0],
        )
        return [BoundaryEvent(run_id=self.run_id, step=step, time=now, payload=payload)]

    def _new_findings(self, step: int, now: float) -> list[Event]:
        new = self.session.findings[self._findings_seen :]
        self._findings_seen = len(self.session.findings)
        return [FindingEvent(run_id=self.run_id, step=step, time=now, payload=f) for f in new]

    def _status(self, step: int, now: float, status: RunStatus, reason: str) -> StatusEvent:
        payload = StatusPayload(status=status, reason=reason)
        return StatusEvent(run_id=self.run_id, step=step, time=now, payload=payload)
