"""The training loop of one trial: pure torch, no I/O, seeded, with what health needs recorded.

Per step it keeps the mini-batch loss; every ``grad_every`` steps the L2 norms of the first and
last weight matrices' gradients and of the whole gradient (one ``torch._foreach_norm`` call,
PERFORMANCE.md); per epoch the mean training loss and the validation loss and accuracy. A
non-finite loss stops training at once (the trial is then pruned or scored as collapsed).
The caller's ``on_epoch`` runs after every epoch and may raise to stop (pruning).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import torch
from torch import nn

from neuralscope.search.hyperparams import TrainingParams


@dataclass(frozen=True)
class GradSample:
    """Gradient norms at one step (first/last weight matrix, whole model)."""

    step: int
    first: float
    last: float
    total: float


@dataclass(frozen=True)
class EpochRecord:
    epoch: int
    train_loss: float
    val_loss: float
    val_accuracy: float


@dataclass
class FitTrace:
    """What training measured; filled in place while it runs."""

    step_losses: list[float] = field(default_factory=list)
    grads: list[GradSample] = field(default_factory=list)
    epochs: list[EpochRecord] = field(default_factory=list)
    diverged: bool = False
    val_correct: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))


@dataclass(frozen=True)
class Arrays:
    """Training and validation tensors on the training device."""

    x_train: torch.Tensor
    y_train: torch.Tensor
    x_val: torch.Tensor
    y_val: torch.Tensor

    @classmethod
    def from_numpy(
        cls, x_train: np.ndarray, y_train: np.ndarray, x_val: np.ndarray, y_val: np.ndarray,
        device: str = "cpu",
    ) -> Arrays:  # fmt: skip
        def put(a: np.ndarray) -> torch.Tensor:
            return torch.from_numpy(np.ascontiguousarray(a)).to(device)

        return cls(put(x_train), put(y_train), put(x_val), put(y_val))


def make_optimizer(model: nn.Module, p: TrainingParams) -> torch.optim.Optimizer:
    params = model.parameters()
    lr, wd = p.learning_rate, p.weight_decay
    if p.optimizer == "adam":
        return torch.optim.Adam(params, lr=lr, weight_decay=wd)
    if p.optimizer == "adamw":
        return torch.optim.AdamW(params, lr=lr, weight_decay=wd)
    if p.optimizer == "sgd":
        return torch.optim.SGD(params, lr=lr, momentum=0.9, weight_decay=wd)
    return torch.optim.RMSprop(params, lr=lr, weight_decay=wd)


def make_schedule(
    optimizer: torch.optim.Optimizer, p: TrainingParams, total_steps: int
) -> torch.optim.lr_scheduler.LRScheduler:
    """Stepped once per batch: constant, cosine to 0, halved every third, or one-cycle."""
    total = max(1, total_steps)
    if p.lr_schedule == "cosine":
        return torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=total)
    if p.lr_schedule == "step":
        return torch.optim.lr_scheduler.StepLR(optimizer, step_size=max(1, total // 3), gamma=0.5)
    if p.lr_schedule == "onecycle":
        return torch.optim.lr_scheduler.OneCycleLR(
            optimizer, max_lr=p.learning_rate, total_steps=total + 1
        )
    return torch.optim.lr_scheduler.LambdaLR(optimizer, lambda _step: 1.0)


@torch.no_grad()
def evaluate(model: nn.Module, x: torch.Tensor, y: torch.Tensor) -> tuple[float, torch.Tensor]:
    """(mean cross-entropy, per-sample correctness as bool) in eval mode, in chunks."""
    was_training = model.training
    model.eval()
    losses, correct = [], []
    for start in range(0, len(x), 1024):
        logits = model(x[start : start + 1024])
        target = y[start : start + 1024]
        losses.append(nn.functional.cross_entropy(logits, target, reduction="sum"))
        correct.append(logits.argmax(1) == target)
    model.train(was_training)
    loss = float(torch.stack(losses).sum()) / max(1, len(x))
    return loss, torch.cat(correct) if correct else torch.zeros(0, dtype=torch.bool)


def _weights(model: nn.Module) -> list[torch.Tensor]:
    return [p for name, p in model.named_parameters() if p.ndim >= 2 and "embedding" not in name]


def fit(
    model: nn.Module,
    data: Arrays,
    p: TrainingParams,
    epochs: int,
    seed: int,
    on_epoch: Callable[[EpochRecord, FitTrace], None] | None = None,
    grad_every: int = 5,
) -> FitTrace:
    """Train ``model`` in place for ``epochs`` epochs; return what was measured."""
    trace = FitTrace()
    generator = torch.Generator().manual_seed(seed)
    optimizer = make_optimizer(model, p)
    n = len(data.x_train)
    batch = min(p.batch_size, n)
    steps_per_epoch = math.ceil(n / batch)
    schedule = make_schedule(optimizer, p, steps_per_epoch * epochs)
    weights = _weights(model)
    step = 0
    for epoch in range(1, epochs + 1):
        model.train()
        order = torch.randperm(n, generator=generator).to(data.x_train.device)
        losses = []
        for start in range(0, n, batch):
            index = order[start : start + batch]
            if len(index) < 2 and n > 1:
                continue  # batch norm needs two samples
            loss = nn.functional.cross_entropy(model(data.x_train[index]), data.y_train[index])
            optimizer.zero_grad(set_to_none=True)
            loss.backward()  # type: ignore[no-untyped-call]
            value = float(loss.detach())
            trace.step_losses.append(value)
            losses.append(value)
            if not math.isfinite(value):
                trace.grads.append(_grad_sample(step, weights))
                trace.diverged = True
                break
            if step % grad_every == 0:
                trace.grads.append(_grad_sample(step, weights))
            optimizer.step()
            schedule.step()
            step += 1
        val_loss, correct = evaluate(model, data.x_val, data.y_val)
        record = EpochRecord(
            epoch=epoch,
            train_loss=float(np.mean(losses)) if losses else float("nan"),
            val_loss=val_loss,
            val_accuracy=float(correct.double().mean()) if len(correct) else 0.0,
        )
        trace.epochs.append(record)
        trace.val_correct = correct.cpu().numpy()
        if on_epoch is not None:
            on_epoch(record, trace)
        if trace.diverged:
            break
    return trace


def _grad_sample(step: int, weights: list[torch.Tensor]) -> GradSample:
    grads = [w.grad for w in weights if w.grad is not None]
    if not grads:
        return GradSample(step, 0.0, 0.0, 0.0)
    norms = torch.stack(torch._foreach_norm(grads)).double()
    total = float(norms.square().sum().sqrt())
    values = norms.tolist()
    return GradSample(step, values[0], values[-1], total)
