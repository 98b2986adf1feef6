"""A throw-away PostgreSQL server for tests, started from Debian's binaries.

``running_postgres()`` runs ``initdb`` into a temporary directory, starts the server on a free
loopback port (trust auth, no TCP outside 127.0.0.1, its socket inside the temporary directory),
and on exit stops it and removes the directory. PostgreSQL refuses to run as root, so when the
tests run as root the server commands run as the ``postgres`` user via ``runuser``.

``postgres_unavailable_reason()`` says why a server cannot be started here (or None): callers
skip on it locally and fail in CI, where PostgreSQL must be present.
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

PG_BINDIR = Path(os.environ.get("NEURALSCOPE_PG_BINDIR", "/usr/lib/postgresql/15/bin"))
_RUN_AS = "postgres"


def _as_root() -> bool:
    return os.geteuid() == 0


def postgres_unavailable_reason() -> str | None:
    """Why a test PostgreSQL cannot be started on this machine, or None when it can."""
    for tool in ("initdb", "pg_ctl", "postgres"):
        if not (PG_BINDIR / tool).is_file():
            return f"PostgreSQL binaries not found: {PG_BINDIR / tool} (apt install postgresql-15)"
    if _as_root():
        if shutil.which("runuser") is None:
            return "running as root and 'runuser' is missing (PostgreSQL refuses to run as root)"
        try:
            pwd.getpwnam(_RUN_AS)
        except KeyError:
            return f"running as root and there is no {_RUN_AS!r} user to run PostgreSQL as"
    try:
        import psycopg  # noqa: F401
    except ImportError:
        return "psycopg is not installed (pip install 'psycopg[binary]')"
    return None


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class PostgresServer:
    """A running server: build URLs to it and create or drop databases on it."""

    def __init__(self, root: Path, port: int) -> None:
        self.root = root
        self.port = port
        self.data_dir = root / "data"
        self.log_file = root / "server.log"

    def url(self, database: str = "postgres") -> str:
        """A SQLAlchemy URL (psycopg 3 driver) for ``database``."""
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def _admin(self, sql: str) -> None:
        import psycopg

        conninfo = f"host=127.0.0.1 port={self.port} user=postgres dbname=postgres"
        with psycopg.connect(conninfo, autocommit=True) as conn:
            conn.execute(sql)  # type: ignore[arg-type]  # a test helper; names are generated

    def create_database(self, name: str | None = None) -> str:
        """Create an empty database and return its name."""
        name = name or f"t_{uuid.uuid4().hex[:16]}"
        self._admin(f'CREATE DATABASE "{name}"')
        return name

    def drop_database(self, name: str) -> None:
        self._admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def _run(self, *args: str) -> None:
        command = [str(PG_BINDIR / args[0]), *args[1:]]
        if _as_root():
            command = ["runuser", "-u", _RUN_AS, "--", *command]
        result = subprocess.run(command, capture_output=True, text=True, check=False)
        if result.returncode != 0:
            log = self.log_file.read_text() if self.log_file.exists() else ""
            raise RuntimeError(
                f"{' '.join(command)} failed ({result.returncode}):\n"
                f"{result.stdout}\n{result.stderr}\n{log}"
            )

    def start(self) -> None:
        self._run("initdb", "-D", str(self.data_dir), "-U", "postgres", "--auth=trust",
                  "-E", "UTF8", "--no-locale", "--no-sync")  # fmt: skip
        options = " ".join(
            [
                f"-p {self.port}",
                "-c listen_addresses=127.0.0.1",
                f"-c unix_socket_directories={self.root}",
                # Durability is pointless for a throw-away server and costs seconds per test run.
                "-c fsync=off",
                "-c synchronous_commit=off",
                "-c full_page_writes=off",
                "-c max_connections=200",
            ]
        )
        self._run("pg_ctl", "start", "-w", "-t", "60", "-D", str(self.data_dir),
                  "-l", str(self.log_file), "-o", options)  # fmt: skip

    def stop(self) -> None:
        self._run("pg_ctl", "stop", "-w", "-m", "fast", "-D", str(self.data_dir))


@contextmanager
def running_postgres() -> Iterator[PostgresServer]:
    """Start a fresh server for the duration of the block; stop it and remove its files after."""
    reason = postgres_unavailable_reason()
    if reason is not None:
        raise RuntimeError(reason)
    root = Path(tempfile.mkdtemp(prefix="neuralscope-pg-"))
    try:
        if _as_root():
            entry = pwd.getpwnam(_RUN_AS)
            os.chown(root, entry.pw_uid, entry.pw_gid)
        server = PostgresServer(root, _free_port())
        server.start()
        try:
            yield server
        finally:
            server.stop()
    finally:
        shutil.rmtree(root, ignore_errors=True)
