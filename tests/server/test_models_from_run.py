"""``POST /api/models/from-run/{run_id}`` and ``GET /api/models/{id}/report.html``.

A live Playground run's model is registered with its spec, so its report comes from the rebuilt
network (fx graph, exact FLOPs) and its weights are the run's own (oracle: the run's safetensors
export); a watched run or an ended run that stored no model answers 409, an unknown run 404
(ended runs with a stored model: test_runs_ended_model.py).
"""

from __future__ import annotations

from html.parser import HTMLParser

from fastapi.testclient import TestClient
from safetensors.torch import load
from tests.server.helpers import wait_for

from neuralscope.analysis import ModelReport
from neuralscope.training import SessionConfig
from neuralscope.watching.config import WatchRunConfig

_CONFIG = {
    "config": {
        "data": {"dataset": "circle"},
        "spec": {"layers": [{"type": "dense", "units": 6}, {"type": "dense", "units": 5}]},
        "max_steps": 30,
    },
    "start": True,
}


def test_a_live_run_model_is_registered_rebuilt_and_analysed(client: TestClient) -> None:
    run = client.post("/api/runs", json=_CONFIG).json()
    wait_for(client, run["id"], lambda r: r["status"] == "completed")
    answer = client.post(f"/api/models/from-run/{run['id']}")
    assert answer.status_code == 201, answer.text
    model = answer.json()
    assert model["format"] == "safetensors"
    assert model["name"].endswith("-step30.safetensors")
    assert model["input_shape"] == [1, 2]
    again = client.post(f"/api/models/from-run/{run['id']}").json()
    assert again["id"] == model["id"]  # same weights, same entry
    report = ModelReport.model_validate(client.get(f"/api/models/{model['id']}/report").json())
    assert report.architecture.method == "fx"  # the rebuilt module tree, not weights alone
    assert report.notes[0].startswith("rebuilt from the run's spec")
    dense = [(2, 6), (6, 5), (5, 1)]
    assert report.cost.flops == sum(2 * a * b for a, b in dense)  # oracle: 2 x MACs of Linear
    layers = {n.layer for n in report.architecture.nodes if n.layer}
    assert {x.name for x in report.layers} <= layers
    exported = load(client.get(f"/api/runs/{run['id']}/export/safetensors").content)
    assert report.cost.total_params == sum(t.numel() for t in exported.values())
    stats = {w.name: w for w in report.weights}
    for name, tensor in exported.items():  # the analysed weights are the run's weights
        assert (stats[name].min, stats[name].max) == (tensor.min().item(), tensor.max().item())


def test_runs_without_a_model_are_refused(client: TestClient) -> None:
    assert client.post("/api/models/from-run/nope").status_code == 404
    services = client.app.state.services  # type: ignore[attr-defined]
    watch = WatchRunConfig(model="MLP", parameters=10, layers=["1"])
    watched = services.store.runs.create(
        name="watched", kind="watch", config=watch.model_dump(mode="json")
    )
    refused = client.post(f"/api/models/from-run/{watched.id}")
    assert refused.status_code == 409
    assert "watched run" in refused.json()["error"]["message"]
    gone = services.store.runs.create(  # recorded by an earlier server, which stored no model
        name="old", kind="playground", config=SessionConfig().model_dump(mode="json")
    )
    refused = client.post(f"/api/models/from-run/{gone.id}")
    assert refused.status_code == 409
    assert "no model was stored" in refused.json()["error"]["message"]
    assert client.get("/api/models").json()["total"] == 0


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)


def test_report_html_is_a_standalone_attachment(client: TestClient) -> None:
    run = client.post("/api/runs", json=_CONFIG).json()
    wait_for(client, run["id"], lambda r: r["status"] == "completed")
    model = client.post(f"/api/models/from-run/{run['id']}").json()
    page = client.get(f"/api/models/{model['id']}/report.html")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    disposition = page.headers["content-disposition"]
    assert disposition.startswith("attachment;")
    assert ".report.html" in disposition
    parser = _Tags()
    parser.feed(page.text)
    assert "table" in parser.tags
    assert "svg" in parser.tags
    assert "script" not in parser.tags
    assert "link" not in parser.tags
    score = client.get(f"/api/models/{model['id']}/health").json()["health"]["score"]
    assert f'<b id="health-score">{score}</b>' in page.text
    assert client.get("/api/models/0000/report.html").status_code == 404
