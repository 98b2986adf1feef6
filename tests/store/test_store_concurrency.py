"""Many threads (and two stores, as two processes would) writing one database at once."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

from tests.store.store_backends import Backend

from neuralscope.events import EventKind, RunStatus, StatusEvent, StatusPayload
from neuralscope.store import MetricRow, Store


def _hammer(work: Callable[[int], None], threads: int) -> list[BaseException]:
    errors: list[BaseException] = []
    start = threading.Barrier(threads)

    def run(index: int) -> None:
        start.wait()
        try:
            work(index)
        except BaseException as error:
            errors.append(error)

    pool = [threading.Thread(target=run, args=(i,)) for i in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    return errors


def test_concurrent_writers_never_see_locked_database(
    backend: Backend, artifacts_dir: Path
) -> None:
    # Two stores, two connection pools: what two processes on one SQLite file look like.
    with Store(backend.url, artifacts_dir) as first, Store(backend.url, artifacts_dir) as second:
        shared = first.runs.create(name="shared", kind="playground", config={}).id
        rounds = 24

        def work(index: int) -> None:
            store = first if index % 2 else second
            own = store.runs.create(name=f"t{index}", kind="playground", config={}).id
            for i in range(rounds):
                store.metrics.add_many(own, [MetricRow(i, "loss", float(i), 0.0)])
                store.metrics.add_many(shared, [MetricRow(i, f"t{index}", float(i), 0.0)])
                # Read-modify-write of one row from every thread: the classic deadlock shape.
                store.runs.set_progress(shared, last_step=i, summary={f"t{index}": float(i)})
                status = RunStatus.RUNNING if i % 2 else RunStatus.PAUSED
                payload = StatusPayload(status=status)
                store.events.add_many([StatusEvent(run_id=own, step=i, time=0.0, payload=payload)])
                store.runs.set_status(own, status)
            store.artifacts.put_bytes(f"{index}".encode(), "text/plain", run_id=own, name="n")

        threads = 8
        assert _hammer(work, threads) == []

        page = first.runs.list(limit=100)
        assert page.total == threads + 1
        names = first.metrics.names(shared)
        assert len(names) == threads
        for name, series in first.metrics.series(shared).items():
            assert series.steps == list(range(rounds)), name
        assert set(first.runs.get(shared).summary) == set(names)
        for run in page.items:
            if run.id != shared:
                assert len(second.events.list(run.id, kinds=[EventKind.STATUS])) == rounds
                assert run.status is RunStatus.RUNNING  # the last round's (odd) status
