"""REST list latency with 10,000 runs (issue #8): ``GET /api/runs`` stays paginated and fast.

A real server (uvicorn subprocess) over a SQLite database holding ``--runs`` runs, written
through the store's repository as the Playground and watch() store them. The client asks for
pages of 50 at random offsets, the first page, and pages filtered by kind, and reports the
p50 and p95 latency of each over ``--requests`` calls. The issue's bar is "fast"; a page must
also never exceed its limit.

    .venv/bin/python benchmarks/list_runs_p95.py [--runs 10000] [--requests 300]
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from pathlib import Path

import httpx

from neuralscope.config import Settings
from neuralscope.store import Store
from neuralscope.training import SessionConfig
from session_overhead import ServerProcess


def _fill(home: Path, n: int) -> None:
    """Runs as the Playground and watch() store them (two in three Playground runs)."""
    settings = Settings(home=home)
    playground = SessionConfig().model_dump(mode="json")
    watched = {"model": "Sequential", "parameters": 101_770, "layers": ["0", "2"]}
    with Store(settings.db_url, settings.artifacts_dir) as store:
        for i in range(n):
            kind = "playground" if i % 3 else "watch"
            config = {**playground, "seed": i} if kind == "playground" else watched
            store.runs.create(name=f"run {i}", kind=kind, config=config)


def _p(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100)[int(q) - 1] if len(values) > 1 else values[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=300)
    args = parser.parse_args()
    rng = random.Random(0)
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp)
        t0 = time.perf_counter()
        _fill(home, args.runs)
        print(f"stored {args.runs} runs in {time.perf_counter() - t0:.1f} s")
        server = ServerProcess(home).start()
        url = server.url
        try:
            with httpx.Client(base_url=url, timeout=30) as client:
                queries = {
                    "page at a random offset": lambda: {
                        "limit": 50,
                        "offset": rng.randrange(0, args.runs),
                    },
                    "first page": lambda: {"limit": 50, "offset": 0},
                    "filtered by kind": lambda: {
                        "limit": 50,
                        "offset": rng.randrange(0, args.runs // 3),
                        "kind": "watch",
                    },
                }
                for label, params in queries.items():
                    client.get("/api/runs", params=params())  # warm
                    latencies = []
                    for _ in range(args.requests):
                        start = time.perf_counter()
                        response = client.get("/api/runs", params=params())
                        latencies.append((time.perf_counter() - start) * 1000)
                        page = response.json()
                        assert response.status_code == 200
                        assert len(page["items"]) <= 50
                        assert page["total"] >= len(page["items"])
                    print(
                        f"GET /api/runs ({label}): p50 {_p(latencies, 50):.1f} ms, "
                        f"p95 {_p(latencies, 95):.1f} ms over {args.requests} requests"
                    )
        finally:
            server.stop()


if __name__ == "__main__":
    main()
