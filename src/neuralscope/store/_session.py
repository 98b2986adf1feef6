"""Sessions for the repositories: one short transaction per call, reads apart from writes.

On SQLite a write session begins with ``BEGIN IMMEDIATE`` (see ``db.py``) so that concurrent
writers queue on the busy timeout instead of failing; on PostgreSQL both kinds are plain
read-committed transactions.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker

from neuralscope.store.db import WRITE_OPTION


class Database:
    """Hands out sessions bound to one engine; safe to share between threads."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._reader = sessionmaker(engine, expire_on_commit=False)
        self._writer = sessionmaker(
            engine.execution_options(**{WRITE_OPTION: True}), expire_on_commit=False
        )

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A session for reading; its transaction is rolled back at the end."""
        with self._reader() as session:
            yield session

    @contextmanager
    def write(self) -> Iterator[Session]:
        """A session in one transaction: committed on success, rolled back on error."""
        with self._writer.begin() as session:
            yield session


def upsert(
    session: Session,
    model: type[DeclarativeBase],
    values: Sequence[Mapping[str, Any]],
    *,
    keys: Sequence[str],
    update: Sequence[str] = (),
) -> None:
    """Insert rows; on a conflict on ``keys`` update the ``update`` columns (or do nothing)."""
    if not values:
        return
    rows = [dict(v) for v in values]
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        pg = postgresql.insert(model).values(rows)
        if update:
            set_ = {c: pg.excluded[c] for c in update}
            session.execute(pg.on_conflict_do_update(index_elements=list(keys), set_=set_))
        else:
            session.execute(pg.on_conflict_do_nothing(index_elements=list(keys)))
    elif dialect == "sqlite":
        lite = sqlite.insert(model).values(rows)
        if update:
            set_ = {c: lite.excluded[c] for c in update}
            session.execute(lite.on_conflict_do_update(index_elements=list(keys), set_=set_))
        else:
            session.execute(lite.on_conflict_do_nothing(index_elements=list(keys)))
    else:
        raise NotImplementedError(f"upsert on {dialect!r} is not supported")
