"""Every error leaves the API as ``{"error": {"code", "message"}}`` with the right status."""

from __future__ import annotations

import re

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from neuralscope.nets.spec import LAYER_TAGS
from neuralscope.runner import TooManyLiveRuns
from neuralscope.server.schemas import ErrorDetail, ErrorResponse
from neuralscope.store import RunNotFound, StoreUnavailable
from neuralscope.training import IllegalTransition


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message


def error_response(
    status: int, code: str, message: str, headers: dict[str, str] | None = None
) -> JSONResponse:
    body = ErrorResponse(error=ErrorDetail(code=code, message=message))
    return JSONResponse(status_code=status, content=body.model_dump(), headers=headers)


def _field_path(loc: tuple[object, ...]) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path")]
    # A tagged union (a spec's layer) puts its tag after the index: layers.0.dense.units.
    parts = [p for i, p in enumerate(parts) if not (p in LAYER_TAGS and parts[i - 1].isdigit())]
    return ".".join(parts) or "request"


def _validation_message(exc: RequestValidationError) -> str:
    messages = []
    for err in exc.errors()[:5]:
        loc = tuple(err.get("loc", ()))
        if err.get("type") == "json_invalid":
            messages.append("the request body is not valid JSON")
        else:
            messages.append(f"{_field_path(loc)}: {err.get('msg', 'invalid')}")
    return "; ".join(messages)


STATUS_CODES = {
    400: "bad_request",
    401: "unauthorized",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    422: "invalid",
    429: "too_many",
    503: "unavailable",
}


_METHODS = ("get", "head", "post", "put", "patch", "delete", "options")


def _allowed_methods(request: Request) -> list[str]:
    """Methods of every documented route whose path template matches the request's path."""
    schema = request.app.openapi()
    allowed: set[str] = set()
    for template, item in schema.get("paths", {}).items():
        literal_parts = re.split(r"\{[^/]+?\}", template)  # "/api/runs/{run_id}" -> 2 parts
        pattern = "^" + "[^/]+".join(re.escape(part) for part in literal_parts) + "$"
        if re.match(pattern, request.url.path):
            allowed.update(m.upper() for m in item if m in _METHODS)
    return sorted(allowed)


def install_error_handlers(app: FastAPI) -> None:
    async def api_error(_: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, ApiError)
        return error_response(exc.status, exc.code, exc.message)

    async def validation_error(_: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, RequestValidationError)
        return error_response(422, "invalid", _validation_message(exc))

    async def http_error(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, StarletteHTTPException)
        code = STATUS_CODES.get(exc.status_code, "error")
        headers = dict(exc.headers or {})
        if exc.status_code == 405:
            # RFC 9110: Allow lists every method of the resource; the router only names the
            # methods of the first route whose path matched.
            headers["Allow"] = ", ".join(_allowed_methods(request)) or headers.get("Allow", "")
        return error_response(exc.status_code, code, str(exc.detail), headers)

    async def not_found(_: Request, exc: Exception) -> JSONResponse:
        return error_response(404, "not_found", f"no run with id {exc.args[0]!s}")

    async def conflict(_: Request, exc: Exception) -> JSONResponse:
        return error_response(409, "conflict", str(exc))

    async def too_many(_: Request, exc: Exception) -> JSONResponse:
        return error_response(429, "too_many", str(exc))

    app.add_exception_handler(ApiError, api_error)
    app.add_exception_handler(RequestValidationError, validation_error)
    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_exception_handler(RunNotFound, not_found)
    app.add_exception_handler(IllegalTransition, conflict)

    async def unavailable(_: Request, exc: Exception) -> JSONResponse:
        return error_response(
            503, "unavailable", f"the database is not answering ({exc}); try again in a moment"
        )

    app.add_exception_handler(TooManyLiveRuns, too_many)
    app.add_exception_handler(TimeoutError, unavailable)
    app.add_exception_handler(StoreUnavailable, unavailable)
