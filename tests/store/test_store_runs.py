"""Runs: CRUD, listing, status timestamps, interruption, cascade delete."""

from __future__ import annotations

import math
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta

import pytest

from neuralscope.events import (
    EventKind,
    MetricsEvent,
    MetricsPayload,
    RunStatus,
    StatusEvent,
    StatusPayload,
)
from neuralscope.store import INTERRUPTED_ERROR, MetricRow, RunNotFound, RunRecord, Store
from neuralscope.store.owner import REMOTE, is_alive, owner_of, this_process


def _make(
    store: Store, name: str = "run", kind: str = "playground", owner: str | None = None
) -> RunRecord:
    return store.runs.create(
        name=name, kind=kind, config={"lr": 0.1, "layers": [4, 4]}, owner=owner
    )


@pytest.fixture(scope="module")
def dead_owner() -> str:
    """The owner string of a real process that has exited."""
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    owner = owner_of(child.pid)
    child.kill()
    child.wait()
    assert owner is not None
    assert is_alive(owner) is False
    return owner


def test_create_and_get(store: Store) -> None:
    before = datetime.now(UTC)
    run = store.runs.create(
        name="xor", kind="playground", config={"lr": 0.03, "nested": {"a": [1, 2]}, "x": None}
    )
    assert len(run.id) == 32
    int(run.id, 16)  # uuid4 hex
    assert run.status is RunStatus.CREATED
    assert run.created_at.tzinfo is not None
    assert before <= run.created_at <= datetime.now(UTC)
    assert (run.started_at, run.finished_at, run.error) == (None, None, None)
    assert (run.last_step, run.summary) == (0, {})
    got = store.runs.get(run.id)
    assert got == run
    assert got.created_at.utcoffset() == timedelta(0)


def test_create_with_given_id_and_non_finite_config(store: Store) -> None:
    run = store.runs.create(name="n", kind="watch", config={"eps": math.inf}, run_id="abc123")
    got = store.runs.get("abc123")
    assert got.id == run.id == "abc123"
    assert got.config == {"eps": math.inf}


def test_get_missing_raises_run_not_found(store: Store) -> None:
    with pytest.raises(RunNotFound) as info:
        store.runs.get("nope")
    assert isinstance(info.value, KeyError)
    assert "nope" in str(info.value)
    for call in (
        lambda: store.runs.set_status("nope", RunStatus.RUNNING),
        lambda: store.runs.set_progress("nope", last_step=1, summary={}),
        lambda: store.runs.delete("nope"),
        lambda: store.metrics.add_many("nope", [MetricRow(0, "loss", 1.0, 0.0)]),
    ):
        with pytest.raises(RunNotFound):
            call()


def test_list_newest_first_with_pagination_and_total(store: Store) -> None:
    ids = [_make(store, name=f"r{i}").id for i in range(7)]
    page = store.runs.list(limit=3)
    assert page.total == 7
    assert [r.id for r in page.items] == ids[::-1][:3]
    second = store.runs.list(limit=3, offset=3)
    assert [r.id for r in second.items] == ids[::-1][3:6]
    last = store.runs.list(limit=3, offset=6)
    assert [r.id for r in last.items] == [ids[0]]
    assert store.runs.list(offset=10).items == []
    assert store.runs.list(offset=10).total == 7


def test_list_filters(store: Store) -> None:
    a = _make(store, kind="playground")
    b = _make(store, kind="search")
    c = _make(store, kind="search")
    store.runs.set_status(c.id, RunStatus.RUNNING)
    assert [r.id for r in store.runs.list(kind="search").items] == [c.id, b.id]
    assert store.runs.list(kind="search").total == 2
    assert [r.id for r in store.runs.list(status=RunStatus.CREATED).items] == [b.id, a.id]
    running = store.runs.list(kind="search", status=RunStatus.RUNNING)
    assert ([r.id for r in running.items], running.total) == ([c.id], 1)
    assert store.runs.list(kind="watch").total == 0
    with pytest.raises(ValueError, match="negative"):
        store.runs.list(limit=-1)


def test_status_timestamps(store: Store) -> None:
    run = _make(store)
    running = store.runs.set_status(run.id, RunStatus.RUNNING)
    assert running.started_at is not None
    assert running.finished_at is None
    paused = store.runs.set_status(run.id, RunStatus.PAUSED)
    resumed = store.runs.set_status(run.id, RunStatus.RUNNING)
    assert paused.started_at == resumed.started_at == running.started_at  # first RUNNING only
    assert resumed.finished_at is None
    failed = store.runs.set_status(run.id, RunStatus.FAILED, error="boom")
    assert failed.status is RunStatus.FAILED
    assert failed.finished_at is not None
    assert failed.finished_at >= running.started_at
    assert failed.error == "boom"
    assert store.runs.get(run.id) == failed
    assert failed.updated_at >= failed.finished_at


