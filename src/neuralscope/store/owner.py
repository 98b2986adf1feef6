"""Which process owns an active run, so a restarted server fails only runs whose owner died.

An owner is ``"<host>:<pid>:<start>"``; ``start`` is the process's start time in clock ticks
since boot (``/proc/<pid>/stat`` field 22, Linux), so a recycled pid is not taken for the
process that created the run. Where ``/proc`` is missing, ``start`` is ``0`` and liveness falls
back to ``os.kill(pid, 0)``.

Two owners are not processes: :data:`REMOTE` (runs created over HTTP by a remote
``watch(server=...)``: the remote process finishes them itself) and ``None`` (runs stored
before owners were recorded: judged as before, by staleness).
"""

from __future__ import annotations

import os
import socket
from functools import cache
from pathlib import Path

REMOTE = "remote"


def _start_ticks(pid: int) -> int | None:
    """Start time of ``pid`` in clock ticks since boot; None if it is not running."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return None
    except OSError:
        return 0
    # the command name (field 2) may hold spaces and parentheses: split after its last ")"
    return int(stat.rsplit(")", 1)[1].split()[19])


def owner_of(pid: int) -> str | None:
    """The owner string of a running process on this host; None if it is not running."""
    if Path("/proc").is_dir():
        ticks = _start_ticks(pid)
        return None if ticks is None else f"{socket.gethostname()}:{pid}:{ticks}"
    return f"{socket.gethostname()}:{pid}:0" if _pid_alive(pid) else None


@cache
def this_process() -> str:
    owner = owner_of(os.getpid())
    assert owner is not None
    return owner


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def is_alive(owner: str) -> bool | None:
    """True or False for an owner on this host; None when it is on another host."""
    parts = owner.rsplit(":", 2)
    if len(parts) != 3 or not parts[1].isdigit():
        return None
    host, pid, start = parts[0], int(parts[1]), parts[2]
    if host != socket.gethostname():
        return None
    if start == "0" or not Path("/proc").is_dir():
        return _pid_alive(pid)
    return owner_of(pid) == owner
