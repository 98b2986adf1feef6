"""``POST /api/runs/{id}/modules/{module_id}/what-if``: an intervention previewed on a copy of
a live run's model, for any module of its latest snapshot; the run is never changed."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import pytest
import torch
from fastapi.testclient import TestClient
from tests.server.helpers import small_run, wait_for

from neuralscope.training import Session, SessionProbes
from neuralscope.watching.config import WatchRunConfig


def _state(client: TestClient, run_id: str) -> dict[str, torch.Tensor]:
    taken: list[dict[str, torch.Tensor]] = []

    def task(session: Session, probes: SessionProbes) -> list[Any]:
        taken.append({k: v.clone() for k, v in session.model.state_dict().items()})
        return []

    client.app.state.services.runs.call(run_id, task)  # type: ignore[attr-defined]
    return taken[0]


@pytest.mark.slow
def test_any_module_is_previewed_on_a_copy_and_the_run_is_unchanged(client: TestClient) -> None:
    body = small_run()
    body["config"]["spec"] = {
        "layers": [{"units": 8, "activation": "relu"}, {"units": 8, "activation": "relu"}]
    }
    body["config"]["max_steps"] = 400
    run = client.post("/api/runs", json=body).json()
    wait_for(client, run["id"], lambda r: r["status"] == "completed")
    base = f"/api/runs/{run['id']}/modules"
    snapshots = client.get(base).json()["snapshots"]
    modules = snapshots[-1]["payload"]["modules"]
    before = _state(client, run["id"])
    for module in modules:
        for intervention in ("prune", "reinitialize"):
            url = f"{base}/{quote(module['id'], safe='')}/what-if"
            answer = client.post(url, json={"intervention": intervention})
            assert answer.status_code == 200, (url, answer.text)
            out = answer.json()
            assert out["module"] == module["id"]
            assert out["intervention"] == intervention
            assert out["units"] == module["units"]
            assert out["step"] == 400
            assert len(out["accuracy_before"]) == len(out["accuracy_after"]) == 1
            assert len(out["f1_before"][0]) == len(out["f1_after"][0]) == 2  # circle: 2 classes
            assert out["accuracy_before"][0] == pytest.approx(
                snapshots[-1]["payload"]["layers"][0]["full_accuracy"][0]
            )
    after = _state(client, run["id"])
    assert before.keys() == after.keys()
    assert all(torch.equal(before[k], after[k]) for k in before)  # the run's model untouched
    assert client.get(base).json()["snapshots"] == snapshots  # nothing recorded
    # errors: unknown module 404, bad intervention 422, unknown run 404
    missing = client.post(f"{base}/nope%230/what-if", json={"intervention": "prune"})
    assert missing.status_code == 404
    assert "no module 'nope#0'" in missing.json()["error"]["message"]
    first = quote(modules[0]["id"], safe="")
    assert client.post(f"{base}/{first}/what-if", json={"intervention": "x"}).status_code == 422
    assert client.post(f"{base}/{first}/what-if", json={}).status_code == 422
    extra = {"intervention": "prune", "seed": 1}
    assert client.post(f"{base}/{first}/what-if", json=extra).status_code == 422
    nope = client.post("/api/runs/nope/modules/a/what-if", json={"intervention": "prune"})
    assert nope.status_code == 404


def test_a_run_without_a_model_in_memory_is_409(client: TestClient) -> None:
    services = client.app.state.services  # type: ignore[attr-defined]
    config = WatchRunConfig(model="MLP", parameters=10, layers=["1"])
    record = services.store.runs.create(
        name="watched", kind="watch", config=config.model_dump(mode="json")
    )
    answer = client.post(
        f"/api/runs/{record.id}/modules/1%230/what-if", json={"intervention": "prune"}
    )
    assert answer.status_code == 409
    assert "no model in this server's memory" in answer.json()["error"]["message"]
