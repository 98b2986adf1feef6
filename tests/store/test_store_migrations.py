"""Schema: migrations reach head, match the models, and bad databases fail clearly."""

from __future__ import annotations

import socket
import threading
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text
from tests.store.store_backends import Backend

from neuralscope.store import Store, StoreUnavailable, create_db_engine, migrate
from neuralscope.store.db import VERSION_TABLE, alembic_config
from neuralscope.store.models import Base

TABLES = {"runs", "metrics", "snapshots", "events", "artifacts", "run_artifacts"}


def _head() -> str | None:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def test_migrate_empty_database_to_head_matches_models(backend: Backend) -> None:
    engine = create_db_engine(backend.url)
    try:
        migrate(engine)
        migrate(engine)  # idempotent
        with engine.connect() as conn:
            context = MigrationContext.configure(
                conn, opts={"compare_type": True, "version_table": VERSION_TABLE}
            )
            assert context.get_current_revision() == _head()
            assert set(inspect(conn).get_table_names()) >= TABLES
            assert compare_metadata(context, Base.metadata) == []
    finally:
        engine.dispose()


def test_downgrade_to_base_and_up_again(backend: Backend) -> None:
    engine = create_db_engine(backend.url)
    try:
        migrate(engine)
        with engine.begin() as conn:
            command.downgrade(alembic_config(conn), "base")
        with engine.connect() as conn:
            assert not set(inspect(conn).get_table_names()) & TABLES
        migrate(engine)
        with engine.connect() as conn:
            assert set(inspect(conn).get_table_names()) >= TABLES
    finally:
        engine.dispose()


def test_legacy_version_table_is_adopted_and_optunas_left_alone(backend: Backend) -> None:
    """Databases made before issue #6 kept our revision in ``alembic_version``, Optuna's table."""
    engine = create_db_engine(backend.url)
    try:
        migrate(engine)
        head = _head()
        with engine.begin() as conn:  # rewind to the old layout
            conn.execute(text(f"DROP TABLE {VERSION_TABLE}"))
            conn.execute(text("CREATE TABLE alembic_version (version_num VARCHAR(32) PRIMARY KEY)"))
            conn.execute(text("INSERT INTO alembic_version VALUES (:v)"), {"v": head})
        migrate(engine)
        with engine.connect() as conn:
            assert "alembic_version" not in inspect(conn).get_table_names()
            version = conn.execute(text(f"SELECT version_num FROM {VERSION_TABLE}")).scalar_one()
            assert version == head
        with engine.begin() as conn:  # Optuna's own version table in the same database
            conn.execute(text("CREATE TABLE alembic_version (version_num VARCHAR(32) PRIMARY KEY)"))
            conn.execute(text("INSERT INTO alembic_version VALUES ('v3.2.0.a')"))
        migrate(engine)
        with engine.connect() as conn:
            rows = conn.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
            assert rows == ["v3.2.0.a"]
    finally:
        engine.dispose()


def test_concurrent_first_opens_migrate_once(backend: Backend, artifacts_dir: Path) -> None:
    errors: list[BaseException] = []

    def open_store() -> None:
        try:
            Store(backend.url, artifacts_dir).close()
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=open_store) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []


def test_sqlite_pragmas(tmp_path: Path) -> None:
    engine = create_db_engine(f"sqlite:///{tmp_path / 'deep' / 'dir' / 'x.db'}")
    try:
        with engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 30_000
            assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 1  # NORMAL
    finally:
        engine.dispose()


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


def test_unreachable_postgres_names_url_without_password(tmp_path: Path) -> None:
    url = f"postgresql+psycopg://neural:s3cret-pw@127.0.0.1:{_closed_port()}/scope"
    with pytest.raises(StoreUnavailable) as info:
        Store(url, tmp_path)
    message = str(info.value)
    assert "s3cret-pw" not in message
    assert f"neural:***@127.0.0.1:{url.split(':')[-1]}" in message


def test_sqlite_path_that_cannot_exist(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    with pytest.raises(StoreUnavailable, match="cannot create the directory"):
        Store(f"sqlite:///{blocker / 'sub' / 'x.db'}", tmp_path)


def test_bare_postgresql_url_uses_psycopg_3() -> None:
    engine = create_db_engine("postgresql://user:pw@127.0.0.1:1/db")
    try:
        assert engine.dialect.driver == "psycopg"
    finally:
        engine.dispose()


def test_a_file_that_is_not_a_database(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_bytes(b"these are my notes, not a database" * 100)
    with pytest.raises(StoreUnavailable, match="not a database"):
        Store(f"sqlite:///{path}", tmp_path)


def test_malformed_url(tmp_path: Path) -> None:
    with pytest.raises(StoreUnavailable, match="invalid database URL"):
        Store("not a url", tmp_path)


def test_database_from_a_newer_version_is_refused(backend: Backend, artifacts_dir: Path) -> None:
    Store(backend.url, artifacts_dir).close()
    engine = create_db_engine(backend.url)
    try:
        with engine.begin() as conn:
            conn.execute(text("UPDATE neuralscope_alembic_version SET version_num = '9999_future'"))
    finally:
        engine.dispose()
    with pytest.raises(StoreUnavailable, match="newer version of neuralscope"):
        Store(backend.url, artifacts_dir)
