"""``GET /api/runs/{id}/data`` for uploaded tables: 3-D points for three features, PCA (checked
against scikit-learn) for more, at most 2,000 points; image sets stay 409."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from fastapi.testclient import TestClient
from sklearn.decomposition import PCA
from sklearn.preprocessing import StandardScaler
from tests.server.helpers import small_run

from neuralscope.data import make_dataset
from neuralscope.server.table_points import MAX_POINTS, fit_pca2, quotas, strided
from neuralscope.training import SessionConfig

CSV = {"content-type": "text/csv"}


def _csv(n: int, names: list[str], task: str = "binary", seed: int = 0) -> bytes:
    """Correlated features (so PCA has a clear order) and a label from their sum."""
    rng = np.random.default_rng(seed)
    base = rng.normal(size=(n, 2))
    mix = rng.normal(size=(2, len(names)))
    x = base @ mix + 0.3 * rng.normal(size=(n, len(names))) + np.arange(len(names)) * 3
    s = x.sum(axis=1)
    labels = (
        [f"{v:.3f}" for v in s] if task == "regression" else np.where(s > np.median(s), "hi", "lo")
    )
    lines = [",".join([*names, "label"])]
    rows = zip(x, labels, strict=True)
    lines += [",".join([*(f"{v:.5f}" for v in row), str(lab)]) for row, lab in rows]
    return ("\n".join(lines) + "\n").encode()


def _run(client: TestClient, csv: bytes, n_samples: int = 300, **params: str) -> dict[str, Any]:
    up = client.post("/api/datasets/csv", content=csv, headers=CSV, params=params)
    assert up.status_code == 201, up.text
    body = small_run(start=False)
    body["config"]["data"] = {"dataset": "csv", "table": up.json()["table"], "n_samples": n_samples}
    run: dict[str, Any] = client.post("/api/runs", json=body).json()
    return run


def _dataset(client: TestClient, run: dict[str, Any]) -> Any:
    services = client.app.state.services  # type: ignore[attr-defined]
    config = SessionConfig.model_validate(run["config"])
    return make_dataset(config.data, config.seed, tables=services.runs.table_bytes)


def test_three_features_give_the_training_points_in_3d(client: TestClient) -> None:
    run = _run(client, _csv(300, ["width", "height", "depth"]))
    response = client.get(f"/api/runs/{run['id']}/data")
    assert response.status_code == 200, response.text
    out = response.json()
    assert (out["dims"], out["projection"], out["axis_names"]) == (
        3,
        None,
        ["width", "height", "depth"],
    )
    data = _dataset(client, run)
    got = np.column_stack([np.array(out["train_x"]), out["train_z"]])
    np.testing.assert_allclose(got, data.x_train.numpy(), atol=6e-5)
    np.testing.assert_array_equal(out["train_y"], data.y_train.flatten().numpy())
    assert len(out["val_z"]) == len(out["val_x"]) == len(data.x_val)
    assert out["n_shown"] == out["n_total"] == 300
    assert out["class_names"] == ["hi", "lo"]
    for k, (low, high) in enumerate(out["axis_bounds"]):
        assert low < got[:, k].min()
        assert got[:, k].max() < high


def test_five_features_give_pca_matching_scikit_learn_up_to_sign(client: TestClient) -> None:
    names = [f"f{k}" for k in range(5)]
    run = _run(client, _csv(300, names, task="regression", seed=2), task="regression")
    out = client.get(f"/api/runs/{run['id']}/data").json()
    assert (out["dims"], out["projection"], out["axis_names"]) == (2, "pca", ["PC1", "PC2"])
    assert out["train_z"] is None
    assert out["task"] == "regression"
    data = _dataset(client, run)
    scaler = StandardScaler().fit(data.x_train.numpy().astype(np.float64))
    pca = PCA(n_components=2).fit(scaler.transform(data.x_train.numpy().astype(np.float64)))
    np.testing.assert_allclose(out["explained_variance"], pca.explained_variance_ratio_, atol=1e-5)
    assert out["explained_variance"][0] > out["explained_variance"][1] > 0
    for split, x in (("train_x", data.x_train), ("val_x", data.x_val)):
        expected = pca.transform(scaler.transform(x.numpy().astype(np.float64)))
        got = np.array(out[split])
        signs = np.sign((got * expected).sum(axis=0))  # each component is defined up to sign
        assert set(signs.tolist()) <= {1.0, -1.0}
        np.testing.assert_allclose(got, expected * signs, atol=2e-4)


def test_the_cap_takes_an_evenly_strided_subset(client: TestClient) -> None:
    run = _run(client, _csv(2600, ["a", "b", "c"]), n_samples=2600)
    out = client.get(f"/api/runs/{run['id']}/data").json()
    assert out["n_total"] == 2600
    assert out["n_shown"] == len(out["train_x"]) + len(out["val_x"]) == MAX_POINTS
    data = _dataset(client, run)
    keep = strided(len(data.x_train), len(out["train_x"]))
    got = np.column_stack([np.array(out["train_x"]), out["train_z"]])
    np.testing.assert_allclose(got, data.x_train.numpy()[keep], atol=6e-5)


def test_image_sets_are_still_refused(client: TestClient) -> None:
    body = small_run(start=False)
    body["config"]["data"] = {"dataset": "digits", "n_samples": 100}
    body["config"]["spec"] = {"layers": [{"type": "flatten"}, {"units": 4}]}
    run = client.post("/api/runs", json=body).json()
    response = client.get(f"/api/runs/{run['id']}/data")
    assert response.status_code == 409
    assert "image" in response.json()["error"]["message"]


@pytest.mark.parametrize(("n_train", "n_val"), [(10, 5), (1500, 1500), (3000, 1), (2500, 700)])
def test_quotas_stay_under_the_cap_and_keep_both_splits(n_train: int, n_val: int) -> None:
    keep_train, keep_val = quotas(n_train, n_val)
    assert keep_train + keep_val == min(n_train + n_val, MAX_POINTS)
    assert 1 <= keep_val <= n_val
    assert 1 <= keep_train <= n_train


def test_strided_indices_are_distinct_and_spread() -> None:
    picked = strided(1000, 300)
    assert len(set(picked.tolist())) == 300
    assert picked[0] == 0
    assert picked[-1] >= 990
    assert np.all(np.diff(picked) >= 3)
    assert strided(5, 10).tolist() == [0, 1, 2, 3, 4]


def test_pca_of_a_constant_feature_does_not_divide_by_zero() -> None:
    rng = np.random.default_rng(0)
    x = np.column_stack([rng.normal(size=50), rng.normal(size=50), np.full(50, 7.0)])
    pca = fit_pca2(x)
    assert np.all(np.isfinite(pca.transform(x)))
    np.testing.assert_allclose(np.linalg.norm(pca.components, axis=1), 1.0, atol=1e-12)
    assert sum(pca.explained) == pytest.approx(1.0)  # the constant column has no variance
