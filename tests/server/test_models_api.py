"""``/api/models`` over a real app: upload, safe refusal, per-section analytics and comparison.

Ground truth as in ``tests/analysis``: a planted defect (dead units: zero rows and a negative bias
in the first layer) is reported exactly through ``/health``; the healthy model raises nothing.
"""

from __future__ import annotations

import io
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import torch
from fastapi.testclient import TestClient
from pydantic import BaseModel
from safetensors.torch import save
from tests.analysis._models import mlp

from neuralscope.analysis import Comparison, ModelReport, analyze
from neuralscope.analysis.architecture import ArchitectureReport
from neuralscope.analysis.optimize import OptimizationReport
from neuralscope.config import Settings
from neuralscope.server import create_app
from neuralscope.server import schemas_models as sm
from neuralscope.server.model_reports import ReportCache

SECTIONS: dict[str, type[BaseModel]] = {
    "summary": sm.ModelSummary,
    "health": sm.ModelHealth,
    "layers": sm.ModelLayers,
    "readiness": sm.ModelReadiness,
    "architecture": ArchitectureReport,
    "weights": sm.ModelWeights,
    "efficiency": sm.ModelEfficiency,
    "performance": sm.ModelPerformance,
    "optimization": OptimizationReport,
    "report": ModelReport,
}