def test_set_progress_merges_summary(store: Store) -> None:
    run = _make(store)
    store.runs.set_progress(run.id, last_step=10, summary={"train/loss": 0.5, "acc": 0.7})
    got = store.runs.set_progress(run.id, last_step=20, summary={"train/loss": math.nan})
    assert got.last_step == 20
    assert math.isnan(got.summary["train/loss"])
    assert got.summary["acc"] == 0.7
    again = store.runs.get(run.id)
    assert again.last_step == 20
    assert math.isnan(again.summary["train/loss"])


def test_mark_interrupted(store: Store, dead_owner: str) -> None:
    running = _make(store, "running", owner=dead_owner)
    store.runs.set_status(running.id, RunStatus.RUNNING)
    paused = _make(store, "paused", owner=dead_owner)
    store.runs.set_status(paused.id, RunStatus.PAUSED)
    never_started = _make(store, "fresh", owner=dead_owner)
    started_then_created = _make(store, "restarted", owner=dead_owner)
    store.runs.set_status(started_then_created.id, RunStatus.RUNNING)
    store.runs.set_status(started_then_created.id, RunStatus.CREATED)
    done = _make(store, "done", owner=dead_owner)
    store.runs.set_status(done.id, RunStatus.COMPLETED)

    assert store.runs.mark_interrupted() == 3
    for run_id in (running.id, paused.id, started_then_created.id):
        got = store.runs.get(run_id)
        assert got.status is RunStatus.FAILED
        assert got.error == INTERRUPTED_ERROR
        assert got.finished_at is not None
        [event] = store.events.list(run_id, kinds=[EventKind.STATUS])
        assert isinstance(event, StatusEvent)
        assert event.payload == StatusPayload(status=RunStatus.FAILED, reason=INTERRUPTED_ERROR)
    assert store.runs.get(never_started.id).status is RunStatus.CREATED
    assert store.runs.get(done.id).status is RunStatus.COMPLETED
    assert store.runs.mark_interrupted() == 0


def test_mark_interrupted_only_stale_runs_of_other_hosts(store: Store) -> None:
    run = _make(store, owner="another-host:4242:99")
    store.runs.set_status(run.id, RunStatus.RUNNING)
    assert store.runs.mark_interrupted() == 0  # cannot tell: never without a staleness rule
    assert store.runs.mark_interrupted(stale_after=timedelta(minutes=5)) == 0
    time.sleep(0.05)
    assert store.runs.mark_interrupted(stale_after=timedelta(milliseconds=10)) == 1


def test_live_owners_and_remote_runs_are_never_interrupted(store: Store, dead_owner: str) -> None:
    """A watch() loop or CLI run sharing the database survives a server restart."""
    mine = _make(store, "this process")  # owner defaults to the creating process
    remote = _make(store, "watched from elsewhere", kind="watch", owner=REMOTE)
    recycled = _make(store, "pid reused", owner=this_process().rsplit(":", 1)[0] + ":1")
    dead = _make(store, "dead", owner=dead_owner)
    for run in (mine, remote, recycled, dead):
        store.runs.set_status(run.id, RunStatus.RUNNING)
    time.sleep(0.05)
    assert store.runs.mark_interrupted(stale_after=timedelta(milliseconds=10)) == 2
    assert store.runs.get(mine.id).status is RunStatus.RUNNING
    assert store.runs.get(remote.id).status is RunStatus.RUNNING
    assert store.runs.get(recycled.id).status is RunStatus.FAILED  # same pid, other start time
    assert store.runs.get(dead.id).status is RunStatus.FAILED


def test_delete_cascades_to_children(store: Store) -> None:
    keep = _make(store, "keep")
    gone = _make(store, "gone")
    for run in (keep, gone):
        store.metrics.add_many(run.id, [MetricRow(1, "loss", 0.5, 1.0)])
        running = StatusPayload(status=RunStatus.RUNNING)
        store.events.add_many([StatusEvent(run_id=run.id, step=0, time=1.0, payload=running)])
        store.snapshots.add_many(
            [MetricsEvent(run_id=run.id, step=1, time=1.0, payload=MetricsPayload(values={}))]
        )
        store.artifacts.put_bytes(b"weights", "application/octet-stream", run_id=run.id, name="w")

    store.runs.delete(gone.id)

    with pytest.raises(RunNotFound):
        store.runs.get(gone.id)
    assert store.metrics.series(gone.id) == {}
    assert store.events.list(gone.id) == []
    assert store.snapshots.latest(gone.id, EventKind.METRICS) is None
    assert store.artifacts.list_for_run(gone.id) == []
    # The other run and the shared file are untouched.
    assert store.metrics.latest(keep.id) == {"loss": 0.5}
    assert len(store.events.list(keep.id)) == 1
    [link] = store.artifacts.list_for_run(keep.id)
    assert store.artifacts.path(link.artifact.sha256).read_bytes() == b"weights"
