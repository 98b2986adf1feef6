"""REST API over a real app, a real SQLite database and real training threads."""

from __future__ import annotations

from fastapi.testclient import TestClient
from tests.server.helpers import small_run, wait_for


def test_health_reports_the_database(client: TestClient) -> None:
    body = client.get("/api/health").json()
    assert body["status"] == "ok"
    assert body["database"] == "sqlite"


def test_created_run_trains_to_completion_and_is_listed(client: TestClient) -> None:
    response = client.post("/api/runs", json=small_run())
    assert response.status_code == 201
    run = response.json()
    assert run["kind"] == "playground"
    assert run["config"]["data"]["dataset"] == "circle"

    done = wait_for(client, run["id"], lambda r: r["status"] == "completed")
    assert done["last_step"] == 200
    assert done["finished_at"] is not None
    assert done["summary"]["val/loss"] < 0.69  # better than chance (ln 2) on the circle

    page = client.get("/api/runs", params={"limit": 10}).json()
    assert page["total"] == 1
    assert [r["id"] for r in page["items"]] == [run["id"]]

    series = client.get(f"/api/runs/{run['id']}/metrics").json()["series"]
    loss = series["train/loss"]
    assert loss["steps"] == sorted(loss["steps"])
    assert loss["values"][-1] < loss["values"][0]
    assert any(name.startswith("grad_norm/") for name in series)


def test_pause_set_resume_marks_the_change(client: TestClient) -> None:
    run = client.post("/api/runs", json=small_run(start=False)).json()
    assert run["status"] == "created"
    started = client.post(f"/api/runs/{run['id']}/control", json={"action": "start"})
    assert started.json()["status"] == "running"
    paused = client.post(f"/api/runs/{run['id']}/control", json={"action": "pause"}).json()
    assert paused["status"] == "paused"
    step_at_pause = paused["last_step"]

    changed = client.post(
        f"/api/runs/{run['id']}/control",
        json={"action": "set", "hyperparameters": {"optimizer": "sgd", "learning_rate": 0.1}},
    )
    assert changed.status_code == 200
    events = client.get(
        f"/api/runs/{run['id']}/events", params={"kinds": ["hyperparameters"]}
    ).json()
    (event,) = events["events"]
    changes = {c["name"]: (c["old"], c["new"]) for c in event["payload"]["changes"]}
    assert changes == {"optimizer": ("adam", "sgd"), "learning_rate": (0.03, 0.1)}
    assert event["step"] == step_at_pause

    assert (
        client.post(f"/api/runs/{run['id']}/control", json={"action": "resume"}).json()["status"]
        == "running"
    )
    wait_for(client, run["id"], lambda r: r["status"] == "completed")
    statuses = [
        e["payload"]["status"]
        for e in client.get(f"/api/runs/{run['id']}/events", params={"kinds": ["status"]}).json()[
            "events"
        ]
    ]
    assert statuses[:3] == ["running", "paused", "running"]
    assert statuses[-1] == "completed"


def test_illegal_state_change_is_409(client: TestClient) -> None:
    run = client.post("/api/runs", json=small_run(start=False)).json()
    response = client.post(f"/api/runs/{run['id']}/control", json={"action": "resume"})
    assert response.status_code == 409
    error = response.json()["error"]
    assert error["code"] == "conflict"
    assert "created" in error["message"]

    client.post(f"/api/runs/{run['id']}/control", json={"action": "stop"})
    again = client.post(f"/api/runs/{run['id']}/control", json={"action": "start"})
    assert again.status_code == 409


def test_unknown_run_is_404_everywhere(client: TestClient) -> None:
    for path in ("", "/metrics", "/events", "/snapshot", "/data"):
        response = client.get(f"/api/runs/nope{path}")
        assert response.status_code == 404, path
        assert response.json()["error"]["code"] == "not_found"
    control = client.post("/api/runs/nope/control", json={"action": "pause"})
    assert control.status_code == 404


def test_invalid_spec_is_422_naming_the_field(client: TestClient) -> None:
    body = small_run()
    body["config"]["spec"]["layers"][0]["units"] = 0
    response = client.post("/api/runs", json=body)
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert "config.spec.layers.0.units" in error["message"]

    response = client.post("/api/runs", json={"config": {"data": {"dataset": "moon-landing"}}})
    assert response.status_code == 422
    assert "config.data.dataset" in response.json()["error"]["message"]


def test_set_without_hyperparameters_is_422(client: TestClient) -> None:
    run = client.post("/api/runs", json=small_run(start=False)).json()
    response = client.post(f"/api/runs/{run['id']}/control", json={"action": "set"})
    assert response.status_code == 422
    assert "hyperparameters" in response.json()["error"]["message"]


def test_malformed_json_is_a_json_error(client: TestClient) -> None:
    response = client.post(
        "/api/runs", content=b"{not json", headers={"content-type": "application/json"}
    )
    assert response.status_code == 422
    assert "JSON" in response.json()["error"]["message"]


def test_snapshot_and_data_describe_the_run(client: TestClient) -> None:
    run = client.post("/api/runs", json=small_run()).json()
    wait_for(client, run["id"], lambda r: r["status"] == "completed")
    snapshot = client.get(f"/api/runs/{run['id']}/snapshot").json()
    assert snapshot["type"] == "snapshot"
    assert snapshot["run"]["id"] == run["id"]
    assert {"train/loss", "val/loss", "val/accuracy"} <= set(snapshot["series"])
    kinds = {e["kind"] for e in snapshot["latest"]}
    assert {"boundary", "layer_stats"} <= kinds
    boundary = next(e for e in snapshot["latest"] if e["kind"] == "boundary")
    assert boundary["payload"]["values"]["shape"] == [100, 100]

    data = client.get(f"/api/runs/{run['id']}/data").json()
    assert len(data["train_x"]) + len(data["val_x"]) == 200
    assert set(data["train_y"]) == {0, 1}


def test_unknown_api_path_is_json_404(client: TestClient) -> None:
    response = client.get("/api/nothing-here")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_every_route_has_a_stable_operation_id_and_response_model(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    ids = []
    for path, methods in schema["paths"].items():
        for method, op in methods.items():
            ids.append(op["operationId"])
            ok = op["responses"].get("200") or op["responses"].get("201")
            assert ok, f"{method} {path} has no success response"
            assert "content" in ok, f"{method} {path} has no typed success response"
    assert len(ids) == len(set(ids))
    assert {
        "create_run",
        "list_runs",
        "get_run",
        "control_run",
        "get_run_metrics",
        "get_health",
    } <= set(ids)


def test_no_series_repeats_a_step_after_pauses(client: TestClient) -> None:
    run = client.post(
        "/api/runs", json=small_run(config={**small_run()["config"], "max_steps": 600})
    ).json()
    control = f"/api/runs/{run['id']}/control"
    for _ in range(5):
        client.post(control, json={"action": "pause"})
        client.post(control, json={"action": "resume"})
    wait_for(client, run["id"], lambda r: r["status"] == "completed")
    for name, series in client.get(f"/api/runs/{run['id']}/metrics").json()["series"].items():
        assert len(series["steps"]) == len(set(series["steps"])), name
