"""Independent per-tensor work on a few threads (``AnalysisConfig.workers``).

numpy, LAPACK and BLAS release the GIL, so threads overlap the heavy part of per-tensor
statistics and spectra. While several run, each BLAS call is limited to one thread
(oversubscribed BLAS pools run 5-100x slower on small machines: PERFORMANCE.md). Items are
handed out largest first (longest-processing-time order, Graham 1969) so one big matrix does
not finish alone at the end; results come back in the input order.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from threadpoolctl import threadpool_limits  # type: ignore[import-untyped]

T = TypeVar("T")
R = TypeVar("R")


def parallel_map(
    fn: Callable[[T], R], items: Sequence[T], workers: int, cost: Callable[[T], int]
) -> list[R]:
    """``[fn(x) for x in items]``, on ``workers`` threads when there is more than one."""
    if workers <= 1 or len(items) <= 1:
        return [fn(x) for x in items]
    order = sorted(range(len(items)), key=lambda i: -cost(items[i]))
    with threadpool_limits(limits=1), ThreadPoolExecutor(workers) as pool:
        done = dict(zip(order, pool.map(lambda i: fn(items[i]), order), strict=True))
    return [done[i] for i in range(len(items))]
