"""Access control and request limits, as plain ASGI middleware (covers HTTP and WebSocket).

* With a token configured, every ``/api`` request needs ``Authorization: Bearer <token>`` and
  every ``/ws`` connection needs ``?token=<token>`` or the subprotocol ``bearer.<token>``.
  The static web app itself is public; it asks for the token.
* Request bodies larger than ``max_body_bytes`` are refused with 413, whether or not the client
  declared a Content-Length, without reading the rest.
"""

from __future__ import annotations

import hmac
import json
from urllib.parse import parse_qs

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from neuralscope.server.schemas import ErrorDetail, ErrorResponse

PROTECTED_PREFIXES = ("/api", "/ws")
UPLOAD_PATHS = frozenset({"/api/models"})
# A share link's unguessable token is its own credential: reading a shared run needs no server
# token (forking it, a write, still does).
PUBLIC_READ_PREFIX = "/api/shared/"
UNAUTHORIZED = (
    "this server needs a token: API clients send 'Authorization: Bearer <token>'; "
    "in the browser, open the page once as http://<host>:<port>/?token=<token>"
)


def _error_body(code: str, message: str) -> bytes:
    return json.dumps(
        ErrorResponse(error=ErrorDetail(code=code, message=message)).model_dump()
    ).encode()


async def _send_error(send: Send, status: int, code: str, message: str) -> None:
    body = _error_body(code, message)
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


def websocket_token(scope: Scope) -> str | None:
    """The token a WebSocket client offered, by query string or ``bearer.<token>`` subprotocol."""
    query = parse_qs(scope.get("query_string", b"").decode())
    if "token" in query:
        return str(query["token"][0])
    for proto in scope.get("subprotocols", []):
        if proto.startswith("bearer."):
            return str(proto).removeprefix("bearer.")
    return None


def _http_token(scope: Scope) -> str | None:
    for name, value in scope.get("headers", []):
        if name == b"authorization":
            header: bytes = value
            scheme, _, token = header.decode("latin-1").partition(" ")
            if scheme.lower() == "bearer":
                return token.strip()
    return None


class TokenMiddleware:
    def __init__(self, app: ASGIApp, token: str) -> None:
        self.app = app
        self.token = token.encode()

    def _ok(self, offered: str | None) -> bool:
        return offered is not None and hmac.compare_digest(offered.encode(), self.token)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path: str = scope.get("path", "")
        if scope["type"] not in ("http", "websocket") or not path.startswith(PROTECTED_PREFIXES):
            await self.app(scope, receive, send)
            return
        if scope["type"] == "http":
            method = scope.get("method")
            public = method == "GET" and path.startswith(PUBLIC_READ_PREFIX)
            if method == "OPTIONS" or public or self._ok(_http_token(scope)):
                await self.app(scope, receive, send)
            else:
                await _send_error(send, 401, "unauthorized", UNAUTHORIZED)
            return
        if self._ok(websocket_token(scope)):
            await self.app(scope, receive, send)
        else:
            await send({"type": "websocket.close", "code": 1008, "reason": "token required"})


class BodyLimitMiddleware:
    def __init__(self, app: ASGIApp, max_bytes: int, upload_max_bytes: int | None = None) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.upload_max_bytes = upload_max_bytes or max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        # File uploads stream to disk and get their own (larger) limit; every other body is
        # read into memory and stays small.
        upload = scope.get("method") == "POST" and scope.get("path") in UPLOAD_PATHS
        limit, setting = (
            (self.upload_max_bytes, "max_upload_bytes")
            if upload
            else (self.max_bytes, "max_body_bytes")
        )
        message = (
            f"the request body is larger than the limit of {limit} bytes; "
            f"send a smaller body (the limit is the server's {setting} setting)"
        )
        for name, value in scope.get("headers", []):
            if name == b"content-length" and value.isdigit() and int(value) > limit:
                await _send_error(send, 413, "too_large", message)
                return
        received = 0
        started = rejected = False

        async def limited_receive() -> Message:
            nonlocal received, rejected
            msg = await receive()
            if msg["type"] == "http.request":
                received += len(msg.get("body", b""))
                if received > limit:
                    # Answer now, and tell the app the client left, so it stops reading.
                    if not started:
                        rejected = True
                        await _send_error(send, 413, "too_large", message)
                    return {"type": "http.disconnect"}
            return msg

        async def guarded_send(msg: Message) -> None:
            nonlocal started
            if rejected:
                return  # the 413 is already out; drop the app's answer to the disconnect
            if msg["type"] == "http.response.start":
                started = True
            await send(msg)

        await self.app(scope, limited_receive, guarded_send)
