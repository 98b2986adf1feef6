"""Search routes over a real app and real Optuna studies in the app's own SQLite database."""

from __future__ import annotations

from datetime import UTC
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from optuna.trial import TrialState
from tests.search.catalog_helpers import make_study, seeded_study, write_trial

from neuralscope.config import Settings
from neuralscope.server import create_app


def _create(client: TestClient, **config: Any) -> Any:
    body = {"config": {"name": "digits-1", "dataset": "digits", **config}, "workers": 0}
    return client.post("/api/studies", json=body)


def test_create_get_list_and_conflict(client: TestClient) -> None:
    created = _create(client, objective="accuracy", n_trials=5)
    assert created.status_code == 201, created.text
    study = created.json()["study"]
    assert (study["name"], study["objective"], study["state"]) == ("digits-1", "accuracy", "idle")
    assert study["n_trials"] == 5
    assert study["directions"] == ["maximize"]
    assert created.json()["local_workers"] == 0
    assert client.get("/api/studies/digits-1").json()["study"]["config"]["dataset"] == "digits"
    assert [s["study"]["name"] for s in client.get("/api/studies").json()["items"]] == ["digits-1"]
    again = _create(client)
    assert again.status_code == 409
    assert again.json() == {
        "error": {"code": "conflict", "message": "a study named 'digits-1' already exists"}
    }


def test_create_validation_errors_name_the_field(client: TestClient) -> None:
    bad_name = _create(client, name="no spaces allowed")
    assert bad_name.status_code == 422
    assert bad_name.json()["error"]["message"].startswith("config.name: ")
    unknown = _create(client, dataset="nope")
    assert unknown.status_code == 422
    assert unknown.json()["error"]["message"].startswith("dataset: unknown dataset 'nope'")
    wrong_family = _create(
        client,
        space={"family": "lstm", "params": {"lstm_units": {"type": "int", "low": 8, "high": 64}}},
    )
    assert wrong_family.status_code == 422
    assert "needs the 'cnn' family" in wrong_family.json()["error"]["message"]
    too_many = client.post(
        "/api/studies", json={"config": {"name": "x", "dataset": "digits"}, "workers": 99}
    )
    assert too_many.status_code == 422
    assert too_many.json()["error"]["message"].startswith("workers: ")
    assert client.get("/api/studies").json()["items"] == []


def test_unknown_study_is_404_everywhere(client: TestClient) -> None:
    for path in ("", "/trials", "/best", "/importance", "/pareto", "/compare", "/live"):
        response = client.get(f"/api/studies/nope{path}")
        assert response.status_code == 404, path
        assert response.json() == {
            "error": {"code": "not_found", "message": "no study named 'nope'"}
        }
    assert client.post("/api/studies/nope/cancel").status_code == 404


def test_trials_are_paged_filtered_and_ordered(client: TestClient, settings: Settings) -> None:
    seeded_study(settings.db_url, "s")
    page = client.get("/api/studies/s/trials", params={"limit": 4, "offset": 4}).json()
    assert (page["total"], page["limit"], page["offset"]) == (9, 4, 4)
    assert [t["number"] for t in page["items"]] == [4, 5, 6, 7]
    assert [t["state"] for t in page["items"]] == ["complete", "complete", "pruned", "fail"]
    assert page["items"][0]["metrics"]["health"] == 58.0
    assert page["items"][0]["architecture"][1]["kind"] == "conv2d"
    running = client.get("/api/studies/s/trials", params={"state": "running"}).json()
    assert [t["number"] for t in running["items"]] == [8]
    best = client.get("/api/studies/s/trials", params={"order": "best", "limit": 2}).json()
    assert [t["params"]["units"] for t in best["items"]] == [8, 16]
    bad = client.get("/api/studies/s/trials", params={"limit": 0})
    assert bad.status_code == 422
    assert bad.json()["error"]["message"].startswith("limit: ")
    assert client.get("/api/studies/s/trials/99").status_code == 404


def test_best_importance_pareto_and_compare(client: TestClient, settings: Settings) -> None:
    seeded_study(settings.db_url, "s")
    best = client.get("/api/studies/s/best").json()
    assert best["number"] == 0
    assert best["params"]["units"] == 8
    importance = client.get("/api/studies/s/importance").json()
    assert importance["objective"] == "health"
    names = {p["name"] for p in importance["params"]}
    assert names <= {"units", "learning_rate", "activation"}
    assert "units" in names
    assert client.get("/api/studies/s/importance", params={"objective": 2}).status_code == 422
    pareto = client.get("/api/studies/s/pareto").json()
    assert [t["number"] for t in pareto["front"]] == [0]  # one objective: the best
    assert len(pareto["points"]) == 6
    compare = client.get("/api/studies/s/compare").json()
    assert compare["accuracy_best"]["params"]["units"] == 256
    assert compare["health_best"]["params"]["units"] == 8
    assert compare["same"] is False
    make_study(settings.db_url, "empty")
    empty = client.get("/api/studies/empty/best")
    assert empty.status_code == 404
    assert empty.json()["error"]["message"] == "study 'empty' has no completed trial yet"
    reason = client.get("/api/studies/empty/importance").json()["reason"]
    assert reason == "needs at least 2 completed trials (has 0)"


def test_cancel_marks_the_study(client: TestClient, settings: Settings) -> None:
    assert _create(client).status_code == 201
    cancelled = client.post("/api/studies/digits-1/cancel")
    assert cancelled.status_code == 200
    assert cancelled.json()["study"]["cancelled"] is True
    assert cancelled.json()["study"]["state"] == "cancelled"


