"""Independent per-tensor work on a few threads (``AnalysisConfig.workers``).

numpy, LAPACK (``_lapack``) and BLAS release the GIL, so threads overlap the heavy part of
per-tensor statistics and spectra. While several run, each BLAS call is limited to one thread
(oversubscribed BLAS pools run 5-100x slower on small machines: PERFORMANCE.md); the limit is
process-wide, so analyses running at once (two server requests) share one and the last to
finish restores the original. Items are handed out largest first (longest-processing-time
order, Graham 1969) so one big matrix does not finish alone at the end; results come back in
the input order.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from typing import Any, TypeVar

from threadpoolctl import (  # type: ignore[import-untyped]
    OpenBLASController,
    threadpool_limits,
)

T = TypeVar("T")
R = TypeVar("R")

MAX_AUTO_WORKERS = 8


def resolve_workers(workers: int) -> int:
    """``workers``, or for 0 one per core this process may use (at most 8)."""
    if workers > 0:
        return workers
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:  # macOS, Windows
        usable = os.cpu_count() or 1
    return max(1, min(MAX_AUTO_WORKERS, usable))


_limit_lock = threading.Lock()
_limit_users = 0
_limiter: Any = None


def _as_controller(action: Callable[[], Any]) -> Any:
    """Run a threadpoolctl call from this thread. threadpoolctl lets only one thread (the first
    to set a limit, while it lives) change OpenBLAS's process-wide pool and silently ignores the
    others; analyses start on whichever thread the CLI or the server uses, and the last one to
    finish may not be the one that set the limit, so each set or restore here takes control
    and hands it back (the module lock serialises them; nothing else sets BLAS limits)."""
    OpenBLASController.clear_controlling_thread(force=True)
    try:
        return action()
    finally:
        OpenBLASController.clear_controlling_thread(force=True)


@contextmanager
def one_blas_thread() -> Iterator[None]:
    """BLAS pools at one thread while any caller is inside (see the module docstring)."""
    global _limit_users, _limiter
    with _limit_lock:
        if _limit_users == 0:
            _limiter = _as_controller(lambda: threadpool_limits(limits=1, user_api="blas"))
        _limit_users += 1
    try:
        yield
    finally:
        with _limit_lock:
            _limit_users -= 1
            if _limit_users == 0:
                _as_controller(_limiter.restore_original_limits)
                _limiter = None


def parallel_map(
    fn: Callable[[T], R], items: Sequence[T], workers: int, cost: Callable[[T], int]
) -> list[R]:
    """``[fn(x) for x in items]``, on ``workers`` threads when there is more than one."""
    if workers <= 1 or len(items) <= 1:
        return [fn(x) for x in items]
    order = sorted(range(len(items)), key=lambda i: -cost(items[i]))
    with one_blas_thread(), ThreadPoolExecutor(workers) as pool:
        done = dict(zip(order, pool.map(lambda i: fn(items[i]), order), strict=True))
    return [done[i] for i in range(len(items))]
