"""The Playground's model zoo: small models trained by neuralscope itself, stored as
safetensors + spec under ``<home>/zoo``, to load, inspect and fine-tune.

``neuralscope zoo train`` (or :func:`train_zoo`) installs it; :func:`installed` lists it.
"""

from __future__ import annotations

from neuralscope.zoo.catalog import (
    TRAIN_COMMAND,
    UnknownZooModel,
    ZooCard,
    ZooNotInstalled,
    installed,
    load_card,
    load_model,
    load_weights,
    zoo_dir,
)
from neuralscope.zoo.entries import ZOO, ZOO_BY_NAME, ZooEntry
from neuralscope.zoo.train import ZooProgress, entry_steps, train_entry, train_zoo

__all__ = [
    "TRAIN_COMMAND",
    "ZOO",
    "ZOO_BY_NAME",
    "UnknownZooModel",
    "ZooCard",
    "ZooEntry",
    "ZooNotInstalled",
    "ZooProgress",
    "entry_steps",
    "installed",
    "load_card",
    "load_model",
    "load_weights",
    "train_entry",
    "train_zoo",
    "zoo_dir",
]
