"""Train the Playground's small model zoo with neuralscope's own engine.

Each entry is a :class:`neuralscope.training.SessionConfig`; the script trains it with a
:class:`~neuralscope.training.Session` and writes ``<name>.safetensors`` (weights) and
``<name>.json`` (the :class:`~neuralscope.training.export.ExportSpec` plus the final validation
metrics) into the output folder. Weights are generated, never committed.

    python scripts/train_zoo.py OUT_DIR [--scale 1.0]

``--scale`` multiplies every step budget (tests use a tiny one).
"""

from __future__ import annotations

import argparse
import json
from dataclasses import dataclass
from pathlib import Path

import torch

from neuralscope.data import DataConfig
from neuralscope.nets import NetSpec
from neuralscope.training import Hyperparameters, Session, SessionConfig
from neuralscope.training.export import export_spec, to_safetensors

ADAM = Hyperparameters(optimizer="adam", learning_rate=0.01, batch_size=32)


@dataclass(frozen=True)
class ZooEntry:
    name: str
    config: SessionConfig
    steps: int


ZOO = [
    ZooEntry(
        "spirals",
        SessionConfig(
            spec=NetSpec.mlp([16, 16], "tanh"),
            data=DataConfig(dataset="spirals", n_samples=600, noise=0.05),
            hyperparameters=ADAM,
        ),
        3000,
    ),
    ZooEntry(
        "blobs",
        SessionConfig(
            spec=NetSpec.mlp([8], "relu"),
            data=DataConfig(dataset="blobs", n_classes=4, n_samples=600, noise=0.1),
            hyperparameters=ADAM,
        ),
        800,
    ),
    ZooEntry(
        "digits_mlp",
        SessionConfig(
            spec=NetSpec.model_validate(
                {"layers": [{"type": "flatten"}, {"units": 64, "activation": "relu"}]}
            ),
            data=DataConfig(dataset="digits", n_samples=1797, validation_fraction=0.2),
            hyperparameters=ADAM,
        ),
        1500,
    ),
    ZooEntry(
        "digits_cnn",
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
            data=DataConfig(dataset="digits", n_samples=1797, validation_fraction=0.2),
            hyperparameters=ADAM,
        ),
        1500,
    ),
]


def train_entry(entry: ZooEntry, out_dir: Path, scale: float = 1.0) -> dict[str, float]:
    """Train one entry, write its two files, return its final validation metrics."""
    session = Session(entry.config)
    session.start()
    for _ in range(max(1, round(entry.steps * scale))):
        session.step()
    _, val, metrics = session.evaluate_all()
    summary = {k: v for k, v in metrics.items() if k.startswith("val/")}
    summary["val/loss"] = val.loss
    if session.task != "regression":
        summary["val/accuracy"] = val.accuracy
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / f"{entry.name}.safetensors").write_bytes(to_safetensors(session.model))
    card = {
        "name": entry.name,
        "export": export_spec(entry.config.spec, entry.config.data).model_dump(mode="json"),
        "config": entry.config.model_dump(mode="json"),
        "steps": session.global_step,
        "metrics": summary,
    }
    (out_dir / f"{entry.name}.json").write_text(json.dumps(card, indent=2))
    return summary


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--scale", type=float, default=1.0, help="Multiply every step budget")
    args = parser.parse_args(argv)
    torch.set_num_threads(1)
    for entry in ZOO:
        metrics = train_entry(entry, args.out_dir, args.scale)
        shown = ", ".join(f"{k}={v:.3f}" for k, v in sorted(metrics.items()))
        print(f"{entry.name}: {shown}")


if __name__ == "__main__":
    main()
