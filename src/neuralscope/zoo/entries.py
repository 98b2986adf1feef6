"""The Playground's model zoo: which small models it holds and how each one is trained.

Each entry is a complete :class:`~neuralscope.training.SessionConfig` (net spec, dataset
config, hyperparameters, seed) plus a step budget; :mod:`neuralscope.zoo.train` trains it
with the same :class:`~neuralscope.training.Session` the Playground uses, so a fine-tuned run
starts from exactly the weights and data split the zoo model was trained on.
"""

from __future__ import annotations

from dataclasses import dataclass

from neuralscope.data import DataConfig
from neuralscope.nets import NetSpec
from neuralscope.training import Hyperparameters, SessionConfig

ADAM = Hyperparameters(optimizer="adam", learning_rate=0.01, batch_size=32)


@dataclass(frozen=True)
class ZooEntry:
    """One zoo model: a name (its files' stem), what it shows, its config and step budget."""

    name: str
    title: str
    description: str
    config: SessionConfig
    steps: int


_DIGITS = DataConfig(dataset="digits", n_samples=1797, validation_fraction=0.2)

ZOO: tuple[ZooEntry, ...] = (
    ZooEntry(
        "spirals",
        "Two spirals, 16-16 tanh MLP",
        "Two interleaved spirals: a curved boundary that needs two hidden layers.",
        SessionConfig(
            spec=NetSpec.mlp([16, 16], "tanh"),
            data=DataConfig(dataset="spirals", n_samples=600, noise=0.05),
            hyperparameters=ADAM,
        ),
        3000,
    ),
    ZooEntry(
        "blobs",
        "Four blobs, 8 ReLU units",
        "Four Gaussian clusters: a multi-class boundary one small hidden layer can draw.",
        SessionConfig(
            spec=NetSpec.mlp([8], "relu"),
            data=DataConfig(dataset="blobs", n_classes=4, n_samples=600, noise=0.1),
            hyperparameters=ADAM,
        ),
        800,
    ),
    ZooEntry(
        "digits_mlp",
        "Digits 8x8, 64-unit MLP",
        "scikit-learn's 8x8 handwritten digits, flattened into a 64-unit ReLU layer.",
        SessionConfig(
            spec=NetSpec.model_validate(
                {"layers": [{"type": "flatten"}, {"units": 64, "activation": "relu"}]}
            ),
            data=_DIGITS,
            hyperparameters=ADAM,
        ),
        1500,
    ),
    ZooEntry(
        "digits_cnn",
        "Digits 8x8, small CNN",
        "The same digits through 8 3x3 filters, 2x2 max pooling and a 32-unit dense layer.",
        SessionConfig(
            spec=NetSpec.model_validate(
                {
                    "layers": [
                        {"type": "conv2d", "filters": 8, "kernel_size": 3, "padding": "same"},
                        {"type": "maxpool2d", "pool_size": 2},
                        {"type": "flatten"},
                        {"units": 32, "activation": "relu"},
                    ]
                }
            ),
            data=_DIGITS,
            hyperparameters=ADAM,
        ),
        1500,
    ),
)
ZOO_BY_NAME: dict[str, ZooEntry] = {entry.name: entry for entry in ZOO}
