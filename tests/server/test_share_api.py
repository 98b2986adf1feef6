"""Share links: a fresh client sees the same run read-only; wrong tokens see nothing."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from tests.server.helpers import small_run, wait_for

from neuralscope.config import Settings
from neuralscope.server import create_app


@pytest.fixture
def shared(client: TestClient) -> tuple[str, str]:
    """A completed run with a hyperparameter change mid-way, and a share token for it."""
    body = small_run(start=False)
    body["config"]["max_steps"] = 400
    run = client.post("/api/runs", json=body).json()
    client.post(f"/api/runs/{run['id']}/control", json={"action": "start"})
    client.post(
        f"/api/runs/{run['id']}/control",
        json={"action": "set", "hyperparameters": {"learning_rate": 0.01}},
    )
    wait_for(client, run["id"], lambda r: r["status"] == "completed")
    share = client.post(f"/api/runs/{run['id']}/share")
    assert share.status_code == 201
    token = share.json()["token"]
    assert share.json()["url"] == f"/#/shared/{token}"
    assert len(token) == 43  # token_urlsafe(32): 256 random bits
    return run["id"], token


@pytest.fixture
def fresh(settings: Settings) -> Iterator[TestClient]:
    """Another app over the same database: a different browser, nothing shared but the link."""
    with TestClient(create_app(settings)) as c:
        yield c


def test_a_fresh_client_sees_the_same_config_curves_and_markers(
    client: TestClient, shared: tuple[str, str], fresh: TestClient
) -> None:
    run_id, token = shared
    run = client.get(f"/api/runs/{run_id}").json()
    metrics = client.get(f"/api/runs/{run_id}/metrics").json()["series"]
    data = client.get(f"/api/runs/{run_id}/data").json()
    client.close()  # the owner is gone
    out = fresh.get(f"/api/shared/{token}")
    assert out.status_code == 200
    view = out.json()
    assert view["config"] == run["config"]
    assert (view["status"], view["last_step"]) == ("completed", 400)
    curves = {n: s for n, s in metrics.items() if n.startswith(("train/", "val/"))}
    assert "train/loss" in curves
    assert view["series"] == curves
    changes = [m for m in view["markers"] if m["kind"] == "hyperparameters"]
    assert changes[0]["payload"]["changes"][0]["name"] == "learning_rate"
    steps = [f["step"] for f in view["frames"]]
    assert steps
    assert steps == sorted(steps)
    assert len(set(steps)) == len(steps)
    assert all(f["kind"] == "boundary" for f in view["frames"])
    assert view["points"] == {**data, "run_id": "shared"}  # the boundary is drawn over the data


def test_frames_are_downsampled_over_the_whole_run(
    client: TestClient, shared: tuple[str, str]
) -> None:
    _, token = shared
    every = client.get(f"/api/shared/{token}", params={"max_frames": 500}).json()["frames"]
    few = client.get(f"/api/shared/{token}", params={"max_frames": 3}).json()["frames"]
    assert len(every) > 3
    first, middle, last = (f["step"] for f in few)
    steps = [f["step"] for f in every]
    assert (first, last) == (steps[0], steps[-1])  # the replay spans the whole run
    assert abs(steps.index(middle) - (len(steps) - 1) / 2) <= 0.5  # evenly spread


def test_the_shared_view_carries_no_run_id_and_cannot_steer(
    client: TestClient, shared: tuple[str, str], fresh: TestClient
) -> None:
    run_id, token = shared
    text = json.dumps(fresh.get(f"/api/shared/{token}").json())
    assert run_id not in text
    for action in ("start", "pause", "resume", "stop"):
        response = fresh.post(f"/api/shared/{token}/control", json={"action": action})
        assert response.status_code in (404, 405)
    assert fresh.delete(f"/api/shared/{token}").status_code == 405
    assert fresh.post(f"/api/shared/{token}").status_code == 405
    assert client.get(f"/api/runs/{run_id}").json()["status"] == "completed"


def test_a_wrong_token_is_404(client: TestClient, shared: tuple[str, str]) -> None:
    _, token = shared
    for wrong in ("x", "A" * 32, "not-a-token-but-long-enough-here!", "0" * 200, token[:-1]):
        response = client.get(f"/api/shared/{wrong}")
        assert response.status_code == 404, wrong
        assert response.json()["error"]["message"] == "no shared run at this link"
        assert client.post(f"/api/shared/{wrong}/fork").status_code == 404


def test_sharing_an_unknown_run_is_404_and_tokens_differ(
    client: TestClient, shared: tuple[str, str]
) -> None:
    run_id, token = shared
    assert client.post("/api/runs/nope/share").status_code == 404
    again = client.post(f"/api/runs/{run_id}/share").json()["token"]
    assert again != token
    assert client.get(f"/api/shared/{again}").status_code == 200


def test_fork_creates_a_new_unstarted_run_with_the_same_config(
    client: TestClient, shared: tuple[str, str], fresh: TestClient
) -> None:
    run_id, token = shared
    response = fresh.post(f"/api/shared/{token}/fork")
    assert response.status_code == 201
    fork = response.json()
    assert fork["id"] != run_id
    assert (fork["status"], fork["last_step"]) == ("created", 0)
    assert fork["config"] == client.get(f"/api/runs/{run_id}").json()["config"]
    # The fork belongs to whoever made it: it can be started and trains on the same data.
    started = fresh.post(f"/api/runs/{fork['id']}/control", json={"action": "start"})
    assert started.status_code == 200
    wait_for(fresh, fork["id"], lambda r: r["status"] == "completed")


def test_links_are_listed_without_tokens_and_revoked_by_id(
    client: TestClient, shared: tuple[str, str], fresh: TestClient
) -> None:
    run_id, token = shared
    second = client.post(f"/api/runs/{run_id}/share").json()
    assert set(second) == {"id", "created_at", "token", "url"}
    listed = client.get(f"/api/runs/{run_id}/shares")
    assert listed.status_code == 200
    links = listed.json()["links"]
    assert [link["id"] for link in links][-1] == second["id"]
    assert len(links) == 2
    assert all(set(link) == {"id", "created_at"} for link in links)
    assert token not in listed.text
    assert second["token"] not in listed.text
    first_id = next(link["id"] for link in links if link["id"] != second["id"])

    assert fresh.get(f"/api/shared/{token}").status_code == 200  # open in another browser
    revoked = client.delete(f"/api/runs/{run_id}/shares/{first_id}")
    assert revoked.status_code == 200
    assert [link["id"] for link in revoked.json()["links"]] == [second["id"]]  # what is left
    gone = fresh.get(f"/api/shared/{token}")  # the very next request
    assert gone.status_code == 404
    assert gone.json()["error"]["message"] == "no shared run at this link"
    assert fresh.post(f"/api/shared/{token}/fork").status_code == 404
    assert fresh.get(f"/api/shared/{second['token']}").status_code == 200  # the other one lives
    assert [link["id"] for link in client.get(f"/api/runs/{run_id}/shares").json()["links"]] == [
        second["id"]
    ]
    again = client.delete(f"/api/runs/{run_id}/shares/{first_id}")
    assert again.status_code == 404
    assert again.json()["error"]["code"] == "not_found"


def test_revoking_needs_the_right_run_and_an_existing_link(
    client: TestClient, shared: tuple[str, str]
) -> None:
    run_id, token = shared
    share_id = client.get(f"/api/runs/{run_id}/shares").json()["links"][0]["id"]
    other = client.post("/api/runs", json=small_run(start=False)).json()["id"]
    assert client.get(f"/api/runs/{other}/shares").json() == {"run_id": other, "links": []}
    assert client.delete(f"/api/runs/{other}/shares/{share_id}").status_code == 404
    assert client.delete(f"/api/runs/{run_id}/shares/{token}").status_code == 404  # not by token
    assert client.get("/api/runs/nope/shares").status_code == 404
    assert client.delete(f"/api/runs/nope/shares/{share_id}").status_code == 404
    assert client.get(f"/api/shared/{token}").status_code == 200
