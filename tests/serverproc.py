"""A real `neuralscope serve` in a child process, for tests that need one (e2e, faults)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import IO

import httpx


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class ServerProcess:
    """``neuralscope serve --home HOME`` on a free loopback port; ``start()`` waits for health."""

    def __init__(
        self, home: Path, *extra: str, port: int | None = None, token: str | None = None
    ) -> None:
        self.home = home
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = home / f"server-{self.port}.log"
        self._extra = (*extra, "--token", token) if token else extra
        self._headers = {"Authorization": f"Bearer {token}"} if token else {}
        self._proc: subprocess.Popen[bytes] | None = None
        self._log: IO[str] | None = None

    def start(self, timeout: float = 60) -> ServerProcess:
        self.home.mkdir(parents=True, exist_ok=True)
        self._log = self.log_path.open("a")
        command = [sys.executable, "-m", "neuralscope.cli", "serve", "--port", str(self.port)]
        self._proc = subprocess.Popen(
            [*command, "--home", str(self.home), *self._extra],
            stdout=self._log,
            stderr=subprocess.STDOUT,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
        deadline = time.monotonic() + timeout
        while True:
            try:
                if (
                    httpx.get(
                        f"{self.url}/api/health", headers=self._headers, timeout=1
                    ).status_code
                    == 200
                ):
                    return self
            except httpx.TransportError:
                pass
            if self._proc.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"server did not start:\n{self.log_path.read_text()}")
            time.sleep(0.2)

    @property
    def pid(self) -> int:
        assert self._proc is not None, "start() first"
        return self._proc.pid

    def kill(self) -> None:
        """SIGKILL: no shutdown handler runs, as when the machine or the process dies."""
        assert self._proc is not None
        self._proc.send_signal(signal.SIGKILL)
        self._proc.wait(timeout=15)
        self._close_log()

    def stop(self) -> None:
        if self._proc is not None and self._proc.poll() is None:
            self._proc.terminate()
            try:
                self._proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self._proc.kill()
                self._proc.wait(timeout=15)
        self._close_log()

    def _close_log(self) -> None:
        if self._log is not None:
            self._log.close()
            self._log = None
