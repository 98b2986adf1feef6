"""The API's p95 latency for listing the trials of a study of 1,000 trials (issue #6).

A real app (``create_app`` served by uvicorn on a free port, temporary home, SQLite) holds one
study whose trials look like a worker's: a 10-epoch curve, a 7-layer architecture, metrics and
three params. Trial 0 is written through Optuna; the others are copies of its rows in Optuna's
tables (one transaction: Optuna's ORM writes ~10 trials/s on a busy 2-core box). Requests ask
for pages of 50 (the web gallery's page) at random offsets, every order the API offers.

    .venv/bin/python benchmarks/_search_listing.py [--trials 1000] [--requests 200]

``benchmarks/search_scaling.py`` imports :func:`measure_listing_p95` and prints it.
"""

from __future__ import annotations

import argparse
import random
import socket
import statistics
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import httpx
import optuna
import sqlalchemy as sa
import uvicorn
from optuna.distributions import CategoricalDistribution, FloatDistribution, IntDistribution
from optuna.trial import create_trial

from neuralscope.config import Settings
from neuralscope.search.contract import (
    ATTR_ARCHITECTURE,
    ATTR_CONFIG,
    ATTR_CURVE,
    ATTR_METRICS,
    ArchitectureLayer,
    CurvePoint,
    HealthComponents,
    StudyConfig,
    TrialMetrics,
)
from neuralscope.server import create_app

optuna.logging.set_verbosity(optuna.logging.WARNING)
STUDY = "listing-bench"
PAGE = 50


def _template() -> optuna.trial.FrozenTrial:
    layers = [
        ArchitectureLayer(kind="input", output_shape=[1, 8, 8]),
        ArchitectureLayer(kind="conv2d", output_shape=[16, 8, 8], params=160, filters=16,
                          kernel_size=3, activation="relu", health=0.9),
        ArchitectureLayer(kind="maxpool2d", output_shape=[16, 4, 4]),
        ArchitectureLayer(kind="flatten", output_shape=[256]),
        ArchitectureLayer(kind="dense", output_shape=[64], params=16448, units=64,
                          activation="relu", health=0.8),
        ArchitectureLayer(kind="dropout", output_shape=[64]),
        ArchitectureLayer(kind="output", output_shape=[10], params=650, units=10),
    ]  # fmt: skip
    curve = [CurvePoint(epoch=e, train_loss=1 / e, val_accuracy=0.9 * e / 10) for e in range(1, 11)]
    metrics = TrialMetrics(
        val_accuracy=0.9,
        train_accuracy=0.93,
        health=80.0,
        components=HealthComponents(**dict.fromkeys(HealthComponents.model_fields, 0.8)),
        params=17258,
        epochs=10,
        train_seconds=12.0,
    )
    return create_trial(
        values=[80.0],
        params={"units": 64, "learning_rate": 0.01, "activation": "relu"},
        distributions={
            "units": IntDistribution(4, 256, log=True),
            "learning_rate": FloatDistribution(1e-4, 1e-1, log=True),
            "activation": CategoricalDistribution(["relu", "tanh"]),
        },
        user_attrs={
            ATTR_ARCHITECTURE: [layer.model_dump(mode="json") for layer in layers],
            ATTR_CURVE: [p.model_dump(mode="json") for p in curve],
            ATTR_METRICS: metrics.model_dump(mode="json"),
        },
    )


def seed_study(url: str, n_trials: int) -> None:
    """One study of ``n_trials`` trials: trial 0 by Optuna, the rest copies of its rows."""
    storage = optuna.storages.RDBStorage(url)
    study = optuna.create_study(storage=storage, study_name=STUDY, direction="maximize")
    config = StudyConfig(name=STUDY, dataset="digits", n_trials=n_trials)
    study.set_user_attr(ATTR_CONFIG, config.model_dump(mode="json"))
    study.add_trial(_template())
    sid = storage.get_study_id_from_name(STUDY)
    tid = storage.get_trial_id_from_study_id_trial_number(sid, 0)
    with storage.engine.begin() as conn:
        conn.execute(
            sa.text(
                "INSERT INTO trials (number, study_id, state, datetime_start, datetime_complete) "
                "SELECT :n, study_id, state, datetime_start, datetime_complete FROM trials "
                "WHERE trial_id = :t"
            ),
            [{"n": n, "t": tid} for n in range(1, n_trials)],
        )
        copies = [
            {"new": new, "t": tid, "v": 80.0 - new * 1e-3}
            for (new,) in conn.execute(
                sa.text("SELECT trial_id FROM trials WHERE study_id = :s AND trial_id != :t"),
                {"s": sid, "t": tid},
            )
        ]
        for sql in (
            "INSERT INTO trial_values (trial_id, objective, value, value_type) "
            "SELECT :new, objective, :v, value_type FROM trial_values WHERE trial_id = :t",
            "INSERT INTO trial_params (trial_id, param_name, param_value, distribution_json) "
            "SELECT :new, param_name, param_value, distribution_json FROM trial_params "
            "WHERE trial_id = :t",
            "INSERT INTO trial_user_attributes (trial_id, key, value_json) "
            "SELECT :new, key, value_json FROM trial_user_attributes WHERE trial_id = :t",
        ):
            conn.execute(sa.text(sql), copies)
    storage.engine.dispose()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _latencies(n_trials: int, requests: int, seed: int = 0) -> list[float]:
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(home=Path(tmp) / "home")
        settings.home.mkdir(parents=True)
        seed_study(settings.db_url, n_trials)
        port = _free_port()
        server = uvicorn.Server(
            uvicorn.Config(create_app(settings), port=port, log_level="warning", lifespan="on")
        )
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        try:
            while not server.started:
                time.sleep(0.05)
            rng = random.Random(seed)
            times = []
            with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30) as client:
                url = f"/api/studies/{STUDY}/trials"
                first = client.get(url, params={"limit": PAGE})  # opens the catalog
                assert first.json()["total"] == n_trials, first.text
                for i in range(requests):
                    params: dict[str, Any] = {
                        "limit": PAGE,
                        "offset": rng.randrange(0, max(1, n_trials - PAGE)),
                        "order": ("number", "-number", "best")[i % 3],
                    }
                    start = time.perf_counter()
                    response = client.get(url, params=params)
                    times.append(time.perf_counter() - start)
                    assert response.status_code == 200
                    assert len(response.json()["items"]) == PAGE
        finally:
            server.should_exit = True
            thread.join(timeout=15)
    return times


def measure_listing_p95(n_trials: int = 1000, requests: int = 200) -> float:
    """Seconds: the 95th percentile of ``GET /api/studies/{name}/trials`` (pages of 50)."""
    times = sorted(_latencies(n_trials, requests))
    return times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=1000)
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()
    times = sorted(_latencies(args.trials, args.requests))
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    print(
        f"listing a study of {args.trials} trials, pages of {PAGE}, {args.requests} requests: "
        f"p50 {statistics.median(times) * 1e3:.1f} ms, p95 {p95 * 1e3:.1f} ms"
    )


if __name__ == "__main__":
    main()
