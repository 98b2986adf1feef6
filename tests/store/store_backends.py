"""What a store test knows about its backend beyond the URL: how to make it misbehave."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy.engine import make_url


@dataclass(frozen=True)
class Backend:
    """One fresh database and the backend-specific tools tests need to misbehave it."""

    name: str
    url: str

    def url_with_short_lock_wait(self) -> str:
        """The URL, but waiting at most 0.2 s for a lock before failing."""
        if self.name == "sqlite":
            return f"{self.url}?timeout=0.2"
        return f"{self.url}?options=-c%20lock_timeout%3D200"

    @contextmanager
    def write_lock(self) -> Iterator[None]:
        """Hold a lock that stops every other writer, from a connection of our own."""
        url = make_url(self.url)
        if self.name == "sqlite":
            conn = sqlite3.connect(str(url.database), isolation_level=None)
            try:
                conn.execute("BEGIN IMMEDIATE")
                yield
                conn.execute("ROLLBACK")
            finally:
                conn.close()
            return
        import psycopg

        conninfo = f"host={url.host} port={url.port} user={url.username} dbname={url.database}"
        with psycopg.connect(conninfo) as pg:
            pg.execute("LOCK TABLE runs IN ACCESS EXCLUSIVE MODE")
            yield
            pg.rollback()
