"""A live, steerable training run: one model, one dataset, one optimizer, stepped on demand.

Pure torch: no I/O, no threads, no clocks. Whoever drives a Session (a worker thread, a test,
the CLI) calls :meth:`Session.step` and hands the result to probes; the Session never knows
who is watching.

Reproducibility: the model is initialised inside ``torch.random.fork_rng`` seeded with the
config's seed, and batches are drawn from a private ``torch.Generator``. Two Sessions built
from the same config therefore produce bit-identical losses (on the same device), and the
caller's global random state is left exactly as it was.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import numpy as np
import torch
from torch import nn

from neuralscope.data import Dataset, TableSource, make_dataset
from neuralscope.events import HyperparameterChange, RunStatus
from neuralscope.findings import Finding, Severity, make_finding
from neuralscope.monitor.modes import evaluating
from neuralscope.nets import build_model
from neuralscope.training.backprop import BackpropTrace, dense_layers, trace_step
from neuralscope.training.config import Hyperparameters, HyperparameterUpdate, SessionConfig
from neuralscope.training.metrics import SplitReport, curve_values, split_report
from neuralscope.training.optimizers import (
    apply_hyperparameters,
    build_optimizer,
    switch_optimizer,
)
from neuralscope.training.tasks import accuracy, loss_function, output_width

_S = RunStatus
# Which statuses each control action may leave from, and where it goes.
_TRANSITIONS: dict[str, tuple[frozenset[RunStatus], RunStatus]] = {
    "start": (frozenset({_S.CREATED}), _S.RUNNING),
    "pause": (frozenset({_S.RUNNING}), _S.PAUSED),
    "resume": (frozenset({_S.PAUSED}), _S.RUNNING),
    "stop": (frozenset({_S.CREATED, _S.RUNNING, _S.PAUSED}), _S.STOPPED),
}


class IllegalTransition(ValueError):
    """An action that the Session's current status does not allow."""


@dataclass(frozen=True)
class StepResult:
    """What one call to :meth:`Session.step` did."""

    step: int  # global_step after the step
    loss: float  # the batch's loss (may be nan/inf when the step diverged)
    batch_size: int
    status: RunStatus


@dataclass(frozen=True)
class Evaluation:
    """Loss and accuracy of the current model over one whole split (accuracy: NaN for
    regression)."""

    loss: float
    accuracy: float


