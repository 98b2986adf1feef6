"""The installed zoo: ``<home>/zoo/<name>.safetensors`` (weights) + ``<name>.json`` (card).

The card is a :class:`ZooCard`: the :class:`~neuralscope.training.export.ExportSpec` (the same
spec JSON the Playground's export writes), the full :class:`~neuralscope.training.SessionConfig`
(dataset config, hyperparameters, seed) and the final validation metrics. Weights are read with
safetensors (no code runs on load). Only names of :data:`~neuralscope.zoo.entries.ZOO` are
ever looked up, so a name from a URL never becomes an arbitrary path.
"""

from __future__ import annotations

from pathlib import Path

import torch
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from safetensors import SafetensorError
from safetensors.torch import load_file
from torch import nn

from neuralscope.nets import build_model
from neuralscope.training import SessionConfig
from neuralscope.training.export import ExportSpec
from neuralscope.zoo.entries import ZOO, ZOO_BY_NAME

TRAIN_COMMAND = "neuralscope zoo train"
CARD_VERSION = 1


class ZooCard(BaseModel):
    """What a zoo model is, what it was trained on and how well it does on validation."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str
    title: str
    description: str
    export: ExportSpec
    config: SessionConfig
    steps: int = Field(ge=0, description="Optimizer steps it was trained for")
    scale: float = Field(gt=0.0, description="Fraction of the entry's full step budget")
    seconds: float = Field(ge=0.0, description="Training time")
    metrics: dict[str, float] = Field(description="Final validation metrics (val/...)")
    card_version: int = CARD_VERSION


class UnknownZooModel(KeyError):
    """No zoo entry has this name."""


class ZooNotInstalled(LookupError):
    """The entry exists but its files are missing or unreadable; ``neuralscope zoo train``."""


def zoo_dir(home: Path) -> Path:
    """Where the zoo lives under a neuralscope home directory."""
    return home / "zoo"


def card_path(directory: Path, name: str) -> Path:
    return directory / f"{name}.json"


def weights_path(directory: Path, name: str) -> Path:
    return directory / f"{name}.safetensors"


def _entry_name(name: str) -> str:
    if name not in ZOO_BY_NAME:
        raise UnknownZooModel(f"no zoo model named {name!r}; known: {', '.join(ZOO_BY_NAME)}")
    return name


def load_card(directory: Path, name: str) -> ZooCard:
    """The card of an installed entry.

    Raises:
        UnknownZooModel: ``name`` is not a zoo entry.
        ZooNotInstalled: its card or weights are missing, or the card is unreadable.
    """
    path = card_path(directory, _entry_name(name))
    if not path.is_file() or not weights_path(directory, name).is_file():
        raise ZooNotInstalled(f"the zoo model {name!r} is not installed; run `{TRAIN_COMMAND}`")
    try:
        return ZooCard.model_validate_json(path.read_bytes())
    except (ValidationError, OSError) as exc:
        raise ZooNotInstalled(
            f"the zoo card {path.name} is unreadable ({type(exc).__name__}); "
            f"run `{TRAIN_COMMAND}` again"
        ) from exc


def load_weights(directory: Path, name: str) -> dict[str, torch.Tensor]:
    """The entry's state dict (CPU tensors), read safely from safetensors."""
    path = weights_path(directory, _entry_name(name))
    if not path.is_file():
        raise ZooNotInstalled(f"the zoo model {name!r} is not installed; run `{TRAIN_COMMAND}`")
    try:
        return load_file(path)
    except (SafetensorError, OSError) as exc:
        raise ZooNotInstalled(
            f"the zoo weights {path.name} are unreadable; run `{TRAIN_COMMAND}` again"
        ) from exc


def load_model(directory: Path, name: str) -> nn.Sequential:
    """The entry's network rebuilt from its spec with the saved weights, in eval mode."""
    card = load_card(directory, name)
    spec = card.export
    model = build_model(spec.spec, spec.input_shape, spec.output_width, features=spec.data.features)
    model.load_state_dict(load_weights(directory, name))
    return model.eval()


def installed(directory: Path) -> list[ZooCard]:
    """Cards of the installed entries, in zoo order (missing or unreadable ones left out)."""
    cards = []
    for entry in ZOO:
        try:
            cards.append(load_card(directory, entry.name))
        except ZooNotInstalled:
            continue
    return cards
