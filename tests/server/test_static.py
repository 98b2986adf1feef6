"""The built web app is served with the single-page-app fallback, and nothing outside it."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.testclient import TestClient

from neuralscope.server.static import mount_web_app


def app_over(static: Path) -> TestClient:
    app = FastAPI()
    mount_web_app(app, static)
    return TestClient(app)


def test_files_index_fallback_and_no_escape(tmp_path: Path) -> None:
    static = tmp_path / "static"
    (static / "assets").mkdir(parents=True)
    (static / "index.html").write_text("<div id=root></div>")
    (static / "assets" / "app-1234.js").write_text("console.log(1)")
    (tmp_path / "secret.txt").write_text("do not serve")
    client = app_over(static)

    asset = client.get("/assets/app-1234.js")
    assert asset.text == "console.log(1)"
    assert "immutable" in asset.headers["cache-control"]
    for path in ("/", "/playground/abc", "/runs"):  # client-side routes get the app
        response = client.get(path)
        assert response.status_code == 200
        assert response.text == "<div id=root></div>"
    escaped = client.get("/..%2Fsecret.txt")
    assert "do not serve" not in escaped.text
    assert client.get("/api/nope").status_code == 404


def test_unbuilt_app_says_how_to_build_it(tmp_path: Path) -> None:
    response = app_over(tmp_path / "missing").get("/")
    assert response.status_code == 503
    assert "make run" in response.text


def test_api_paths_never_fall_back_to_the_web_app(client: TestClient) -> None:
    """A wrong method on an API route is 405 with every allowed method; unknown API paths 404."""
    wrong = client.get("/api/nets/shapes")  # POST-only
    assert (wrong.status_code, wrong.headers["allow"]) == (405, "POST")
    both = client.delete("/api/runs")  # GET and POST are two routes on one path
    assert (both.status_code, both.headers["allow"]) == (405, "GET, POST")
    assert both.json()["error"]["code"] == "method_not_allowed"
    for path in ("/api/nope", "/api", "/ws"):
        missing = client.get(path)
        assert missing.status_code == 404, path
        assert missing.json()["error"]["code"] == "not_found"
