"""Opening the database: engine settings per backend, the connection check, and migrations.

SQLite (the default) is opened for many threads and a few processes at once: WAL journal (readers
never block the writer), ``foreign_keys=ON`` (so ``ON DELETE CASCADE`` works), a busy timeout
(writers queue instead of failing with "database is locked"; 30 s, or ``?timeout=<seconds>`` in
the URL) and ``synchronous=NORMAL`` (durable across application crashes; an OS crash may lose the
last commits but never corrupts the file). The pysqlite driver's own transaction handling is
switched off so that SQLAlchemy emits ``BEGIN`` itself: write transactions start with ``BEGIN
IMMEDIATE`` and take the write lock up front, because a deferred transaction that reads and then
writes fails at once, without waiting, when another writer committed in between.

PostgreSQL (``postgresql+psycopg://...``; a bare ``postgresql://`` also means psycopg 3) gets a
plain pooled engine with ``pool_pre_ping``.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.util import CommandError
from sqlalchemy import Engine, create_engine, event, exc, inspect, text
from sqlalchemy.engine import URL, Connection, make_url
from sqlalchemy.pool import StaticPool

from neuralscope.store.errors import StoreUnavailable

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
DEFAULT_SQLITE_TIMEOUT_S = 30.0
# Engine execution option read by the SQLite ``begin`` hook: take the write lock up front.
WRITE_OPTION = "neuralscope_write"
_MIGRATION_LOCK_KEY = 0x6E737472  # "nstr": serialises concurrent migrators on PostgreSQL
# Our schema version lives in its own table: Optuna keeps its version in ``alembic_version``
# of the same database (search studies share the project's database URL).
VERSION_TABLE = "neuralscope_alembic_version"
_LEGACY_VERSION_TABLE = "alembic_version"
_OWN_REVISIONS = ("0001", "0002", "0003", "0004", "0005")


def mask_url(url: str | URL) -> str:
    """The URL as text with its password replaced by ``***``."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except exc.ArgumentError:
        return "<unparseable database URL>"


def create_db_engine(url: str) -> Engine:
    """An engine for ``url``, tuned for its backend (see the module docstring).

    Raises:
        StoreUnavailable: the URL is malformed, its driver is missing, or (SQLite) the
            directory for the file cannot be created.
    """
    try:
        parsed = make_url(url)
    except exc.ArgumentError as error:
        raise StoreUnavailable(f"invalid database URL: {error}") from None
    if parsed.drivername in ("postgres", "postgresql"):
        # psycopg 3 is the driver neuralscope ships for (the ``postgres`` extra), not psycopg2.
        parsed = parsed.set(drivername="postgresql+psycopg")
    try:
        if parsed.get_backend_name() == "sqlite":
            return _sqlite_engine(parsed)
        return create_engine(parsed, pool_pre_ping=True)
    except (ImportError, exc.NoSuchModuleError) as error:
        raise StoreUnavailable(
            f"cannot open {mask_url(parsed)}: database driver not available ({error}); "
            "for PostgreSQL install neuralscope[postgres]"
        ) from error


