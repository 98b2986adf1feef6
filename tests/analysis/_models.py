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
