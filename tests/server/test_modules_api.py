"""``/api/runs/{id}/modules``: recorded module snapshots, and re-running a live run's
decomposition with another method."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from tests.server.helpers import small_run, wait_for

from neuralscope.events import ModulesEvent
from neuralscope.watching.config import WatchRunConfig


def _config(max_steps: int | None) -> dict[str, Any]:
    body = small_run()
    body["config"]["spec"] = {
        "layers": [{"units": 8, "activation": "relu"}, {"units": 8, "activation": "relu"}]
    }
    body["config"]["max_steps"] = max_steps
    return body


@pytest.mark.slow
def test_a_completed_run_serves_its_module_snapshots(client: TestClient) -> None:
    run = client.post("/api/runs", json=_config(400)).json()
    wait_for(client, run["id"], lambda r: r["status"] == "completed")
    answer = client.get(f"/api/runs/{run['id']}/modules")
    assert answer.status_code == 200
    snapshots = [ModulesEvent.model_validate(s) for s in answer.json()["snapshots"]]
    steps = [s.step for s in snapshots]
    assert steps[0] == 200  # the default cadence
    assert steps[-1] == 400  # and once more at completion, as an evaluation
    assert steps == sorted(steps)
    assert not snapshots[0].payload.evaluated
    final = snapshots[-1].payload
    assert final.evaluated
    assert [layer.layer for layer in final.layers] == ["act1", "act2"]
    assert {m.layer for m in final.modules} == {"act1", "act2"}
    assert all(m.scores is not None for m in final.modules)
    assert final.links
    assert all(link.gradient is not None for link in final.links)
    ids = {m.id for m in final.modules}  # links name the modules' persistent ids
    assert all(link.source in ids and link.target in ids for link in final.links)
    later = client.get(f"/api/runs/{run['id']}/modules", params={"after_step": 200}).json()
    assert [s["step"] for s in later["snapshots"]] == steps[1:]
    series = client.get(f"/api/runs/{run['id']}/metrics").json()["series"]
    assert "modularity/act1" in series
    module_id = final.modules[0].id
    assert series[f"module/{module_id}/units"]["values"][-1] == len(final.modules[0].units)
    # ended, but this server still holds its session: it can be re-decomposed
    rerun = client.post(f"/api/runs/{run['id']}/modules/decompose", json={})
    assert rerun.status_code == 200
    assert ModulesEvent.model_validate(rerun.json()).step == 400


def test_a_run_whose_model_is_not_held_cannot_be_re_decomposed(client: TestClient) -> None:
    services = client.app.state.services  # type: ignore[attr-defined]
    config = WatchRunConfig(model="MLP", parameters=10, layers=["1"])
    record = services.store.runs.create(
        name="watched", kind="watch", config=config.model_dump(mode="json")
    )
    assert client.get(f"/api/runs/{record.id}/modules").json()["snapshots"] == []
    rerun = client.post(f"/api/runs/{record.id}/modules/decompose", json={})
    assert rerun.status_code == 409
    assert "recorded module snapshots" in rerun.json()["error"]["message"]


def test_a_live_run_is_re_decomposed_with_another_method(client: TestClient) -> None:
    run = client.post("/api/runs", json=_config(None)).json()
    try:
        wait_for(client, run["id"], lambda r: r["last_step"] >= 250)
        body = {"method": "spectral", "k": 2, "evaluate": True}
        answer = client.post(f"/api/runs/{run['id']}/modules/decompose", json=body)
        assert answer.status_code == 200, answer.text
        event = ModulesEvent.model_validate(answer.json())
        assert event.payload.evaluated
        assert {layer.method for layer in event.payload.layers} == {"spectral"}
        recorded = client.get(f"/api/runs/{run['id']}/modules").json()["snapshots"]
        assert all(s["payload"]["layers"][0]["method"] == "components" for s in recorded)
        bad = [
            ({"method": "kmeans"}, "k: required"),
            ({"method": "components", "k": 3}, "chooses k itself"),
            ({"method": "spectral", "threshold": 0.2}, "only 'components'"),
        ]
        for request, message in bad:
            refused = client.post(f"/api/runs/{run['id']}/modules/decompose", json=request)
            assert refused.status_code == 422
            assert message in refused.json()["error"]["message"]
    finally:
        client.post(f"/api/runs/{run['id']}/control", json={"action": "stop"})
    assert client.get("/api/runs/nope/modules").status_code == 404
    assert client.post("/api/runs/nope/modules/decompose", json={}).status_code == 404
