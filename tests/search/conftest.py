"""A PostgreSQL server for the search tests (see tests/pgserver.py); skipped locally when the
binaries are missing, an error in CI."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from tests.pgserver import PostgresServer, postgres_unavailable_reason, running_postgres


@pytest.fixture(scope="session")
def search_pg() -> Iterator[PostgresServer]:
    reason = postgres_unavailable_reason()
    if reason is not None:
        if os.environ.get("CI"):
            pytest.fail(f"PostgreSQL is required in CI: {reason}")
        pytest.skip(reason)
    with running_postgres() as server:
        yield server
