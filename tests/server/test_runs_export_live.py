"""Exporting ONNX from a run that is training: the run survives and goes on training.

torch's ONNX exporter changes process-wide fx state; an optimizer step on another thread at
the same moment failed with KeyError 'custom' (found by the Playground's browser test). The
route pauses a running run around the export and resumes it.
"""

from __future__ import annotations

import time

import pytest
from fastapi.testclient import TestClient


@pytest.mark.slow
def test_onnx_export_of_a_running_run_pauses_it_around_the_export(client: TestClient) -> None:
    run = client.post("/api/runs", json={"config": {"data": {"dataset": "circle"}}, "start": True})
    run_id = run.json()["id"]
    try:
        for _ in range(2):
            exported = client.get(f"/api/runs/{run_id}/export/onnx")
            assert exported.status_code == 200
            assert len(exported.content) > 1000
        step = client.get(f"/api/runs/{run_id}").json()["last_step"]
        deadline = time.monotonic() + 30
        while client.get(f"/api/runs/{run_id}").json()["last_step"] <= step:
            assert time.monotonic() < deadline, "the run stopped training after the export"
            time.sleep(0.05)
        record = client.get(f"/api/runs/{run_id}").json()
        assert record["status"] == "running"
        assert record["error"] is None
        events = client.get(f"/api/runs/{run_id}/events", params={"kinds": "status"}).json()
        statuses = [e["payload"]["status"] for e in events["events"]]
        assert statuses == ["running", "paused", "running", "paused", "running"]
    finally:
        client.post(f"/api/runs/{run_id}/control", json={"action": "stop"})
