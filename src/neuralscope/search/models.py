"""Trial networks: a :class:`ModelSpec` (spec.json) -> ``nn.Module``, and its layer list.

The family follows the data (image -> CNN, text -> Embedding + LSTM, tabular -> MLP). Modules
get readable names (``dense1``, ``act1``, ``conv2``, ``pool2``, ``lstm``, ``output``): the
health probes and :class:`ArchitectureLayer` rows refer to them.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from typing import Literal

import torch
from pydantic import BaseModel, ConfigDict
from torch import nn

from neuralscope.search.contract import Family
from neuralscope.search.hyperparams import CNNParams, LSTMParams, MLPParams

UnitKind = Literal["relu", "tanh", "sigmoid", "smooth"]

_ACTIVATIONS: dict[str, tuple[type[nn.Module], UnitKind]] = {
    "relu": (nn.ReLU, "relu"),
    "leaky_relu": (nn.LeakyReLU, "relu"),
    "tanh": (nn.Tanh, "tanh"),
    "sigmoid": (nn.Sigmoid, "sigmoid"),
    "gelu": (nn.GELU, "smooth"),
    "elu": (nn.ELU, "smooth"),
}


class ModelSpec(BaseModel):
    """Everything needed to rebuild a trial's network (written as spec.json)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    family: Family
    hyperparams: MLPParams | CNNParams | LSTMParams
    input_shape: list[int]  # (C, H, W) images, (F,) tabular, (L,) text
    n_classes: int
    vocab_size: int | None = None


@dataclass(frozen=True)
class UnitLayer:
    """A layer whose units the health probe watches: which module's output, and how."""

    layer: str  # the parametric module (dense1, conv2, lstm)
    probe: str  # the module whose output holds the units (act1, act2, lstm)
    kind: UnitKind


class TextLSTM(nn.Module):
    """Embedding -> (bi)LSTM -> masked mean over time -> dense head -> output logits."""

    def __init__(self, spec: ModelSpec, p: LSTMParams) -> None:
        super().__init__()
        assert spec.vocab_size is not None
        width = p.lstm_units * (2 if p.bidirectional else 1)
        self.embedding = nn.Embedding(spec.vocab_size, p.embedding_dim, padding_idx=0)
        self.lstm = nn.LSTM(
            p.embedding_dim,
            p.lstm_units,
            num_layers=p.lstm_layers,
            batch_first=True,
            bidirectional=p.bidirectional,
            dropout=p.dropout if p.lstm_layers > 1 else 0.0,
        )
        self.dense1 = nn.Linear(width, p.lstm_units)
        self.act1 = _ACTIVATIONS[p.activation][0]()
        self.dropout1 = nn.Dropout(p.dropout)
        self.output = nn.Linear(p.lstm_units, spec.n_classes)

    def forward(self, tokens: torch.Tensor) -> torch.Tensor:
        states, _ = self.lstm(self.embedding(tokens))
        mask = (tokens != 0).unsqueeze(-1).to(states.dtype)
        pooled = (states * mask).sum(1) / mask.sum(1).clamp(min=1.0)
        logits: torch.Tensor = self.output(self.dropout1(self.act1(self.dense1(pooled))))
        return logits


def build_model(spec: ModelSpec) -> nn.Module:
    """A fresh, randomly initialised network for ``spec`` (seed torch first to reproduce it)."""
    p = spec.hyperparams
    if isinstance(p, LSTMParams):
        return TextLSTM(spec, p)
    modules: OrderedDict[str, nn.Module] = OrderedDict()
    act = _ACTIVATIONS[p.activation][0]
    if isinstance(p, CNNParams):
        channels, side = spec.input_shape[0], min(spec.input_shape[1:])
        filters = float(p.filters)
        for i in range(1, p.conv_blocks + 1):
            out = max(1, round(filters))
            modules[f"conv{i}"] = nn.Conv2d(channels, out, p.kernel_size, padding="same")
            if p.batch_norm:
                modules[f"bn{i}"] = nn.BatchNorm2d(out)
            modules[f"act{i}"] = act()
            if side >= 2:
                modules[f"pool{i}"] = nn.MaxPool2d(2)
                side //= 2
            channels, filters = out, filters * p.filters_growth
        modules["flatten"] = nn.Flatten()
        width = channels * _spatial(spec.input_shape, p)
        widths = [p.dense_units] if p.dense_units else []
        first = p.conv_blocks + 1
    else:
        assert isinstance(p, MLPParams)
        width, first = spec.input_shape[0], 1
        widths = [max(1, round(p.units * p.width_shrink**i)) for i in range(p.n_layers)]
    for i, units in enumerate(widths, start=first):
        modules[f"dense{i}"] = nn.Linear(width, units)
        if p.batch_norm:
            modules[f"bn{i}"] = nn.BatchNorm1d(units)
        modules[f"act{i}"] = act()
        if p.dropout > 0:
            modules[f"dropout{i}"] = nn.Dropout(p.dropout)
        width = units
    modules["output"] = nn.Linear(width, spec.n_classes)
    return nn.Sequential(modules)


def _spatial(input_shape: list[int], p: CNNParams) -> int:
    h, w = input_shape[1], input_shape[2]
    side = min(h, w)
    for _ in range(p.conv_blocks):
        if side >= 2:
            h, w, side = h // 2, w // 2, side // 2
    return h * w


def unit_layers(model: nn.Module, spec: ModelSpec) -> list[UnitLayer]:
    """The layers with units, input to output, and where their activations are read."""
    kind = _ACTIVATIONS[spec.hyperparams.activation][1]
    names = dict(model.named_children())
    layers = [UnitLayer("lstm", "lstm", "tanh")] if "lstm" in names else []
    for name in names:
        if name.startswith(("conv", "dense")):
            index = name.removeprefix("conv").removeprefix("dense")
            layers.append(UnitLayer(name, f"act{index}", kind))
    return layers


def count_params(model: nn.Module) -> int:
    return sum(p.numel() for p in model.parameters())
