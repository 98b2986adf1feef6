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
from typing import Literal

import torch

from neuralscope.data import Dataset2D, make_dataset
from neuralscope.events import HyperparameterChange, RunStatus
from neuralscope.findings import Finding, Severity, make_finding
from neuralscope.monitor.modes import evaluating
from neuralscope.nets import build_model
from neuralscope.training.config import Hyperparameters, HyperparameterUpdate, SessionConfig
from neuralscope.training.optimizers import (
    apply_hyperparameters,
    build_optimizer,
    switch_optimizer,
)
from neuralscope.training.tasks import accuracy, loss_function, task_for

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
    """Loss and accuracy of the current model over one whole split."""

    loss: float
    accuracy: float


class Session:
    """A seeded training run with pause/resume/stop and hyperparameters that change mid-run."""

    def __init__(self, config: SessionConfig, *, device: str = "cpu") -> None:
        self.config = config
        self.device = torch.device(device)
        data = make_dataset(config.data, seed=config.seed)
        self.dataset: Dataset2D = dataclasses.replace(
            data,
            x_train=data.x_train.to(self.device),
            y_train=data.y_train.to(self.device),
            x_val=data.x_val.to(self.device),
            y_val=data.y_val.to(self.device),
        )
        # nn.Linear draws its init from the global generator: seed a forked copy of it.
        with torch.random.fork_rng(devices=[]):
            torch.manual_seed(config.seed)
            model = build_model(config.spec, in_features=2, out_features=1)
        self.model = model.to(self.device)
        self.model.train()
        self._task = task_for(self.dataset.n_classes)
        self._loss_fn = loss_function(self._task)
        self._both: tuple[torch.Tensor, torch.Tensor] | None = None
        self._hp = config.hyperparameters
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
        loss = self._loss_fn(self.model(x), y)
        value = loss.item()
        if not math.isfinite(value):
            self._diverge(value)
            return StepResult(self.global_step, value, x.shape[0], self.status)
        loss.backward()
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
        self._hp = new
        return changes

    # -- measuring -------------------------------------------------------------------------

    def evaluate_splits(self) -> tuple[Evaluation, Evaluation]:
        """Train and validation loss/accuracy from ONE forward pass over both splits.

        Probes call this every few steps; one batched pass costs about half of two.
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
        return Evaluation(numbers[0], numbers[1]), Evaluation(numbers[2], numbers[3])

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