def test_downloads_carry_trial_metric_and_time(
    client: TestClient, settings: Settings, tmp_path: Path
) -> None:
    seed = seeded_study(settings.db_url, "s", artifacts=tmp_path / "art")
    files = client.get("/api/studies/s/trials/2/files").json()
    assert files["reason"] is None
    onnx = next(f for f in files["items"] if f["kind"] == "onnx")
    completed = seed.study.trials[2].datetime_complete
    assert completed is not None
    assert onnx["available"] is True
    response = client.get(onnx["url"])
    assert response.status_code == 200
    assert response.content == b"model.onnx of trial 2"
    disposition = response.headers["content-disposition"]
    assert f'filename="{onnx["filename"]}"' in disposition
    # units 32, lr 0.1: accuracy 0.5 + 0.4 * 32 / 200 + 0.01; completed in UTC (Optuna: local)
    assert onnx["filename"] == f"s-trial2-acc0.574-{completed.astimezone(UTC):%Y%m%dT%H%M}.onnx"
    kinds = {f["kind"]: f["filename"] for f in files["items"]}
    assert kinds["config"].endswith("-config.json")
    assert kinds["torchscript"].endswith(".torchscript.pt")
    assert client.get("/api/studies/s/trials/2/files/weights").status_code == 404


def test_files_on_another_machine_say_so(
    client: TestClient, settings: Settings, tmp_path: Path
) -> None:
    seeded_study(settings.db_url, "s", artifacts=tmp_path / "art")
    folder = tmp_path / "art" / "trial-00001"
    for f in folder.iterdir():
        f.unlink()
    folder.rmdir()
    response = client.get("/api/studies/s/trials/1/files/onnx")
    assert response.status_code == 404
    message = response.json()["error"]["message"]
    assert message.startswith("the files of trial 1 are on another machine (worker testhost:1")
    listing = client.get("/api/studies/s/trials/1/files").json()
    assert not any(f["available"] for f in listing["items"])
    running = client.get("/api/studies/s/trials/8/files/onnx").json()["error"]["message"]
    assert running == "trial 8 is running: only completed trials have files"


def test_layout_json_and_its_download(client: TestClient, settings: Settings) -> None:
    seeded_study(settings.db_url, "s")
    layout = client.get("/api/studies/s/trials/3/layout", params={"color_by": "accuracy"}).json()
    assert layout["version"] == 1
    assert [b["kind"] for b in layout["blocks"]] == [
        "input",
        "conv2d",
        "flatten",
        "dense",
        "output",
    ]
    assert layout["blocks"][3]["layer"]["units"] == 64
    download = client.get("/api/studies/s/trials/3/layout", params={"download": True})
    assert download.headers["content-disposition"] == 'attachment; filename="s-trial3-layout.json"'
    assert download.json()["color_by"] == "health"


def test_defaults_offer_datasets_and_spaces(client: TestClient) -> None:
    defaults = client.get("/api/search/defaults").json()
    digits = next(d for d in defaults["datasets"] if d["name"] == "digits")
    assert (digits["kind"], digits["family"], digits["available"]) == ("image", "cnn", True)
    mnist = next(d for d in defaults["datasets"] if d["name"] == "mnist")
    assert mnist["available"] is False
    assert "neuralscope datasets download mnist" in mnist["hint"]
    assert set(defaults["spaces"]) == {"mlp", "cnn", "lstm"}
    assert all(p["help"] for p in defaults["spaces"]["cnn"]["params"].values())


def test_state_is_running_while_a_trial_runs(client: TestClient, settings: Settings) -> None:
    seed = make_study(settings.db_url, "r")
    write_trial(seed, units=8, lr=0.01, state=TrialState.RUNNING)
    assert client.get("/api/studies/r").json()["study"]["state"] == "running"


def test_workers_started_by_the_app_are_stopped_on_shutdown(settings: Settings) -> None:
    with TestClient(create_app(settings)) as client:
        created = client.post(
            "/api/studies",
            json={
                "config": {"name": "digits-2", "dataset": "digits", "n_trials": 50},
                "workers": 1,
            },
        )
        assert created.json()["local_workers"] == 1
        service = client.app.state.search  # type: ignore[attr-defined]
        [worker] = service.workers._workers
        assert worker.process.args[3:] == [
            "worker",
            "--study",
            "digits-2",
            "--storage",
            settings.db_url,
            "--home",
            str(settings.home),
        ]
        assert worker.process.poll() is None
    assert worker.process.poll() is not None  # the lifespan stopped it
    assert (settings.home / "search" / "digits-2" / "server-workers" / "worker-0.log").exists()


def test_a_sampler_seed_seeds_each_local_worker_apart(settings: Settings) -> None:
    with TestClient(create_app(settings)) as client:
        bad = client.post(
            "/api/studies",
            json={"config": {"name": "seeded", "dataset": "digits"}, "sampler_seed": -1},
        )
        assert bad.status_code == 422
        assert bad.json()["error"]["message"].startswith("sampler_seed: ")
        created = client.post(
            "/api/studies",
            json={
                "config": {"name": "seeded", "dataset": "digits", "n_trials": 50},
                "workers": 2,
                "sampler_seed": 7,
            },
        )
        assert created.status_code == 201
        service = client.app.state.search  # type: ignore[attr-defined]
        seeds = [w.process.args[-2:] for w in service.workers._workers]
        assert seeds == [["--seed", "7"], ["--seed", "1007"]]
