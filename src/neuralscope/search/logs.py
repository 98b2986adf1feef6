"""Structured, rotating logs of a study: ``<home>/logs/search/<study>.log``, one JSON object a line.

Every process of a study (the ``search`` command, each worker, each trial process) appends to
the same file. ``RotatingFileHandler`` alone is not safe across processes (two could rotate at
once, or keep writing into a rotated file), so each write takes an exclusive ``flock`` on a lock
file next to the log and reopens the log when another process has rotated it.
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
import socket
import time
from logging.handlers import RotatingFileHandler
from pathlib import Path
from typing import Any

MAX_BYTES = 5 * 1024 * 1024
BACKUPS = 3


def log_path(home: Path, study: str) -> Path:
    return home / "logs" / "search" / f"{study}.log"


class JsonFormatter(logging.Formatter):
    """``{"time", "level", "study", "host", "pid", "message", ...fields}`` per line."""

    def __init__(self, study: str) -> None:
        super().__init__()
        self.study = study
        self.host = socket.gethostname()

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created))
            + f".{int(record.msecs):03d}Z",
            "level": record.levelname.lower(),
            "study": self.study,
            "host": self.host,
            "pid": record.process,
            "message": record.getMessage(),
        }
        entry.update(getattr(record, "fields", {}))
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str)


class SharedRotatingFileHandler(RotatingFileHandler):
    """A RotatingFileHandler several processes can share (see the module docstring)."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        super().__init__(path, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8")
        self._lock_path = path.with_name(path.name + ".lock")

    def emit(self, record: logging.LogRecord) -> None:
        with open(self._lock_path, "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                self._reopen_if_rotated()
                super().emit(record)
                if self.stream is not None:
                    self.stream.flush()
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def _reopen_if_rotated(self) -> None:
        if self.stream is None:
            return
        try:
            same = os.stat(self.baseFilename).st_ino == os.fstat(self.stream.fileno()).st_ino
        except FileNotFoundError:
            same = False
        if not same:
            self.stream.close()
            self.stream = self._open()


def study_logger(home: Path, study: str) -> logging.Logger:
    """The study's logger (one handler per process, added once)."""
    logger = logging.getLogger(f"neuralscope.search.study.{study}")
    path = log_path(home, study)
    if not any(
        isinstance(h, SharedRotatingFileHandler) and h.baseFilename == str(path.resolve())
        for h in logger.handlers
    ):
        handler = SharedRotatingFileHandler(path)
        handler.setFormatter(JsonFormatter(study))
        logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False
    return logger


def log(logger: logging.Logger, message: str, level: int = logging.INFO, **fields: Any) -> None:
    logger.log(level, message, extra={"fields": fields})
