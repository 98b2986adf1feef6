"""The Playground's engine routes: dataset catalogue, shapes, backprop steps, export."""

from __future__ import annotations

import json

from fastapi.testclient import TestClient
from safetensors.torch import load
from tests.server.helpers import small_run

from neuralscope.events import CompactArray


def test_dataset_catalogue_lists_every_registered_set(client: TestClient) -> None:
    sets = {d["name"]: d for d in client.get("/api/datasets").json()}
    assert {"spirals", "moons", "blobs", "plane", "sine", "digits", "mnist"} <= set(sets)
    assert sets["blobs"]["task"] == "multiclass"
    assert sets["plane"]["task"] == "regression"
    assert sets["digits"]["input_shape"] == [1, 8, 8]
    assert sets["mnist"]["available"] is False  # a fresh home has no MNIST


def test_shapes_route_reports_shapes_and_the_first_problem(client: TestClient) -> None:
    cnn = {"layers": [{"type": "conv2d", "filters": 4}, {"type": "flatten"}, {"units": 8}]}
    body = client.post("/api/nets/shapes", json={"spec": cnn, "data": {"dataset": "digits"}})
    out = body.json()
    assert out["error"] is None
    assert [layer["output_shape"] for layer in out["layers"]] == [[4, 6, 6], [144], [8], [10]]
    assert out["total_parameters"] == 4 * 10 + 0 + 8 * 145 + 10 * 9
    bad = {"layers": [{"units": 8}, {"type": "conv2d", "filters": 2}]}
    out = client.post("/api/nets/shapes", json={"spec": bad}).json()
    assert out["error"]["field"] == "layers.1.type"
    assert [layer["name"] for layer in out["layers"]] == ["dense1"]


def test_invalid_graph_is_refused_with_its_field(client: TestClient) -> None:
    body = small_run()
    body["config"]["data"] = {"dataset": "digits", "n_samples": 100}
    response = client.post("/api/runs", json=body)
    assert response.status_code == 422
    assert "spec.layers.0.type" in response.json()["error"]["message"]


def test_backprop_step_on_a_created_run_is_recorded(client: TestClient) -> None:
    run = client.post("/api/runs", json=small_run(start=False)).json()
    trace = client.post(f"/api/runs/{run['id']}/backprop").json()
    assert trace["step"] == 1
    assert [layer["name"] for layer in trace["layers"]] == ["dense1", "output"]
    assert len(trace["layers"][0]["grad_weight"]) == 6
    assert client.get(f"/api/runs/{run['id']}").json()["last_step"] == 1
    again = client.post(f"/api/runs/{run['id']}/backprop").json()
    assert again["step"] == 2
    assert again["inputs"] != trace["inputs"]  # the next batch


def test_backprop_is_refused_while_running(client: TestClient) -> None:
    body = small_run()
    body["config"]["max_steps"] = None
    run = client.post("/api/runs", json=body).json()
    response = client.post(f"/api/runs/{run['id']}/backprop")
    assert response.status_code == 409
    client.post(f"/api/runs/{run['id']}/control", json={"action": "stop"})


def test_backprop_is_refused_for_conv_nets(client: TestClient) -> None:
    body = small_run(start=False)
    body["config"]["data"] = {"dataset": "digits", "n_samples": 100}
    body["config"]["spec"] = {"layers": [{"type": "flatten"}, {"units": 4}]}
    run = client.post("/api/runs", json=body).json()
    response = client.post(f"/api/runs/{run['id']}/backprop")
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "unsupported"
    samples = client.get(f"/api/runs/{run['id']}/samples", params={"limit": 5}).json()
    images = CompactArray.model_validate(samples["images"]).to_numpy()
    assert images.shape == (5, 8, 8)
    assert len(samples["labels"]) == 5
    assert client.get(f"/api/runs/{run['id']}/data").status_code == 409


def test_export_formats_rebuild_the_same_model(client: TestClient) -> None:
    run = client.post("/api/runs", json=small_run(start=False)).json()
    client.post(f"/api/runs/{run['id']}/backprop")
    url = f"/api/runs/{run['id']}/export"
    weights = load(client.get(f"{url}/safetensors").content)
    spec = json.loads(client.get(f"{url}/spec").content)
    assert spec["spec"]["layers"][0]["units"] == 6
    assert spec["input_shape"] == [2]
    snippet = client.get(f"{url}/pytorch").text
    namespace: dict[str, object] = {}
    exec(compile(snippet, "model.py", "exec"), namespace)
    model = namespace["build"]()  # type: ignore[operator]
    model.load_state_dict(weights)
    assert set(weights) == {"dense1.weight", "dense1.bias", "output.weight", "output.bias"}


def test_data_route_returns_regression_targets(client: TestClient) -> None:
    body = small_run(start=False)
    body["config"]["data"] = {"dataset": "sine", "n_samples": 40}
    run = client.post("/api/runs", json=body).json()
    data = client.get(f"/api/runs/{run['id']}/data").json()
    assert data["task"] == "regression"
    assert all(y == 0.0 for _, y in data["train_x"])
    assert any(abs(v - round(v)) > 1e-3 for v in data["train_y"])  # real-valued targets


def test_export_rejects_unknown_formats(client: TestClient) -> None:
    run = client.post("/api/runs", json=small_run(start=False)).json()
    assert client.get(f"/api/runs/{run['id']}/export/pickle").status_code == 422


def test_evaluation_reports_both_splits_with_confusion(client: TestClient) -> None:
    body = small_run(start=False)
    body["config"]["data"] = {"dataset": "blobs", "n_samples": 90, "n_classes": 3}
    run = client.post("/api/runs", json=body).json()
    out = client.get(f"/api/runs/{run['id']}/evaluation").json()
    assert out["task"] == "multiclass"
    assert out["class_names"] == ["0", "1", "2"]
    val = out["splits"]["val"]
    assert sum(map(sum, val["confusion"])) == val["n_samples"] == 45
    assert len(val["per_class_f1"]) == 3
    assert val["mse"] is None


def test_csv_check_reports_the_table_or_the_bad_cell(client: TestClient) -> None:
    good = client.post(
        "/api/datasets/csv/check",
        content=b"a,b,label\n1,2,x\n3,4,y\n",
        headers={"content-type": "text/csv"},
    )
    assert good.status_code == 200
    assert good.json()["class_names"] == ["x", "y"]
    bad = client.post(
        "/api/datasets/csv/check",
        params={"label_column": "a"},
        content=b"a,b\n1,2\n3,oops\n",
        headers={"content-type": "text/csv"},
    )
    assert bad.status_code == 422
    assert bad.json()["error"] == {
        "code": "invalid_csv",
        "message": "row 3, column 'b': 'oops' is not a finite number",
    }


def test_compare_creates_runs_on_the_same_data_and_seed(client: TestClient) -> None:
    a, b = small_run()["config"], small_run()["config"]
    b["hyperparameters"] = {"optimizer": "sgd", "learning_rate": 0.1, "batch_size": 10}
    out = client.post("/api/runs/compare", json={"configs": [a, b], "start": False})
    assert out.status_code == 201
    runs = out.json()["runs"]
    assert [r["config"]["hyperparameters"]["optimizer"] for r in runs] == ["adam", "sgd"]
    assert runs[0]["config"]["data"] == runs[1]["config"]["data"]
    b["seed"] = 9
    bad = client.post("/api/runs/compare", json={"configs": [a, b]})
    assert bad.status_code == 422
    assert "configs.1" in bad.json()["error"]["message"]
    one = client.post("/api/runs/compare", json={"configs": [a]})
    assert one.status_code == 422
