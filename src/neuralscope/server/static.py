"""Serve the built web app, with the single-page-app fallback to ``index.html``."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import FileResponse, HTMLResponse, Response
from starlette.convertors import Convertor, register_url_convertor

STATIC_DIR = Path(__file__).parent / "static"

NOT_BUILT = """<!doctype html><title>neuralscope</title>
<h1>The web app is not built</h1>
<p>The API is running. Build the web app with <code>make run</code>
(or <code>make web</code>).</p>"""


class WebPathConvertor(Convertor[str]):
    """Any path except the API's (``/api...``, ``/ws...``).

    The fallback must not match API paths at all: a GET to a POST-only API route then gets
    the router's 405 with its ``Allow`` header, and an unknown API path a JSON 404, instead of
    the web app's page.
    """

    regex = r"(?!(?:api|ws)(?:/|$)).*"

    def convert(self, value: str) -> str:
        return value

    def to_string(self, value: str) -> str:
        return value


register_url_convertor("webpath", WebPathConvertor())


def mount_web_app(app: FastAPI, static_dir: Path = STATIC_DIR) -> None:
    root = static_dir.resolve()

    @app.get("/{path:webpath}", include_in_schema=False)
    async def web_app(path: str) -> Response:
        index = root / "index.html"
        if not index.is_file():
            return HTMLResponse(NOT_BUILT, status_code=503)
        candidate = (root / path).resolve()
        if path and candidate.is_relative_to(root) and candidate.is_file():
            cache = (
                "public, max-age=31536000, immutable"
                if "/assets/" in candidate.as_posix()
                else "no-cache"
            )
            return FileResponse(candidate, headers={"Cache-Control": cache})
        return FileResponse(index, headers={"Cache-Control": "no-cache"})
