"""A tiny-scale zoo trained once per test session, copied into each test's home."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from neuralscope.zoo import train_zoo

TINY = 0.002  # a few steps per entry: enough to move the weights off their init


@pytest.fixture(scope="session")
def tiny_zoo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("tiny-zoo")
    train_zoo(directory, TINY)
    return directory


def install(zoo: Path, home: Path) -> Path:
    """Copy a trained zoo into ``home`` (as `neuralscope zoo train --home HOME` would)."""
    target = home / "zoo"
    shutil.copytree(zoo, target)
    return target
