"""Faults (issue #8): a killed server, a database that is not there, a full disk.

Real processes and real OS limits: the server is SIGKILLed mid-run and started again on the
same home; the artifact write hits RLIMIT_FSIZE (the kernel's "file too large", the same
failure path as a full disk: write() fails part-way).
"""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from tests.server.helpers import small_run
from tests.serverproc import ServerProcess

from neuralscope.store import Store


def _wait(
    client: httpx.Client, run_id: str, done: Callable[[dict[str, Any]], bool], timeout: float = 60
) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if done(client.get(f"/api/runs/{run_id}").json()):
            return
        time.sleep(0.1)
    raise AssertionError(f"run {run_id} never reached the expected state")


def _points(client: httpx.Client, run_id: str) -> int:
    series = client.get(f"/api/runs/{run_id}/metrics", params={"names": ["train/loss"]}).json()
    return sum(len(s["steps"]) for s in series["series"].values())


@pytest.mark.slow
def test_a_server_killed_mid_run_comes_back_with_every_run_intact(tmp_path: Path) -> None:
    server = ServerProcess(tmp_path / "home").start()
    try:
        with httpx.Client(base_url=server.url, timeout=30) as client:
            finished = client.post("/api/runs", json=small_run()).json()["id"]
            _wait(client, finished, lambda run: run["status"] == "completed")
            finished_points = _points(client, finished)
            body = small_run()
            body["config"]["max_steps"] = None  # trains until stopped
            live = client.post("/api/runs", json=body).json()["id"]
            _wait(client, live, lambda run: run["last_step"] > 300)
            live_points = _points(client, live)  # flushed to the database by this request
        server.kill()
        server = ServerProcess(tmp_path / "home", port=server.port).start()
        with httpx.Client(base_url=server.url, timeout=30) as client:
            again = client.get(f"/api/runs/{finished}").json()
            assert again["status"] == "completed"
            assert _points(client, finished) == finished_points
            dead = client.get(f"/api/runs/{live}").json()
            assert dead["status"] == "failed"
            assert "interrupted" in dead["error"]
            assert _points(client, live) >= live_points > 0
    finally:
        server.stop()


SERVE = [sys.executable, "-m", "neuralscope.cli", "serve"]
UNREACHABLE = "postgresql+psycopg://nobody:hunter2@127.0.0.1:1/none?connect_timeout=2"


def test_an_unreachable_database_at_start_is_a_clear_error(tmp_path: Path) -> None:
    result = subprocess.run(
        [*SERVE, "--home", str(tmp_path), "--db", UNREACHABLE],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert "cannot reach the database" in result.stderr
    assert "127.0.0.1:1" in result.stderr
    assert "hunter2" not in result.stderr + result.stdout  # the password is masked


_WRITE_UNDER_LIMIT = """
import resource, signal, sys
from pathlib import Path
from neuralscope.store import Store
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)   # write() then fails with EFBIG instead
store = Store(sys.argv[1], Path(sys.argv[2]))
resource.setrlimit(resource.RLIMIT_FSIZE, (1 << 20, 1 << 20))
try:
    store.artifacts.put_bytes(b"x" * (4 << 20), "application/octet-stream")
except OSError as error:
    print("refused:", error.strerror)
    sys.exit(3)
"""


def test_a_full_disk_leaves_no_partial_artifact_and_no_row(tmp_path: Path) -> None:
    db_url = f"sqlite:///{tmp_path / 'ns.db'}"
    artifacts = tmp_path / "artifacts"
    Store(db_url, artifacts).close()  # schema first: the database itself stays writable
    before = sorted(p.name for p in artifacts.rglob("*"))
    result = subprocess.run(
        [sys.executable, "-c", _WRITE_UNDER_LIMIT, db_url, str(artifacts)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 3, result.stderr
    assert "refused: File too large" in result.stdout
    assert sorted(p.name for p in artifacts.rglob("*")) == before
    with Store(db_url, artifacts) as store:
        stored = store.artifacts.put_bytes(b"small", "text/plain")  # the store still works
        with store.artifacts.open(stored.sha256) as stream:
            assert stream.read() == b"small"
