"""An ended Playground run keeps its model: export, evaluation and from-run after the end and
after a restart, served from the final model the runner stored (not from a live session).

Oracles: the ended session's own model (captured once its thread let go of it), the run's last
live evaluation (a stopped model is frozen), onnxruntime against the rebuilt torch model, and
the generated PyTorch snippet.
"""

from __future__ import annotations

from typing import Any

import httpx
import numpy as np
import onnxruntime as ort
import torch
from fastapi.testclient import TestClient
from safetensors.torch import load
from tests.server.helpers import small_run, wait_for
from tests.server.test_csv_upload_api import _ring_csv
from tests.test_final_model import assert_same_weights

from neuralscope.config import Settings
from neuralscope.server import create_app
from neuralscope.server.deps import Services
from neuralscope.training import SessionConfig
from neuralscope.training.export import to_safetensors


def services_of(client: TestClient) -> Services:
    services: Services = client.app.state.services  # type: ignore[attr-defined]
    return services


def stopped_after_steps(client: TestClient, steps: int = 3, **config: Any) -> str:
    """A run trained ``steps`` exact steps (backprop steps, no racing thread), then stopped."""
    body = small_run(start=False)
    body["config"].update(config)
    run_id: str = client.post("/api/runs", json=body).json()["id"]
    for _ in range(steps):
        assert client.post(f"/api/runs/{run_id}/backprop").status_code == 200
    return run_id


def let_go(client: TestClient, run_id: str) -> None:
    """Wait for the run's thread to end, then have the manager drop it (creating a run prunes
    ended ones), so the routes must use the stored model."""
    services = services_of(client)
    live = services.runs.live(run_id)
    assert live is not None
    assert live.wait(10)
    other = client.post("/api/runs", json=small_run(start=False)).json()["id"]
    client.post(f"/api/runs/{other}/control", json={"action": "stop"})
    assert services.runs.live(run_id) is None


def model_reads(client: TestClient, run_id: str, fmt: str) -> list[httpx.Response]:
    """Every route that needs the run's model: an export in ``fmt`` and ONNX, the evaluation,
    and registering it for analysis."""
    return [
        client.get(f"/api/runs/{run_id}/export/{fmt}"),
        client.get(f"/api/runs/{run_id}/export/onnx"),
        client.get(f"/api/runs/{run_id}/evaluation"),
        client.post(f"/api/models/from-run/{run_id}"),
    ]


def test_a_stopped_run_exports_and_evaluates_its_frozen_model(client: TestClient) -> None:
    run_id = stopped_after_steps(client, 3, data={"dataset": "blobs", "n_samples": 90})
    live_eval = client.get(f"/api/runs/{run_id}/evaluation").json()
    assert client.get(f"/api/runs/{run_id}").json()["model_available"] is False
    client.post(f"/api/runs/{run_id}/control", json={"action": "stop"})
    live = services_of(client).runs.live(run_id)
    assert live is not None
    assert live.wait(10)
    at_end = to_safetensors(live.session.model)  # the model at its terminal status
    let_go(client, run_id)

    run = client.get(f"/api/runs/{run_id}").json()
    assert (run["status"], run["live"], run["model_available"]) == ("stopped", False, True)
    assert client.get(f"/api/runs/{run_id}/evaluation").json() == live_eval
    url = f"/api/runs/{run_id}/export"
    exported = client.get(f"{url}/safetensors")
    assert exported.status_code == 200
    assert exported.headers["content-disposition"] == 'attachment; filename="model.safetensors"'
    assert_same_weights(exported.content, at_end)
    spec = client.get(f"{url}/spec").json()
    assert spec["task"] == "multiclass"
    assert spec["output_width"] == 3
    namespace: dict[str, Any] = {}
    exec(compile(client.get(f"{url}/pytorch").text, "model.py", "exec"), namespace)
    model = namespace["build"]()
    model.load_state_dict(load(exported.content))
    model.eval()

    onnx = client.get(f"{url}/onnx")
    assert onnx.status_code == 200
    x = torch.randn(17, 2, generator=torch.Generator().manual_seed(0))
    (outputs,) = ort.InferenceSession(onnx.content).run(None, {"input": x.numpy()})
    with torch.no_grad():
        expected = model(x).numpy()
    np.testing.assert_allclose(outputs, expected, atol=1e-5)


