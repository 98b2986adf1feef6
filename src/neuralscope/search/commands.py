"""Command lines of local ``neuralscope worker`` processes, shared by ``neuralscope search``
and the server's ``POST /api/studies``.

With a seed, worker i gets sampler seed ``seed + WORKER_SEED_STRIDE * i`` (its k-th trial then
``seed + WORKER_SEED_STRIDE * i + k``, see ``WorkerOptions.seed``), so no two workers draw the
same parameters as long as each runs fewer than ``WORKER_SEED_STRIDE`` trials; without one,
every trial draws afresh.
"""

from __future__ import annotations

import sys
from pathlib import Path

WORKER_SEED_STRIDE = 1000
MAX_SEED = 2**31 - 1  # numpy's and Optuna's samplers take seeds below 2^32


def worker_command(study: str, url: str, home: Path, seed: int | None = None) -> list[str]:
    """One worker on ``study`` in the database at ``url``, with its files under ``home``."""
    base = [sys.executable, "-m", "neuralscope.cli", "worker", "--study", study,
            "--storage", url, "--home", str(home)]  # fmt: skip
    return base if seed is None else [*base, "--seed", str(seed)]


def worker_commands(
    study: str, url: str, home: Path, workers: int, seed: int | None
) -> list[list[str]]:
    """``workers`` worker command lines, seeded as the module docstring says."""
    return [
        worker_command(study, url, home, None if seed is None else seed + WORKER_SEED_STRIDE * i)
        for i in range(workers)
    ]
