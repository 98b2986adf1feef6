"""``POST /api/datasets/csv``: good uploads train end to end; bad ones leave nothing behind."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from tests.server.helpers import wait_for

from neuralscope.config import Settings
from neuralscope.store.models import Artifact

CSV = {"content-type": "text/csv"}


def _ring_csv(n: int = 200, features: int = 2, seed: int = 0) -> bytes:
    """Points in a disc (class 'in') or a ring around it (class 'out'), extra noise features."""
    rng = np.random.default_rng(seed)
    radius = np.where(np.arange(n) % 2 == 0, rng.uniform(0, 2, n), rng.uniform(3, 5, n))
    angle = rng.uniform(0, 2 * np.pi, n)
    columns = [radius * np.cos(angle), radius * np.sin(angle)]
    columns += [rng.normal(size=n) for _ in range(features - 2)]
    names = [f"f{k}" for k in range(features)]
    lines = [",".join([*names, "where"])]
    for i in range(n):
        cells = [f"{c[i]:.4f}" for c in columns]
        lines.append(",".join([*cells, "in" if i % 2 == 0 else "out"]))
    return ("\n".join(lines) + "\n").encode()


def _run_body(table: dict[str, Any], n_samples: int = 200) -> dict[str, Any]:
    return {
        "config": {
            "spec": {"layers": [{"units": 8, "activation": "tanh"}]},
            "data": {"dataset": "csv", "table": table, "n_samples": n_samples},
            "hyperparameters": {"optimizer": "adam", "learning_rate": 0.03, "batch_size": 10},
            "seed": 1,
            "max_steps": 300,
        },
        "start": True,
    }


def _nothing_stored(client: TestClient, settings: Settings) -> bool:
    store = client.app.state.services.store  # type: ignore[attr-defined]
    with store.database.read() as session:
        rows = session.scalar(select(func.count()).select_from(Artifact))
    files = [p for p in Path(settings.artifacts_dir).rglob("*") if p.is_file()]
    return rows == 0 and files == []


def test_upload_then_train_to_completion_with_a_boundary(client: TestClient) -> None:
    up = client.post("/api/datasets/csv", content=_ring_csv(), headers=CSV)
    assert up.status_code == 201, up.text
    out = up.json()
    assert out["feature_names"] == ["f0", "f1"]
    assert (out["label_name"], out["task"], out["n_rows"]) == ("where", "binary", 200)
    assert out["class_names"] == ["in", "out"]
    assert out["table"] == {"id": out["id"], "n_features": 2, "task": "binary", "n_classes": 2}
    again = client.post("/api/datasets/csv", content=_ring_csv(), headers=CSV).json()
    assert again["id"] == out["id"]  # content addressed

    run = client.post("/api/runs", json=_run_body(out["table"])).json()
    done = wait_for(client, run["id"], lambda r: r["status"] == "completed")
    assert done["last_step"] == 300
    assert done["summary"]["val/accuracy"] > 0.8  # a disc in a ring is easy
    snapshot = client.get(f"/api/runs/{run['id']}/snapshot").json()
    frames = [e for e in snapshot["latest"] if e["kind"] == "boundary"]
    assert len(frames) == 1
    low, high = frames[0]["payload"]["x_range"]
    assert low < -4.9  # the plane covers the data, not the synthetic (-6, 6)
    assert high > 4.9
    points = client.get(f"/api/runs/{run['id']}/data").json()
    assert len(points["train_x"]) + len(points["val_x"]) == 200


def test_a_wide_table_trains_without_a_boundary(client: TestClient) -> None:
    out = client.post("/api/datasets/csv", content=_ring_csv(features=4), headers=CSV).json()
    assert out["table"]["n_features"] == 4
    run = client.post("/api/runs", json=_run_body(out["table"])).json()
    wait_for(client, run["id"], lambda r: r["status"] == "completed")
    events = client.get(f"/api/runs/{run['id']}/snapshot").json()["latest"]
    assert [e for e in events if e["kind"] == "boundary"] == []
    points = client.get(f"/api/runs/{run['id']}/data").json()  # a projection, not a plane
    assert (points["projection"], points["axis_names"]) == ("pca", ["PC1", "PC2"])


def test_a_reference_that_does_not_match_the_table_is_refused(client: TestClient) -> None:
    out = client.post("/api/datasets/csv", content=_ring_csv(), headers=CSV).json()
    lie = {**out["table"], "n_classes": 3, "task": "multiclass"}
    response = client.post("/api/runs", json=_run_body(lie))
    assert response.status_code == 422
    assert "does not match" in response.json()["error"]["message"]
    missing = {**out["table"], "id": "0" * 64}
    response = client.post("/api/runs", json=_run_body(missing))
    assert response.status_code == 422
    assert "no uploaded table" in response.json()["error"]["message"]


@pytest.mark.parametrize(
    ("body", "params", "message"),
    [
        (b"a,b,y\n1,2,0\n3,4\n", {}, "row 3: 2 cells, but the header has 3"),
        (b"a,b,y\n1,2,0\n3,x,1\n", {}, "row 3, column 'b': 'x' is not a finite number"),
        (b"a,b,y\n1,2,0\n3,4,0\n", {}, "column 'y': the label is '0' in every row"),
        (b"", {}, "the file is empty"),
        (b"a,b,y\n1,2,\xff\n", {}, "not UTF-8 text (byte 10 is 0xff)"),
        (b"a,b,y\n1,2,0\n3,4,1\n", {"label_column": "z"}, "row 1: label column 'z'"),
    ],
    ids=["ragged", "non-numeric", "constant-label", "empty", "encoding", "missing-label"],
)
def test_malformed_csv_is_refused_naming_row_and_column_and_nothing_is_stored(
    client: TestClient, settings: Settings, body: bytes, params: dict[str, str], message: str
) -> None:
    response = client.post("/api/datasets/csv", content=body, params=params, headers=CSV)
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "invalid_csv"
    assert error["message"].startswith(message), error["message"]
    assert _nothing_stored(client, settings)
