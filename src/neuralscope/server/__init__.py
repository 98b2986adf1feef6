"""The HTTP/WebSocket server: a thin layer over the library."""

from neuralscope.server.app import create_app

__all__ = ["create_app"]
