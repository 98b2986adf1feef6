"""Request bodies and polling shared by the server tests."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from fastapi.testclient import TestClient


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


def wait_for(
    client: TestClient, run_id: str, done: Callable[[dict[str, Any]], bool], timeout: float = 30
) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while True:
        run: dict[str, Any] = client.get(f"/api/runs/{run_id}").json()
        if done(run):
            return run
        if time.monotonic() > deadline:
            raise AssertionError(f"run never reached the expected state: {run}")
        time.sleep(0.05)
