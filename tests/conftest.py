"""Shared fixtures. Tests run torch on one thread: on this 2-core box more threads are slower.

``pg_server`` is one PostgreSQL 15 server for the whole session (see ``tests/pgserver.py``),
shared by the store's conformance suite and the search tests. Locally it is skipped when the
binaries are missing; in CI (``CI`` set) that is an error.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
import torch
from tests.pgserver import PostgresServer, postgres_unavailable_reason, running_postgres

torch.set_num_threads(1)


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PostgresServer]:
    reason = postgres_unavailable_reason()
    if reason is not None:
        if os.environ.get("CI"):
            pytest.fail(f"PostgreSQL is required in CI: {reason}")
        pytest.skip(reason)
    with running_postgres() as server:
        yield server
