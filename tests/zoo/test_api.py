"""``/api/zoo``: list, fine-tune from the trained weights, register with Analytics."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from neuralscope.config import Settings
from neuralscope.server import create_app
from neuralscope.zoo import ZOO, load_card

from .conftest import install


@pytest.fixture
def home(tmp_path: Path) -> Path:
    return tmp_path / "home"


@pytest.fixture
def client(home: Path) -> Iterator[TestClient]:
    with TestClient(create_app(Settings(home=home))) as c:
        yield c


@pytest.fixture
def zoo(tiny_zoo: Path, home: Path) -> Path:
    return install(tiny_zoo, home)


def _first_metrics(client: TestClient, run_id: str) -> dict[str, float]:
    series = client.get(f"/api/runs/{run_id}/metrics").json()["series"]
    assert all(s["steps"][0] == 0 for s in series.values())
    return {name: s["values"][0] for name, s in series.items()}


def test_without_the_zoo_the_list_is_empty_and_says_the_command(client: TestClient) -> None:
    body = client.get("/api/zoo").json()
    assert body == {
        "items": [],
        "missing": [e.name for e in ZOO],
        "command": "neuralscope zoo train",
    }
    for path in ("/api/zoo/spirals/runs", "/api/zoo/spirals/analyze"):
        response = client.post(path)
        assert response.status_code == 409
        error = response.json()["error"]
        assert error["code"] == "zoo_not_installed"
        assert "neuralscope zoo train" in error["message"]


def test_unknown_names_are_404(client: TestClient, zoo: Path) -> None:
    for path in ("/api/zoo/nope/runs", "/api/zoo/nope/analyze", "/api/zoo/..%2Fzoo%2Fspirals/runs"):
        response = client.post(path)
        assert response.status_code == 404, path
        assert response.json()["error"]["code"] == "not_found"


def test_list_gives_each_model_with_metrics_spec_and_config(client: TestClient, zoo: Path) -> None:
    body = client.get("/api/zoo").json()
    assert body["missing"] == []
    assert [m["name"] for m in body["items"]] == [e.name for e in ZOO]
    for item in body["items"]:
        card = load_card(zoo, item["name"])
        assert item["metrics"] == card.metrics
        assert item["config"] == card.config.model_dump(mode="json")
        assert item["input_shape"] == card.export.input_shape
        assert item["task"] == card.export.task


@pytest.mark.parametrize("name", ["spirals", "digits_cnn"])
def test_fine_tuning_starts_from_the_saved_model_not_a_fresh_init(
    client: TestClient, zoo: Path, name: str
) -> None:
    """Ground truth: the run's first recorded metrics are the card's; the same config as a
    plain run (its seeded init) records different ones."""
    card = load_card(zoo, name)
    response = client.post(f"/api/zoo/{name}/runs", json={"start": False})
    assert response.status_code == 201
    run = response.json()
    assert run["config"] == card.config.model_dump(mode="json")
    assert run["status"] == "created"
    first = _first_metrics(client, run["id"])
    assert first["val/accuracy"] == card.metrics["val/accuracy"]
    assert first["val/loss"] == pytest.approx(card.metrics["val/loss"], rel=1e-6)
    assert first["val/f1"] == pytest.approx(card.metrics["val/f1"], rel=1e-6)

    plain = client.post("/api/runs", json={"config": run["config"], "start": False}).json()
    assert _first_metrics(client, plain["id"])["val/loss"] != pytest.approx(
        first["val/loss"], rel=1e-3
    )


def test_fine_tuning_takes_other_hyperparameters_and_trains_on(
    client: TestClient, zoo: Path
) -> None:
    body: dict[str, Any] = {
        "name": "my blobs",
        "hyperparameters": {"optimizer": "sgd", "learning_rate": 0.1},
        "max_steps": 20,
    }
    run = client.post("/api/zoo/blobs/runs", json=body).json()
    hp = run["config"]["hyperparameters"]
    assert (hp["optimizer"], hp["learning_rate"], hp["batch_size"]) == ("sgd", 0.1, 32)
    assert run["name"] == "my blobs"
    assert run["config"]["max_steps"] == 20
    assert run["config"]["data"] == load_card(zoo, "blobs").config.data.model_dump(mode="json")
    for _ in range(400):
        run = client.get(f"/api/runs/{run['id']}").json()
        if run["status"] == "completed":
            break
        time.sleep(0.05)
    assert run["status"] == "completed"
    assert run["last_step"] == 20


def test_bad_hyperparameters_are_422(client: TestClient, zoo: Path) -> None:
    bad = client.post("/api/zoo/blobs/runs", json={"hyperparameters": {"learning_rate": -1}})
    assert bad.status_code == 422
    assert "learning_rate" in bad.json()["error"]["message"]
    assert client.post("/api/zoo/blobs/runs", json={"epochs": 3}).status_code == 422


def test_analyze_registers_an_executable_model_with_analytics(
    client: TestClient, zoo: Path
) -> None:
    response = client.post("/api/zoo/digits_cnn/analyze")
    assert response.status_code == 201
    model = response.json()
    assert model["format"] == "torch.export"
    assert model["input_shape"] == [1, 1, 8, 8]
    assert model["name"] == "zoo-digits_cnn.pt2"
    again = client.post("/api/zoo/digits_cnn/analyze").json()
    assert again["id"] == model["id"]  # content-addressed: one model however often inspected
    summary = client.get(f"/api/models/{model['id']}/summary")
    assert summary.status_code == 200
    assert [m["id"] for m in client.get("/api/models").json()["items"]] == [model["id"]]


def test_routes_are_in_the_openapi_schema(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    assert paths["/api/zoo"]["get"]["operationId"] == "list_zoo"
    runs = paths["/api/zoo/{name}/runs"]["post"]
    assert runs["operationId"] == "fine_tune_zoo_model"
    assert {"201", "404", "409", "422", "429"} <= set(runs["responses"])
    assert {"201", "404", "409"} <= set(paths["/api/zoo/{name}/analyze"]["post"]["responses"])
