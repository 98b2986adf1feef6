"""Demo content for a fresh installation: a few short, finished runs to look at right away,
and the Playground's model zoo (trained once, about 15 s on two cores)."""

from __future__ import annotations

from pathlib import Path

from neuralscope.data import DataConfig
from neuralscope.nets import NetSpec
from neuralscope.runner import RunManager
from neuralscope.training import Hyperparameters, SessionConfig
from neuralscope.zoo import ZOO, ZooCard, installed, train_zoo, zoo_dir


def demo_configs() -> list[SessionConfig]:
    return [
        SessionConfig(
            spec=NetSpec.mlp([6, 6], "tanh"),
            data=DataConfig(dataset="circle", noise=0.1),
            hyperparameters=Hyperparameters(optimizer="adam", learning_rate=0.03, batch_size=10),
            max_steps=600,
        ),
        SessionConfig(
            spec=NetSpec.mlp([16, 16, 8], "relu"),
            data=DataConfig(dataset="spirals", noise=0.0),
            hyperparameters=Hyperparameters(optimizer="adam", learning_rate=0.01, batch_size=16),
            max_steps=2500,
        ),
    ]


def seed_demo(manager: RunManager) -> int:
    """Train the demo runs when the store holds no runs yet; returns how many were added."""
    if manager.store.runs.list(limit=1).total:
        return 0
    configs = demo_configs()
    for config in configs:
        record = manager.create(config, name=f"demo: {config.data.dataset}", start=True)
        live = manager.live(record.id)
        if live is not None:
            live.wait()
    manager.recorder.flush()
    return len(configs)


def seed_zoo(home: Path, scale: float = 1.0) -> list[ZooCard]:
    """Train the zoo entries missing under ``home`` (none when it is installed); returns
    the cards of those trained."""
    present = {card.name for card in installed(zoo_dir(home))}
    missing = [entry for entry in ZOO if entry.name not in present]
    return train_zoo(zoo_dir(home), scale, entries=missing) if missing else []
