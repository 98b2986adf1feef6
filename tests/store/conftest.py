"""The store's conformance fixtures: every database test runs on SQLite and on PostgreSQL.

Each test gets a fresh database: a new SQLite file, or a new database on a PostgreSQL 15 server
that is started once per session (see ``tests/pgserver.py``). Locally the PostgreSQL half is
skipped when the server binaries are missing; in CI (``CI`` set) that is an error.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.pgserver import PostgresServer
from tests.store.store_backends import Backend

from neuralscope.store import Store


@pytest.fixture(
    params=[
        pytest.param("sqlite", id="sqlite"),
        pytest.param("postgres", id="postgres", marks=pytest.mark.postgres),
    ]
)
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Backend]:
    if request.param == "sqlite":
        yield Backend("sqlite", f"sqlite:///{tmp_path / 'db' / 'store.db'}")
        return
    server: PostgresServer = request.getfixturevalue("pg_server")
    database = server.create_database()
    try:
        yield Backend("postgres", server.url(database))
    finally:
        server.drop_database(database)


@pytest.fixture
def artifacts_dir(tmp_path: Path) -> Path:
    return tmp_path / "artifacts"


@pytest.fixture
def store(backend: Backend, artifacts_dir: Path) -> Iterator[Store]:
    with Store(backend.url, artifacts_dir) as opened:
        yield opened