class Session:
    """A seeded training run with pause/resume/stop and hyperparameters that change mid-run."""

    def __init__(
        self,
        config: SessionConfig,
        *,
        device: str = "cpu",
        data_home: Path | None = None,
        tables: TableSource | None = None,
    ) -> None:
        """``data_home`` and ``tables`` (bytes of uploaded tables by id) reach the dataset
        registry (:func:`~neuralscope.data.make_dataset`); the Session never does I/O itself."""
        self.config = config
        self.device = torch.device(device)
        data = make_dataset(config.data, seed=config.seed, home=data_home, tables=tables)
        self.dataset: Dataset = dataclasses.replace(
            data,
            x_train=data.x_train.to(self.device),
            y_train=data.y_train.to(self.device),
            x_val=data.x_val.to(self.device),
            y_val=data.y_val.to(self.device),
        )
        # nn.Linear draws its init from the global generator: seed a forked copy of it.
        with torch.random.fork_rng(devices=[]):
            torch.manual_seed(config.seed)
            model = build_model(
                config.spec,
                data.input_shape,
                output_width(data.task, data.n_classes),
                features=config.data.features,
            )
        self.model = model.to(self.device)
        self.model.train()
        self._task = data.task
        self._loss_fn = loss_function(self._task)
        self._dropouts = [m for m in self.model.modules() if isinstance(m, nn.Dropout)]
        self._spec_dropout = [m.p for m in self._dropouts]
        self._both: tuple[torch.Tensor, torch.Tensor] | None = None
        self._targets: np.ndarray | None = None  # the labels of _both, on the host
        self._hp = config.hyperparameters
        self._apply_dropout(self._hp.dropout)
        self.optimizer = build_optimizer(self.model.parameters(), self._hp)
        self._batch_generator = torch.Generator().manual_seed(config.seed)
        self._order: torch.Tensor | None = None  # this epoch's permutation, drawn lazily
        self._cursor = 0
        self._global_step = 0
        self._epoch = 0
        self._status = RunStatus.CREATED
        self.findings: list[Finding] = []

    # Read-only: they change only through step() and the control methods.
    @property
    def task(self) -> str:
        """``binary``, ``multiclass`` or ``regression`` (from the dataset)."""
        return self._task

    @property
    def hyperparameters(self) -> Hyperparameters:
        return self._hp

    @property
    def status(self) -> RunStatus:
        return self._status

    @property
    def global_step(self) -> int:
        """Optimizer steps taken (a diverged step took none)."""
        return self._global_step

    @property
    def epoch(self) -> int:
        """Completed passes over the training set."""
        return self._epoch

    def load_weights(self, state: dict[str, torch.Tensor]) -> None:
        """Start from saved weights (a zoo model, an export) instead of the seeded init.

        Only before the first step; names and shapes must match the model exactly.

        Raises:
            IllegalTransition: the Session has already taken a step.
        """
        if self.global_step or self.status is not RunStatus.CREATED:
            raise IllegalTransition("weights can be loaded only into a fresh session")
        self.model.load_state_dict({k: v.to(self.device) for k, v in state.items()})

    # -- control ---------------------------------------------------------------------------

    def _transition(self, action: str) -> None:
        allowed, target = _TRANSITIONS[action]
        if self.status not in allowed:
            raise IllegalTransition(f"cannot {action} a session that is {self.status.value}")
        self._status = target

    def start(self) -> None:
        """CREATED -> RUNNING."""
        self._transition("start")

    def pause(self) -> None:
        """RUNNING -> PAUSED."""
        self._transition("pause")

    def resume(self) -> None:
        """PAUSED -> RUNNING."""
        self._transition("resume")

    def stop(self) -> None:
        """Any non-terminal status -> STOPPED."""
        self._transition("stop")

    # -- training --------------------------------------------------------------------------

    def _next_batch(self) -> tuple[torch.Tensor, torch.Tensor]:
        """The next batch of a without-replacement pass; the last batch of an epoch may be short."""
        n = self.dataset.x_train.shape[0]
        if self._order is None:
            self._order = torch.randperm(n, generator=self._batch_generator).to(self.device)
            self._cursor = 0
        end = min(self._cursor + self._hp.batch_size, n)
        index = self._order[self._cursor : end]
        self._cursor = end
        if end == n:
            self._order = None
            self._epoch += 1
        return self.dataset.x_train[index], self.dataset.y_train[index]

    def step(self) -> StepResult:
        """One optimizer step on the next batch.

        Gradients stay on the parameters afterwards, for probes to read. A non-finite loss
        does not raise: the optimizer is not stepped, the status becomes DIVERGED and a
        ``loss_divergence`` finding is recorded.

        Raises:
            IllegalTransition: the Session is not RUNNING.
        """
        if self.status is not RunStatus.RUNNING:
            raise IllegalTransition(f"cannot step a session that is {self.status.value}")
        # zero_grad first (not last) so that p.grad still holds this step's gradient on return.
        self.optimizer.zero_grad(set_to_none=True)
        x, y = self._next_batch()
        return self._train_on(x, y)

    def trace_step(self) -> tuple[StepResult, BackpropTrace]:
        """One step, written out number by number (:mod:`neuralscope.training.backprop`).

        Allowed while the Session is CREATED or PAUSED (a learner steps by hand), on dense
        nets of at most 64 units per layer. The step itself is a normal step: the same batch
        sequence, optimizer and bookkeeping as :meth:`step`.

        Raises:
            IllegalTransition: the Session is running or has ended.
            TraceUnsupported: the model is not a small dense net.
        """
        if self.status not in (RunStatus.CREATED, RunStatus.PAUSED):
            raise IllegalTransition(f"cannot trace a step of a session that is {self.status.value}")
        dense_layers(self.model)  # refuse before consuming a batch
        self.optimizer.zero_grad(set_to_none=True)
        x, y = self._next_batch()
        hp = self._hp
        trace = trace_step(
            self.model,
            x,
            y,
            self._task,
            self.optimizer,
            hp.optimizer,
            l1=hp.l1,
            step=self.global_step + 1,
        )
        return self._train_on(x, y), trace

    def l1_penalty(self) -> torch.Tensor | None:
        """``l1 * sum |w|`` over the weight matrices and kernels (not biases), or None at 0."""
        if self._hp.l1 == 0:
            return None
        weights = [p for n, p in self.model.named_parameters() if n.endswith("weight")]
        weights = [p for p in weights if p.ndim > 1]  # BatchNorm scales are not weights
        return self._hp.l1 * sum((w.abs().sum() for w in weights), torch.zeros(()))

    def next_batch(self) -> tuple[torch.Tensor, torch.Tensor]:
        """The batch the next step trains on (advances the epoch cursor)."""
        return self._next_batch()

    def _train_on(self, x: torch.Tensor, y: torch.Tensor) -> StepResult:
        """Forward, backward and one optimizer step on ``(x, y)``; see :meth:`step`."""
        loss = self._loss_fn(self.model(x), y)
        value = loss.item()  # the data loss: the curves compare it with validation
        if not math.isfinite(value):
            self._diverge(value)
            return StepResult(self.global_step, value, x.shape[0], self.status)
        penalty = self.l1_penalty()
        (loss if penalty is None else loss + penalty).backward()
        self.optimizer.step()
        self._global_step += 1
        if self.config.max_steps is not None and self.global_step >= self.config.max_steps:
            self._status = RunStatus.COMPLETED
        return StepResult(self.global_step, value, x.shape[0], self.status)

    def epoch_steps(self) -> list[StepResult]:
        """Step until the current epoch is finished or the status leaves RUNNING."""
        results: list[StepResult] = []
        epoch = self.epoch
        while self.epoch == epoch and self.status is RunStatus.RUNNING:
            results.append(self.step())
        return results

    def _diverge(self, loss: float) -> None:
        self._status = RunStatus.DIVERGED
        attempted = self.global_step + 1
        lr = self._hp.learning_rate
        self.findings.append(
            make_finding(
                "loss_divergence",
                Severity.CRITICAL,
                f"The training loss became {loss} at step {attempted} "
                f"(learning rate {lr:g}); training stopped.",
                "Lower the learning rate (try 10x smaller) and start a new run; an adaptive "
                "optimizer such as Adam is also less sensitive to the learning rate.",
                evidence={
                    "step": attempted,
                    "loss": str(loss),  # str: JSON has no nan/inf
                    "learning_rate": lr,
                    "threshold": "loss must be finite",
                },
            )
        )

    # -- steering --------------------------------------------------------------------------

    def set_hyperparameters(self, update: HyperparameterUpdate) -> list[HyperparameterChange]:
        """Apply a partial change; returns only the fields whose value changed (old -> new).

        Learning rate, momentum and weight decay change the optimizer in place; a new batch
        size applies from the next batch; a new optimizer carries over what its family shares
        (see :mod:`neuralscope.training.optimizers`).

        Raises:
            IllegalTransition: the Session has ended.
        """
        if self.status.is_terminal:
            raise IllegalTransition(
                f"cannot change hyperparameters of a session that is {self.status.value}"
            )
        old = self._hp
        new = Hyperparameters.model_validate(
            {**old.model_dump(), **update.model_dump(exclude_none=True)}
        )
        changes = [
            HyperparameterChange(name=name, old=getattr(old, name), new=getattr(new, name))
            for name in Hyperparameters.model_fields
            if getattr(old, name) != getattr(new, name)
        ]
        if not changes:
            return []
        if new.optimizer != old.optimizer:
            self.optimizer = switch_optimizer(self.optimizer, self.model.parameters(), new)
        else:
            apply_hyperparameters(self.optimizer, new)
        if new.dropout != old.dropout:
            self._apply_dropout(new.dropout)
        self._hp = new
        return changes

    def _apply_dropout(self, p: float) -> None:
        """Set every Dropout layer's p (-1: back to each layer's p from the spec)."""
        for module, spec_p in zip(self._dropouts, self._spec_dropout, strict=True):
            module.p = spec_p if p == -1 else p

    # -- measuring -------------------------------------------------------------------------

    def evaluate_splits(self) -> tuple[Evaluation, Evaluation]:
        """Train and validation loss/accuracy from ONE forward pass over both splits."""
        train, val, _ = self.evaluate_all()
        return train, val

    def evaluate_all(
        self, *, curves: bool = True
    ) -> tuple[Evaluation, Evaluation, dict[str, float]]:
        """Loss/accuracy of both splits and every metric of both, from ONE forward pass.

        Probes call this every few steps; one batched pass costs about half of two. The
        metric names are those of :func:`neuralscope.training.metrics.metric_values`.
        """
        data = self.dataset
        if self._both is None:
            self._both = (
                torch.cat([data.x_train, data.x_val]),
                torch.cat([data.y_train, data.y_val]),
            )
        x, y = self._both
        n = data.x_train.shape[0]
        with evaluating(self.model), torch.no_grad():
            out = self.model(x)
            numbers = torch.stack(
                [
                    self._loss_fn(out[:n], y[:n]),
                    accuracy(self._task, out[:n], y[:n]),
                    self._loss_fn(out[n:], y[n:]),
                    accuracy(self._task, out[n:], y[n:]),
                ]
            ).tolist()
            host, k = out.cpu().numpy(), data.n_classes
        if self._targets is None:
            self._targets = y.cpu().numpy()
        values: dict[str, float] = {}
        if curves:  # the precision/recall/F1 (or MAE/R²) curves; probes ask on a slower beat
            values = curve_values(self._task, host[:n], self._targets[:n], k, "train")
            values |= curve_values(self._task, host[n:], self._targets[n:], k, "val")
        train, val = Evaluation(numbers[0], numbers[1]), Evaluation(numbers[2], numbers[3])
        return train, val, values

    def report(self) -> dict[str, SplitReport]:
        """Every metric, per-class numbers and the confusion matrix of both splits."""
        data, reports = self.dataset, {}
        with evaluating(self.model), torch.no_grad():
            for split, x, y in (
                ("train", data.x_train, data.y_train),
                ("val", data.x_val, data.y_val),
            ):
                out = self.model(x)
                loss = float(self._loss_fn(out, y))
                reports[split] = split_report(self._task, out, y, data.n_classes, loss)
        return reports

    def evaluate(self, split: Literal["train", "val"]) -> Evaluation:
        """Loss and accuracy over a whole split, in eval mode without gradients."""
        if split == "train":
            x, y = self.dataset.x_train, self.dataset.y_train
        elif split == "val":
            x, y = self.dataset.x_val, self.dataset.y_val
        else:
            raise ValueError(f"split must be 'train' or 'val', not {split!r}")
        with evaluating(self.model), torch.no_grad():
            output = self.model(x)
            pair = torch.stack([self._loss_fn(output, y), accuracy(self._task, output, y)])
        loss, acc = pair.tolist()
        return Evaluation(loss=loss, accuracy=acc)
