"""Write the web app's component-test fixtures from REAL API responses.

Usage: python scripts/web_fixtures.py OUT_DIR

Trains a short run on a temporary database through the real app (REST + WebSocket), with a
pause, a hyperparameter change and a resume, and saves what the server answered:

    runs.json      GET /api/runs
    run.json       GET /api/runs/{id}
    snapshot.json  GET /api/runs/{id}/snapshot (= the WebSocket's first message)
    messages.json  the WebSocket messages after the snapshot, as received
    data.json      GET /api/runs/{id}/data
    datasets.json  GET /api/datasets
    error.json     the 409 body of an illegal control action
    shared.json    GET /api/shared/{token} for a share link of the run (POST /api/runs/{id}/share)
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import torch
from fastapi.testclient import TestClient

from neuralscope.config import Settings
from neuralscope.server import create_app

RUN = {
    "name": "fixture run",
    "config": {
        "spec": {
            "layers": [{"units": 6, "activation": "tanh"}, {"units": 4, "activation": "tanh"}]
        },
        "data": {"dataset": "circle", "n_samples": 200, "noise": 0.05},
        "hyperparameters": {"optimizer": "adam", "learning_rate": 0.03, "batch_size": 10},
        "seed": 7,
        "max_steps": 1500,  # long enough that pausing it is never a race
    },
    "start": False,
}


def _ok(response: Any) -> None:
    if response.status_code != 200:
        raise RuntimeError(f"fixture run refused a control action: {response.text}")


def _wait(client: TestClient, run_id: str, status: str) -> None:
    deadline = time.monotonic() + 60
    while client.get(f"/api/runs/{run_id}").json()["status"] != status:
        if time.monotonic() > deadline:
            raise RuntimeError(f"run {run_id} never reached {status}")
        time.sleep(0.05)


def write_fixtures(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    torch.set_num_threads(1)
    with (
        tempfile.TemporaryDirectory() as home,
        TestClient(create_app(Settings(home=Path(home)))) as client,
    ):
        run_id = client.post("/api/runs", json=RUN).json()["id"]
        messages: list[Any] = []
        with client.websocket_connect(f"/ws/runs/{run_id}") as ws:
            ws.receive_json()  # the snapshot of the not-yet-started run
            control = f"/api/runs/{run_id}/control"
            client.post(control, json={"action": "start"})
            while len(messages) < 3:
                messages.append(ws.receive_json())
            client.post(control, json={"action": "pause"})
            client.post(
                control,
                json={
                    "action": "set",
                    "hyperparameters": {"optimizer": "sgd", "learning_rate": 0.1},
                },
            )
            client.post(control, json={"action": "resume"})
            _wait(client, run_id, "completed")
            while not any(
                e["kind"] == "status" and e["payload"]["status"] == "completed"
                for m in messages
                for e in m["events"]
            ):
                messages.append(ws.receive_json())
        error = client.post(f"/api/runs/{run_id}/control", json={"action": "resume"}).json()
        responses = {
            "runs.json": client.get("/api/runs").json(),
            "run.json": client.get(f"/api/runs/{run_id}").json(),
            "snapshot.json": client.get(f"/api/runs/{run_id}/snapshot").json(),
            "messages.json": messages,
            "data.json": client.get(f"/api/runs/{run_id}/data").json(),
            "datasets.json": client.get("/api/datasets").json(),
            "error.json": error,
        }
        share = client.post(f"/api/runs/{run_id}/share")
        if share.status_code != 201:
            raise RuntimeError(f"fixture run could not be shared: {share.text}")
        responses["shared.json"] = client.get(f"/api/shared/{share.json()['token']}").json()
    for name, body in responses.items():
        (out / name).write_text(json.dumps(body, indent=1) + "\n")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    write_fixtures(Path(sys.argv[1]))