class _Evil:
    """Unpickling this would create ``marker``: the server must never do it."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[Any, tuple[str, str]]:
        return (open, (str(self.marker), "w"))


@pytest.fixture
def home(tmp_path: Path) -> Path:
    return tmp_path / "home"


@pytest.fixture
def client(home: Path) -> Iterator[TestClient]:
    with TestClient(create_app(Settings(home=home))) as c:
        yield c


def _safetensors(model: torch.nn.Module) -> bytes:
    return save({k: v.contiguous() for k, v in model.state_dict().items()})


def _dead_mlp() -> torch.nn.Sequential:
    model = mlp()
    with torch.no_grad():
        model[0].weight[[3, 7]] = 0.0
        model[0].bias[[3, 7]] = -1.0
    return model


def _exported(model: torch.nn.Module) -> bytes:
    buf = io.BytesIO()
    torch.export.save(torch.export.export(model.eval(), (torch.randn(1, 32),)), buf)
    return buf.getvalue()


def _upload(client: TestClient, name: str, data: bytes, **params: str) -> dict[str, Any]:
    r = client.post("/api/models", params={"filename": name, **params}, content=data)
    assert r.status_code == 201, r.text
    body: dict[str, Any] = r.json()
    return body


def _stored_files(home: Path) -> list[Path]:
    root = home / "artifacts"
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_planted_dead_units_found_through_health_and_healthy_model_is_clean(
    client: TestClient, home: Path
) -> None:
    healthy = _upload(client, "healthy.safetensors", _safetensors(mlp()))
    dead = _upload(client, "dead.safetensors", _safetensors(_dead_mlp()))
    assert healthy["format"] == dead["format"] == "safetensors"
    assert len(healthy["id"]) == 64
    assert healthy["id"] != dead["id"]
    assert (home / "artifacts" / dead["id"][:2] / dead["id"][2:]).is_file()

    clean = client.get(f"/api/models/{healthy['id']}/health").json()
    assert clean["health"]["score"] == 100
    assert [f for f in clean["findings"] if f["severity"] != "info"] == []

    sick = sm.ModelHealth.model_validate(client.get(f"/api/models/{dead['id']}/health").json())
    serious = [f for f in sick.findings if f.severity != "info"]
    assert [(f.code, f.layer) for f in serious] == [("dead_units", "0")]
    assert serious[0].evidence["units"] == [3, 7]
    lost = [(p.code, p.layer) for p in sick.health.breakdown if p.points]
    assert lost == [("dead_units", "0")]
    assert sick.health.score == 100 - sum(p.points for p in sick.health.breakdown)


def test_malicious_pickle_is_refused_never_run_and_nothing_is_stored(
    client: TestClient, home: Path, tmp_path: Path
) -> None:
    marker = tmp_path / "pwned"
    buf = io.BytesIO()
    torch.save({"weight": torch.zeros(2, 2), "payload": _Evil(marker)}, buf)
    r = client.post("/api/models", params={"filename": "evil.pt"}, content=buf.getvalue())
    assert r.status_code == 422
    error = r.json()["error"]
    assert error["code"] == "unsafe_model"
    assert "not executed" in error["message"]
    assert "evil.pt" in error["message"]
    assert "references io.open, which a weights-only load does not allow" in error["message"]
    assert "\x1b" not in error["message"]  # torch's ANSI-coloured advice is dropped
    assert not marker.exists()
    assert client.get("/api/models").json()["total"] == 0
    assert _stored_files(home) == []


@pytest.mark.parametrize(
    ("name", "data", "code"),
    [
        ("empty.pt", b"", "empty_model"),
        ("notes.bin", b"just some text, not a model", "unsupported_format"),
        ("cut.safetensors", b'\x10\x00\x00\x00\x00\x00\x00\x00{"a":', "corrupt_model"),
    ],
)
def test_unloadable_files_get_their_own_code_and_are_not_stored(
    client: TestClient, home: Path, name: str, data: bytes, code: str
) -> None:
    r = client.post("/api/models", params={"filename": name}, content=data)
    assert r.status_code == 422
    assert r.json()["error"]["code"] == code
    assert client.get("/api/models").json()["total"] == 0
    assert _stored_files(home) == []


def test_uploads_have_their_own_limit_above_the_json_one(tmp_path: Path) -> None:
    data = _safetensors(mlp())  # ~60 kB: over the JSON limit, under the upload limit
    settings = Settings(home=tmp_path, max_body_bytes=16 * 1024, max_upload_bytes=1024 * 1024)
    with TestClient(create_app(settings)) as c:
        assert (
            c.post("/api/models", params={"filename": "m.safetensors"}, content=data).status_code
            == 201
        )
        big_json = c.post(
            "/api/runs",
            content=b"[" + b" " * 20_000 + b"]",
            headers={"content-type": "application/json"},
        )
        assert big_json.status_code == 413
        assert "max_body_bytes" in big_json.json()["error"]["message"]


def test_oversized_upload_is_413_declared_or_streamed(tmp_path: Path) -> None:
    home = tmp_path / "small"
    data = _safetensors(mlp())  # ~60 kB
    settings = Settings(home=home, max_body_bytes=1024 * 1024, max_upload_bytes=16 * 1024)
    with TestClient(create_app(settings)) as c:
        r = c.post("/api/models", params={"filename": "m.safetensors"}, content=data)
        assert r.status_code == 413
        assert "max_upload_bytes" in r.json()["error"]["message"]

        def chunks() -> Iterator[bytes]:  # no Content-Length: cut off while streaming
            for i in range(0, len(data), 4096):
                yield data[i : i + 4096]

        r = c.post("/api/models", params={"filename": "m.safetensors"}, content=chunks())
        assert r.status_code == 413
        assert r.json()["error"]["code"] == "too_large"
        assert c.get("/api/models").json()["total"] == 0
    assert _stored_files(home) == []


def test_unknown_ids_are_404_in_the_house_format(client: TestClient) -> None:
    unknown = "0" * 64
    for path in [
        f"/api/models/{unknown}",
        "/api/models/not-a-sha",
        f"/api/models/{unknown}/health",
    ]:
        r = client.get(path)
        assert r.status_code == 404
        assert r.json()["error"]["code"] == "not_found"
    known = _upload(client, "a.safetensors", _safetensors(mlp()))["id"]
    r = client.post("/api/models/compare", json={"ids": [known, unknown]})
    assert r.status_code == 404
    assert unknown in r.json()["error"]["message"]


def test_compare_recommends_the_healthy_model(client: TestClient) -> None:
    healthy = _upload(client, "healthy.safetensors", _safetensors(mlp()))
    dead = _upload(client, "dead.safetensors", _safetensors(_dead_mlp()))
    r = client.post("/api/models/compare", json={"ids": [dead["id"], healthy["id"]]})
    assert r.status_code == 200, r.text
    result = Comparison.model_validate(r.json())
    scores = {row.name.split(" ")[0]: row.health_score for row in result.rows}
    assert scores == {"dead.safetensors": 90, "healthy.safetensors": 100}
    assert result.recommended.startswith("healthy.safetensors")
    for bad in ([healthy["id"]], [healthy["id"], healthy["id"]]):
        r = client.post("/api/models/compare", json={"ids": bad})
        assert r.status_code == 422
        assert r.json()["error"]["code"] == "invalid"


def test_every_section_is_typed_json_from_one_cached_report(client: TestClient) -> None:
    model = _upload(client, "mlp.pt2", _exported(mlp()), input_shape="1,32")
    assert model["format"] == "torch.export"
    assert model["input_shape"] == [1, 32]
    for section, schema in SECTIONS.items():
        r = client.get(f"/api/models/{model['id']}/{section}")
        assert r.status_code == 200, (section, r.text)
        schema.model_validate(r.json())
    cache = client.app.state.model_reports  # type: ignore[attr-defined]
    assert isinstance(cache, ReportCache)
    assert len(cache) == 1
    efficiency = client.get(f"/api/models/{model['id']}/efficiency").json()
    # oracle: MACs of the MLP 32-64-64-64-64-10 at batch 1 are the sum of in*out
    assert efficiency["macs"] == 32 * 64 + 3 * 64 * 64 + 64 * 10
    assert efficiency["flops"] == 2 * efficiency["macs"]
    performance = client.get(f"/api/models/{model['id']}/performance").json()
    assert 1 in [x["batch_size"] for x in performance["latency"]]
    summary = client.get(f"/api/models/{model['id']}/summary").json()
    assert summary["total_params"] == sum(p.numel() for p in mlp().parameters())
    assert summary["architecture"] == "MLP"
    assert summary["health_score"] == 100
    schema = client.get("/openapi.json").json()
    ops = {op["operationId"] for item in schema["paths"].values() for op in item.values()}
    assert {"upload_model", "list_models", "compare_models"} <= ops
    assert {f"get_model_{s}" for s in SECTIONS} <= ops


def test_input_shape_must_fit_an_executable_model(client: TestClient, home: Path) -> None:
    r = client.post(
        "/api/models",
        params={"filename": "m.pt2", "input_shape": "1,33"},
        content=_exported(mlp()),
    )
    assert r.status_code == 422
    assert r.json()["error"]["code"] == "input_shape_mismatch"
    r = client.post(
        "/api/models",
        params={"filename": "w.safetensors", "input_shape": "1,32"},
        content=_safetensors(mlp()),
    )
    assert r.status_code == 422
    assert r.json()["error"]["code"] == "input_shape_unusable"
    assert _stored_files(home) == []


def test_list_is_newest_first_and_same_content_is_one_model(client: TestClient) -> None:
    first = _upload(client, "first.safetensors", _safetensors(mlp(seed=1)))
    second = _upload(client, "second.safetensors", _safetensors(mlp(seed=2)))
    again = _upload(client, "renamed.safetensors", _safetensors(mlp(seed=1)))
    assert again == first
    page = client.get("/api/models").json()
    assert page["total"] == 2
    assert [m["id"] for m in page["items"]] == [second["id"], first["id"]]
    assert client.get("/api/models", params={"limit": 1, "offset": 1}).json()["items"] == [first]
    assert client.get(f"/api/models/{first['id']}").json() == first


def test_report_cache_computes_once_per_key_and_evicts_least_recent() -> None:
    calls: list[str] = []
    report = analyze(mlp(widths=(4, 3, 2)))

    def compute(key: str) -> ModelReport:
        calls.append(key)
        time.sleep(0.05)  # the other threads ask while this one computes
        return report

    cache = ReportCache(capacity=2)
    threads = [
        threading.Thread(target=cache.get, args=("a", lambda: compute("a"))) for _ in range(4)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert calls == ["a"]
    cache.get("b", lambda: compute("b"))
    cache.get("a", lambda: compute("a"))  # a is now the most recent
    cache.get("c", lambda: compute("c"))  # evicts b
    cache.get("b", lambda: compute("b"))
    assert calls == ["a", "b", "c", "b"]
    assert len(cache) == 2


def test_weights_only_upload_has_estimated_flops_and_tiers(client: TestClient) -> None:
    model = _upload(client, "weights.safetensors", _safetensors(mlp()))
    efficiency = client.get(f"/api/models/{model['id']}/efficiency").json()
    assert efficiency["estimated"] is True
    assert "ESTIMATE" in efficiency["flops_note"]
    # oracle: one token through every linear layer = the sum of in*out MACs
    assert efficiency["macs"] == 32 * 64 + 3 * 64 * 64 + 64 * 10
    tiers = efficiency["tiers"]
    assert tiers["model_tier"] == "memory-bound"  # ~0.5 FLOP/byte at batch 1
    assert {row["name"] for row in tiers["layers"]} == {"0", "2", "4", "6", "8"}