def test_from_run_registers_an_ended_runs_model_for_analysis(client: TestClient) -> None:
    run_id = stopped_after_steps(client, 2)
    client.post(f"/api/runs/{run_id}/control", json={"action": "stop"})
    let_go(client, run_id)
    answer = client.post(f"/api/models/from-run/{run_id}")
    assert answer.status_code == 201, answer.text
    model = answer.json()
    assert model["name"].endswith("-step2.safetensors")
    summary = client.get(f"/api/models/{model['id']}/summary")
    assert summary.status_code == 200, summary.text
    report = client.get(f"/api/models/{model['id']}/report").json()
    assert report["architecture"]["method"] == "fx"  # rebuilt from the stored spec
    exported = load(client.get(f"/api/runs/{run_id}/export/safetensors").content)
    stats = {w["name"]: w for w in report["weights"]}
    for name, tensor in exported.items():
        assert (stats[name]["min"], stats[name]["max"]) == (
            tensor.min().item(),
            tensor.max().item(),
        )


def test_a_run_without_a_stored_model_is_409_with_the_reason(client: TestClient) -> None:
    services = services_of(client)
    gone = services.store.runs.create(  # as if its process was killed: no model was stored
        name="killed", kind="playground", config=SessionConfig().model_dump(mode="json")
    )
    assert client.get(f"/api/runs/{gone.id}").json()["model_available"] is False
    for answer in model_reads(client, gone.id, "safetensors"):
        assert answer.status_code == 409, answer.text
        error = answer.json()["error"]
        assert error["code"] == "no_model"
        assert "no model was stored when it ended" in error["message"]
    assert client.get("/api/runs/nope/export/spec").status_code == 404
    assert client.get("/api/runs/nope/evaluation").status_code == 404


def test_a_completed_run_still_exports_after_a_restart(settings: Settings) -> None:
    with TestClient(create_app(settings)) as client:
        run = client.post("/api/runs", json=small_run()).json()
        wait_for(client, run["id"], lambda r: r["status"] == "completed")
        live = services_of(client).runs.live(run["id"])
        assert live is not None
        assert live.wait(10)
        at_end = to_safetensors(live.session.model)
        evaluation = client.get(f"/api/runs/{run['id']}/evaluation").json()
    with TestClient(create_app(settings)) as client:  # the same database and artifact folder
        assert services_of(client).runs.live(run["id"]) is None
        after = client.get(f"/api/runs/{run['id']}").json()
        assert (after["status"], after["model_available"]) == ("completed", True)
        exported = client.get(f"/api/runs/{run['id']}/export/safetensors")
        assert exported.status_code == 200
        assert_same_weights(exported.content, at_end)
        assert client.get(f"/api/runs/{run['id']}/evaluation").json() == evaluation
        listed = client.get("/api/runs").json()["items"]
        assert [r["model_available"] for r in listed if r["id"] == run["id"]] == [True]


def test_an_ended_run_whose_data_is_gone_exports_but_cannot_be_evaluated(
    client: TestClient,
) -> None:
    table = client.post(
        "/api/datasets/csv", content=_ring_csv(60), headers={"content-type": "text/csv"}
    ).json()["table"]
    body = small_run(start=False)
    body["config"]["data"] = {"dataset": "csv", "table": table, "n_samples": 60}
    run_id = client.post("/api/runs", json=body).json()["id"]
    client.post(f"/api/runs/{run_id}/backprop")
    client.post(f"/api/runs/{run_id}/control", json={"action": "stop"})
    let_go(client, run_id)
    assert client.get(f"/api/runs/{run_id}/evaluation").status_code == 200
    services_of(client).store.artifacts.path(table["id"]).unlink()  # the upload is gone
    refused = client.get(f"/api/runs/{run_id}/evaluation")
    assert refused.status_code == 409
    assert refused.json()["error"]["code"] == "data_unavailable"
    assert "cannot be made again" in refused.json()["error"]["message"]
    assert client.get(f"/api/runs/{run_id}/export/safetensors").status_code == 200


def test_a_damaged_stored_model_is_409_not_500(client: TestClient) -> None:
    run_id = stopped_after_steps(client, 1)
    client.post(f"/api/runs/{run_id}/control", json={"action": "stop"})
    let_go(client, run_id)
    store = services_of(client).store
    (weights,) = [a for a in store.artifacts.list_for_run(run_id) if a.name == "model.safetensors"]
    store.artifacts.path(weights.artifact.sha256).write_bytes(b"not safetensors")
    for answer in model_reads(client, run_id, "pytorch"):
        assert answer.status_code == 409, answer.text
        assert "its stored model is damaged" in answer.json()["error"]["message"]
