"""Search scaling: trials per second with 1 worker against 2 workers on the same fixed budget.

Issue #6's bar: 2 workers on 2 cores reach >= 1.7x the throughput of 1 worker.

Measured: a study of ``--trials`` trials on digits (a small fixed CNN space, ``--epochs``
epochs, pruning off so every trial does the same work) is run by ``neuralscope worker``
processes on a fresh SQLite file; 1-worker and 2-worker runs alternate ``--repeats`` times and
medians are reported. Throughput counts trials per second between the first trial's start
and the last trial's end (Optuna's own timestamps); the wall time including worker start-up is
printed beside it. The machine is shared: the 1-minute load average before each run is
printed, since other processes on the 2 cores lower the 2-worker ratio.

If ``benchmarks/_search_listing.py`` is there, the REST API's p95 for listing a study of
1,000 trials is printed too.

    .venv/bin/python benchmarks/search_scaling.py [--trials 8] [--epochs 2] [--repeats 1]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import optuna

from neuralscope.search import create_study, open_storage
from neuralscope.search.contract import SearchSpace, StudyConfig

SPACE = SearchSpace.model_validate(
    {
        "family": "cnn",
        "params": {
            "filters": {"type": "categorical", "choices": [8]},
            "dense_units": {"type": "categorical", "choices": [32]},
            "conv_blocks": {"type": "categorical", "choices": [2]},
            "batch_size": {"type": "categorical", "choices": [32]},
            "learning_rate": {"type": "float", "low": 1e-3, "high": 1e-2, "log": True},
        },
    }
)


def run(workers: int, trials: int, epochs: int) -> tuple[float, float, float]:
    """(trials/s between first start and last end, wall seconds, load before)."""
    load = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'bench.db'}"
        config = StudyConfig(
            name="bench", dataset="digits", objective="accuracy", n_trials=trials,
            max_epochs=epochs, space=SPACE, pruning=False,
        )  # fmt: skip
        create_study(config, url)
        command = [sys.executable, "-m", "neuralscope.cli", "worker", "--study", "bench",
                   "--storage", url, "--home", tmp]  # fmt: skip
        started = time.perf_counter()
        procs = [subprocess.Popen(command, stderr=subprocess.DEVNULL) for _ in range(workers)]
        if any(p.wait() != 0 for p in procs):
            raise RuntimeError("a worker failed")
        wall = time.perf_counter() - started
        done = optuna.load_study(study_name="bench", storage=open_storage(url)).trials
        first = min(t.datetime_start for t in done if t.datetime_start)
        last = max(t.datetime_complete for t in done if t.datetime_complete)
        return len(done) / (last - first).total_seconds(), wall, load


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=8)
    parser.add_argument("--epochs", type=int, default=2)
    parser.add_argument("--repeats", type=int, default=1)
    args = parser.parse_args()
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    rates: dict[int, list[float]] = {1: [], 2: []}
    for _ in range(args.repeats):
        for workers in (1, 2):
            rate, wall, load = run(workers, args.trials, args.epochs)
            rates[workers].append(rate)
            print(f"{workers} worker(s): {rate:.3f} trials/s, wall {wall:.1f} s, load {load:.2f}")
    one, two = statistics.median(rates[1]), statistics.median(rates[2])
    print(f"cores: {os.cpu_count()}, 1-minute load now: {os.getloadavg()[0]:.2f}")
    print(f"throughput ratio 2 workers / 1 worker: {two / one:.2f} (bar >= 1.7 on 2 cores)")
    listing = Path(__file__).with_name("_search_listing.py")
    if listing.exists():
        sys.path.insert(0, str(listing.parent))
        from _search_listing import measure_listing_p95

        print(f"API p95 listing a study of 1,000 trials: {measure_listing_p95() * 1000:.1f} ms")


if __name__ == "__main__":
    main()