def _sqlite_engine(url: URL) -> Engine:
    database = url.database or ""
    if database and database != ":memory:" and not database.startswith("file:"):
        try:
            Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise StoreUnavailable(
                f"cannot create the directory for {mask_url(url)}: {error}"
            ) from error
    raw_timeout = url.query.get("timeout", DEFAULT_SQLITE_TIMEOUT_S)
    timeout = float(raw_timeout if isinstance(raw_timeout, str | float) else raw_timeout[0])
    url = url.difference_update_query(["timeout"])
    connect_args = {"check_same_thread": False, "timeout": timeout}
    if database in ("", ":memory:"):
        # One shared connection, or every pooled connection would see its own empty database.
        engine = create_engine(url, connect_args=connect_args, poolclass=StaticPool)
    else:
        engine = create_engine(
            url, connect_args=connect_args, pool_size=8, max_overflow=16, pool_timeout=timeout
        )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # SQLAlchemy emits BEGIN itself (below)
        cursor = dbapi_connection.cursor()
        try:
            # busy_timeout first: switching a new database to WAL takes a lock, and a second
            # connection opening it at that moment must wait instead of failing at once.
            cursor.execute(f"PRAGMA busy_timeout={int(timeout * 1000)}")
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA synchronous=NORMAL")
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        write = connection.get_execution_options().get(WRITE_OPTION, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

    return engine


# Switching a brand-new SQLite file to WAL while other connections open it can fail with
# "database is locked" at once: SQLite skips the busy handler where waiting could deadlock.
# Those races last milliseconds, so opening retries a few times before giving up.
_LOCKED_RETRIES = 6


def check_connection(engine: Engine) -> None:
    """Open one connection, or raise :class:`StoreUnavailable` naming the (masked) URL."""
    for attempt in range(_LOCKED_RETRIES + 1):
        try:
            with engine.connect() as connection:
                connection.execute(text("SELECT 1"))
            return
        except exc.DBAPIError as error:  # refused, unknown host or database, not a database
            locked = "database is locked" in str(error.orig)
            if locked and attempt < _LOCKED_RETRIES:
                time.sleep(0.02 * 2**attempt)
                continue
            raise StoreUnavailable(
                f"cannot reach the database at {mask_url(engine.url)}: {_first_line(error.orig)}"
            ) from error


def _first_line(error: BaseException | None) -> str:
    lines = str(error).strip().splitlines()
    return lines[0] if lines else type(error).__name__


def alembic_config(connection: Connection | None = None) -> Config:
    """An Alembic config for the package's migrations, built in code (no alembic.ini)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["connection"] = connection
    return config


def _adopt_legacy_version(connection: Connection) -> None:
    """Move our revision out of ``alembic_version`` (databases made before issue #6).

    Earlier versions kept the schema version in Alembic's default table, which Optuna also
    uses. A revision of ours found there moves to :data:`VERSION_TABLE`; the old table is
    dropped when nothing else is left in it.
    """
    tables = set(inspect(connection).get_table_names())
    if _LEGACY_VERSION_TABLE not in tables or VERSION_TABLE in tables:
        return
    rows = [
        r[0] for r in connection.execute(text(f"SELECT version_num FROM {_LEGACY_VERSION_TABLE}"))
    ]
    ours = [r for r in rows if r in _OWN_REVISIONS]
    if not ours:
        return
    connection.execute(
        text(f"CREATE TABLE {VERSION_TABLE} (version_num VARCHAR(32) NOT NULL PRIMARY KEY)")
    )
    connection.execute(
        text(f"INSERT INTO {VERSION_TABLE} (version_num) VALUES (:v)"), {"v": ours[0]}
    )
    if len(rows) == len(ours):
        connection.execute(text(f"DROP TABLE {_LEGACY_VERSION_TABLE}"))
    else:
        connection.execute(
            text(f"DELETE FROM {_LEGACY_VERSION_TABLE} WHERE version_num = :v"), {"v": ours[0]}
        )
    log.info("schema version moved from %s to %s", _LEGACY_VERSION_TABLE, VERSION_TABLE)


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest migration (idempotent; safe with concurrent callers)."""
    check_connection(engine)
    with engine.execution_options(**{WRITE_OPTION: True}).begin() as connection:
        if connection.dialect.name == "postgresql":
            # Several workers starting at once against one database: one migrates, others wait.
            connection.execute(
                text("SELECT pg_advisory_xact_lock(:key)"), {"key": _MIGRATION_LOCK_KEY}
            )
        _adopt_legacy_version(connection)
        try:
            command.upgrade(alembic_config(connection), "head")
        except CommandError as error:
            # Typically a database migrated by a newer neuralscope than this one.
            raise StoreUnavailable(
                f"cannot bring the schema of {mask_url(engine.url)} up to date: {error}; "
                "is it used by a newer version of neuralscope?"
            ) from error
    log.debug("database at %s migrated to head", mask_url(engine.url))
