"""Token on every REST and WebSocket route when configured; body size limit."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from starlette.websockets import WebSocketDisconnect
from tests.server.helpers import small_run
from tests.serverproc import ServerProcess

import neuralscope.server
from neuralscope.config import Settings
from neuralscope.server import create_app
from neuralscope.store.shares import token_hash


@pytest.fixture
def guarded(tmp_path: Path) -> TestClient:
    return TestClient(
        create_app(Settings(home=tmp_path, token="s3cret-token", max_body_bytes=4096))
    )


def test_every_api_route_needs_the_token(guarded: TestClient) -> None:
    with guarded as client:
        schema = client.get("/openapi.json")  # documentation stays readable
        assert schema.status_code == 200
        for path, methods in schema.json()["paths"].items():
            concrete = re.sub(r"\{[a-z_]+\}", "x", path)
            for method in methods:
                response = client.request(method.upper(), concrete)
                if method == "get" and path.startswith("/api/shared/"):
                    # A share link is its own credential: no server token, but an unknown
                    # link is still nothing.
                    assert response.status_code == 404, f"{method} {path}"
                    continue
                assert response.status_code == 401, f"{method} {path}"
                assert response.json()["error"]["code"] == "unauthorized"
        wrong = client.get("/api/health", headers={"Authorization": "Bearer nope"})
        assert wrong.status_code == 401
        ok = client.get("/api/health", headers={"Authorization": "Bearer s3cret-token"})
        assert ok.status_code == 200


def test_websocket_needs_the_token(guarded: TestClient) -> None:
    auth = {"Authorization": "Bearer s3cret-token"}
    with guarded as client:
        run = client.post("/api/runs", json=small_run(start=False), headers=auth).json()
        with (
            pytest.raises(WebSocketDisconnect),
            client.websocket_connect(f"/ws/runs/{run['id']}") as ws,
        ):
            ws.receive_json()
        with client.websocket_connect(f"/ws/runs/{run['id']}?token=s3cret-token") as ws:
            assert ws.receive_json()["type"] == "snapshot"
        with client.websocket_connect(
            f"/ws/runs/{run['id']}", subprotocols=["bearer.s3cret-token"]
        ) as ws:
            assert ws.receive_json()["type"] == "snapshot"


def _websocket_paths() -> list[str]:
    """Every ``@router.websocket(...)`` path in the server's source (FastAPI's route objects
    are lazily assembled and not public)."""
    server = Path(neuralscope.server.__file__).parent
    found = re.findall(
        r'\.websocket\(\s*"([^"]+)"', "".join(p.read_text() for p in server.rglob("*.py"))
    )
    assert "/ws/runs/{run_id}" in found
    return found


def test_every_websocket_route_refuses_a_missing_token(guarded: TestClient) -> None:
    """Policy-violation close (1008, "token required") before any route code runs."""
    with guarded as client:
        for path in _websocket_paths():
            assert path.startswith("/ws/"), f"{path} is outside the token-protected /ws prefix"
            concrete = re.sub(r"\{[a-z_]+\}", "x", path)
            with (
                pytest.raises(WebSocketDisconnect) as closed,
                client.websocket_connect(concrete) as ws,
            ):
                ws.receive_json()
            assert (closed.value.code, closed.value.reason) == (1008, "token required"), path


def test_oversized_body_is_413_and_nothing_is_created(guarded: TestClient) -> None:
    auth = {"Authorization": "Bearer s3cret-token"}
    with guarded as client:
        body = small_run(name="x" * 10_000)
        response = client.post("/api/runs", json=body, headers=auth)
        assert response.status_code == 413
        assert "limit" in response.json()["error"]["message"]
        streamed = client.post(
            "/api/runs",
            content=iter([b"{", b" " * 5000, b"}"]),  # no Content-Length: counted while read
            headers={**auth, "content-type": "application/json"},
        )
        assert streamed.status_code == 413
        assert client.get("/api/runs", headers=auth).json()["total"] == 0


def test_no_token_needed_on_loopback_without_one(client: TestClient) -> None:
    assert client.get("/api/runs").status_code == 200


def test_a_share_link_opens_without_the_server_token_but_cannot_fork(guarded: TestClient) -> None:
    auth = {"Authorization": "Bearer s3cret-token"}
    with guarded as client:
        run = client.post("/api/runs", json=small_run(), headers=auth).json()
        share = client.post(f"/api/runs/{run['id']}/share", headers=auth)
        assert share.status_code == 201
        token = share.json()["token"]
        shared = client.get(f"/api/shared/{token}")  # no Authorization header
        assert shared.status_code == 200
        assert shared.json()["config"]["data"]["dataset"] == "circle"
        assert client.post(f"/api/shared/{token}/fork").status_code == 401
        assert client.post(f"/api/shared/{token}/fork", headers=auth).status_code == 201


def test_cors_is_closed_by_default(client: TestClient) -> None:
    """No CORS middleware: a page on another origin cannot read the API from a browser."""
    origin = {"Origin": "https://evil.example"}
    response = client.get("/api/runs", headers=origin)
    assert response.status_code == 200
    assert "access-control-allow-origin" not in response.headers
    preflight = client.options(
        "/api/runs",
        headers={**origin, "Access-Control-Request-Method": "POST"},
    )
    assert "access-control-allow-origin" not in preflight.headers


@pytest.mark.slow
def test_no_token_reaches_the_server_log(tmp_path: Path) -> None:
    token = "tok-" + "9f" * 16
    server = ServerProcess(tmp_path, token=token).start()
    try:
        auth = {"Authorization": f"Bearer {token}"}
        with httpx.Client(base_url=server.url, timeout=30) as http:
            run = http.post("/api/runs", json=small_run(start=False), headers=auth).json()
            assert (
                http.get("/api/runs", headers={"Authorization": "Bearer wrong"}).status_code == 401
            )
            assert http.get(f"/api/runs/{run['id']}?token={token}").status_code == 401
            assert http.get("/api/nope", headers=auth).status_code == 404
            # Share tokens are secrets too: created, opened, revoked, opened again.
            link = http.post(f"/api/runs/{run['id']}/share", headers=auth).json()
            assert http.get(f"/api/shared/{link['token']}").status_code == 200
            listed = http.get(f"/api/runs/{run['id']}/shares", headers=auth)
            assert link["token"] not in listed.text
            revoke = http.delete(f"/api/runs/{run['id']}/shares/{link['id']}", headers=auth)
            assert revoke.status_code == 200
            assert http.get(f"/api/shared/{link['token']}").status_code == 404
            assert http.post(f"/api/shared/{link['token']}/fork", headers=auth).status_code == 404
    finally:
        server.stop()
    log = server.log_path.read_text()
    assert "http://127.0.0.1" in log  # the log was written
    assert token not in log
    assert link["token"] not in log
    assert token_hash(link["token"]) not in log
