"""Small real training loops on scikit-learn's digits for the watch tests."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import torch
from sklearn.datasets import load_digits
from torch import nn

from neuralscope.watch import WatchRun


@dataclass(frozen=True)
class Digits:
    x_train: torch.Tensor
    y_train: torch.Tensor
    x_val: torch.Tensor
    y_val: torch.Tensor


def digits(n_train: int = 1200, label_noise: float = 0.0, seed: int = 0) -> Digits:
    """Digits scaled to [0, 1], shuffled; ``label_noise`` of training labels replaced."""
    data = load_digits()
    g = torch.Generator().manual_seed(seed)
    x = torch.tensor(data.data, dtype=torch.float32) / 16.0
    y = torch.tensor(data.target, dtype=torch.long)
    order = torch.randperm(len(y), generator=g)
    x, y = x[order], y[order]
    x_tr, y_tr = x[:n_train], y[:n_train].clone()
    if label_noise:
        flip = torch.rand(n_train, generator=g) < label_noise
        y_tr[flip] = torch.randint(0, 10, (int(flip.sum()),), generator=g)
    return Digits(x_tr, y_tr, x[1300:], y[1300:])


class Nested(nn.Module):
    """A nested custom module: a block inside a model, with a functional activation too."""

    def __init__(self) -> None:
        super().__init__()
        self.block = nn.Sequential(nn.Linear(64, 32), nn.ReLU())
        self.head = nn.Linear(32, 10)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.head(self.block(x))


class Plain(nn.Module):
    """A plain module with functional activations only."""

    def __init__(self) -> None:
        super().__init__()
        self.fc1 = nn.Linear(64, 32)
        self.fc2 = nn.Linear(32, 10)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.fc2(torch.relu(self.fc1(x)))


def mlp(hidden: int = 32) -> nn.Module:
    return nn.Sequential(nn.Linear(64, hidden), nn.ReLU(), nn.Linear(hidden, 10))


def train(
    model: nn.Module,
    data: Digits,
    *,
    epochs: int,
    run: WatchRun | None = None,
    lr: float = 0.1,
    batch: int = 64,
    optimizer: Callable[..., torch.optim.Optimizer] = torch.optim.SGD,
    seed: int = 0,
) -> torch.optim.Optimizer:
    """A user's own loop; logs to ``run`` when given (train batches, then validation)."""
    torch.manual_seed(seed)
    opt = optimizer(model.parameters(), lr=lr)
    loss_fn = nn.CrossEntropyLoss()
    n = len(data.y_train)
    for _ in range(epochs):
        order = torch.randperm(n)
        for start in range(0, n, batch):
            idx = order[start : start + batch]
            logits = model(data.x_train[idx])
            loss = loss_fn(logits, data.y_train[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            if run is not None:
                run.log(
                    loss=loss, outputs=logits, targets=data.y_train[idx], inputs=data.x_train[idx]
                )
        if run is not None:
            with torch.no_grad():
                logits = model(data.x_val)
                run.log(
                    loss=loss_fn(logits, data.y_val),
                    outputs=logits,
                    targets=data.y_val,
                    split="val",
                )
            run.end_epoch()
    return opt
