"""An app over a temporary home and SQLite database, with its lifespan running."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from neuralscope.config import Settings
from neuralscope.server import create_app


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(home=tmp_path / "home")


@pytest.fixture
def client(settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(settings)) as c:
        yield c


def small_run(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "config": {
            "spec": {"layers": [{"units": 6, "activation": "tanh"}]},
            "data": {"dataset": "circle", "n_samples": 200},
            "hyperparameters": {"optimizer": "adam", "learning_rate": 0.03, "batch_size": 10},
            "seed": 3,
            "max_steps": 200,
        },
        "start": True,
    }
    body.update(overrides)
    return body


def wait_for(client: TestClient, run_id: str, done: Callable[[dict[str, Any]], bool], timeout: float = 30) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while True:
        run: dict[str, Any] = client.get(f"/api/runs/{run_id}").json()
        if done(run):
            return run
        if time.monotonic() > deadline:
            raise AssertionError(f"run never reached the expected state: {run}")
        time.sleep(0.05)
