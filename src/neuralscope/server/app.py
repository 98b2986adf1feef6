"""The app factory: ``create_app(settings)`` wires store, recorder, bus and runs to the routes."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta
from typing import Any

from fastapi import FastAPI
from fastapi.routing import APIRoute
from pydantic.json_schema import models_json_schema

from neuralscope import __version__
from neuralscope.bus import EventBus
from neuralscope.config import Settings
from neuralscope.runner import RunManager
from neuralscope.server import ws
from neuralscope.server.deps import Services
from neuralscope.server.errors import install_error_handlers
from neuralscope.server.openapi_links import add_links
from neuralscope.server.routers import (
    ingest,
    meta,
    models,
    modules,
    runs,
    shares,
    studies,
    tables,
    zoo,
)
from neuralscope.server.schemas import EventMessage
from neuralscope.server.security import BodyLimitMiddleware, TokenMiddleware
from neuralscope.server.static import mount_web_app
from neuralscope.store import Recorder, Store

log = logging.getLogger(__name__)


def _operation_id(route: APIRoute) -> str:
    return route.name


def _install_openapi(app: FastAPI) -> None:
    """Add the WebSocket's batch message to the schema, so clients generate it too.

    (Its first message, ``LiveSnapshot``, is already there: ``GET /api/runs/{id}/snapshot``.)
    """
    plain = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = plain()
            _, defs = models_json_schema(
                [(EventMessage, "serialization")],
                ref_template="#/components/schemas/{model}",
            )
            components = schema.setdefault("components", {}).setdefault("schemas", {})
            for name, definition in defs.get("$defs", {}).items():
                components.setdefault(name, definition)
            _document_common_errors(schema)
            add_links(schema)  # create → read flows, for stateful API tests
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


_ERROR = {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorResponse"}}}
_COMMON_ERRORS = {
    "401": "Missing or wrong token (when the server has one)",
    "503": "The database is not answering; try again in a moment",
}
_BODY_ERRORS = {
    "400": "The body is not valid JSON",
    "413": "The body is over the size limit",
    "422": "The body or a parameter is invalid; the message names the field",
}


def _document_common_errors(schema: dict[str, Any]) -> None:
    """Document the errors the middleware and shared handlers can give on any operation.

    Route declarations list their own outcomes; these come from around them: the token check
    (not on a share link's read-only view), the database, and for operations with a body the
    JSON parser (FastAPI answers malformed JSON with 400) and the size limit.
    """
    for path, item in schema.get("paths", {}).items():
        for method, operation in item.items():
            responses = operation.setdefault("responses", {})
            errors = dict(_COMMON_ERRORS)
            if method == "get" and path.startswith("/api/shared/"):
                errors.pop("401")
            if "requestBody" in operation:
                errors.update(_BODY_ERRORS)
            for code, description in errors.items():
                responses.setdefault(code, {"description": description, "content": _ERROR})


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the ASGI app; services open in its lifespan (so tests get a fresh database each)."""
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        store = Store(settings.db_url, settings.artifacts_dir)
        # On a database shared with other processes, only runs silent for a while are dead.
        stale = None if store.backend == "sqlite" else timedelta(minutes=5)
        interrupted = store.runs.mark_interrupted(stale_after=stale)
        if interrupted:
            log.warning(
                "%d run(s) were interrupted by a previous shutdown and are marked failed",
                interrupted,
            )
        recorder = Recorder(store)
        bus = EventBus()
        manager = RunManager(
            store, recorder, bus, device=settings.resolve_device(), data_home=settings.datasets_dir
        )
        app.state.services = Services(settings, store, recorder, bus, manager)
        try:
            yield
        finally:
            manager.shutdown()
            recorder.close()
            store.close()

    app = FastAPI(
        title="neuralscope",
        version=__version__,
        description="See inside neural networks while they train.",
        lifespan=lifespan,
        generate_unique_id_function=_operation_id,
    )
    install_error_handlers(app)
    app.include_router(meta.router)
    app.include_router(runs.router)
    app.include_router(ingest.router)
    app.include_router(models.router)
    app.include_router(tables.router)
    app.include_router(shares.router)
    app.include_router(modules.router)
    app.include_router(ws.router)
    app.include_router(studies.router)
    app.include_router(zoo.router)
    mount_web_app(app)
    _install_openapi(app)
    app.add_middleware(
        BodyLimitMiddleware,
        max_bytes=settings.max_body_bytes,
        upload_max_bytes=settings.max_upload_bytes,
    )
    token = settings.token_value()
    if token:
        app.add_middleware(TokenMiddleware, token=token)
    return app
