"""Small models with known properties for the analysis tests."""

from __future__ import annotations

import itertools

import torch
from torch import nn


def kaiming_(model: nn.Module) -> nn.Module:
    for m in model.modules():
        if isinstance(m, nn.Linear | nn.Conv2d):
            nn.init.kaiming_normal_(m.weight, nonlinearity="relu")
            nn.init.zeros_(m.bias)
    return model


def mlp(seed: int = 0, widths: tuple[int, ...] = (32, 64, 64, 64, 64, 10)) -> nn.Sequential:
    """Kaiming-initialised ReLU MLP; Linear layers are named "0", "2", "4", ..."""
    torch.manual_seed(seed)
    layers: list[nn.Module] = []
    for i, (a, b) in enumerate(itertools.pairwise(widths)):
        layers.append(nn.Linear(a, b))
        if i < len(widths) - 2:
            layers.append(nn.ReLU())
    return kaiming_(nn.Sequential(*layers))  # type: ignore[return-value]


def cnn(seed: int = 0) -> nn.Sequential:
    torch.manual_seed(seed)
    model = nn.Sequential(
        nn.Conv2d(3, 16, 3, padding=1),
        nn.ReLU(),
        nn.Conv2d(16, 32, 3, padding=1),
        nn.ReLU(),
        nn.AdaptiveAvgPool2d(1),
        nn.Flatten(),
        nn.Linear(32, 10),
    )
    return kaiming_(model)  # type: ignore[return-value]


class Block(nn.Module):
    """A residual block: relu(x + conv2(relu(conv1(x))))."""

    def __init__(self, c: int) -> None:
        super().__init__()
        self.conv1 = nn.Conv2d(c, c, 3, padding=1)
        self.relu = nn.ReLU()
        self.conv2 = nn.Conv2d(c, c, 3, padding=1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.relu(x + self.conv2(self.relu(self.conv1(x))))


def resnet(seed: int = 0, dead: bool = False) -> nn.Sequential:
    """Stem "0", residual blocks "1" and "2", pool, flatten, head "5"; input 1x3x16x16.
    With ``dead``, channels 2 and 5 of "1.conv1" can never fire (zero kernel, bias -1)."""
    torch.manual_seed(seed)
    net = nn.Sequential(
        nn.Conv2d(3, 8, 3, padding=1),
        Block(8),
        Block(8),
        nn.AdaptiveAvgPool2d(1),
        nn.Flatten(),
        nn.Linear(8, 10),
    )
    kaiming_(net)
    if dead:
        with torch.no_grad():
            conv = net[1].conv1
            conv.weight[[2, 5]] = 0.0
            conv.bias[[2, 5]] = -1.0
    return net.eval()
