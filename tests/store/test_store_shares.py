"""Share links in the store: random tokens kept only as hashes, lookup by token, listing and
revocation by id, cascade, even frame spreading, and old plain-token links surviving 0005."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pytest
from alembic import command
from sqlalchemy import text
from tests.store.store_backends import Backend

from neuralscope.events import BoundaryEvent, BoundaryPayload, CompactArray, EventKind
from neuralscope.store import RunNotFound, Store, create_db_engine
from neuralscope.store.db import alembic_config
from neuralscope.store.shares import ShareNotFound, spread, token_hash


def _frame(run_id: str, step: int, value: int) -> BoundaryEvent:
    grid = CompactArray.from_numpy(np.full((2, 2), value, np.uint8), "uint8")
    payload = BoundaryPayload(resolution=2, x_range=(-1, 1), y_range=(-1, 1), values=grid)
    return BoundaryEvent(run_id=run_id, step=step, time=float(step), payload=payload)


def test_tokens_are_random_and_resolve_to_their_run(store: Store) -> None:
    run = store.runs.create(name="r", kind="playground", config={})
    links = [store.shares.create(run.id) for _ in range(20)]
    assert len({link.token for link in links}) == 20
    assert len({link.id for link in links}) == 20
    assert all(len(link.token) == 43 for link in links)  # token_urlsafe(32): 256 bits
    assert store.shares.resolve(links[3].token) == store.shares.for_run(run.id)[3]
    assert store.shares.resolve(links[3].token).run_id == run.id
    for wrong in ("", "short", links[3].token.upper(), links[3].token + "x", "x" * 65, links[3].id):
        with pytest.raises(ShareNotFound):
            store.shares.resolve(wrong)
    with pytest.raises(RunNotFound):
        store.shares.create("missing")
    assert "token" not in repr(store.shares.resolve(links[0].token))
    assert links[0].token not in repr(links[0])


def test_only_the_hash_of_a_token_is_stored(store: Store, backend: Backend) -> None:
    run = store.runs.create(name="r", kind="playground", config={})
    link = store.shares.create(run.id)
    assert token_hash(link.token) == hashlib.sha256(link.token.encode()).hexdigest()
    engine = create_db_engine(backend.url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(text("SELECT * FROM share_links")).mappings().all()
    finally:
        engine.dispose()
    assert len(rows) == 1
    assert dict(rows[0])["token_hash"] == token_hash(link.token)
    assert link.token not in repr(dict(rows[0]))


def test_listing_and_revoking_by_id(store: Store) -> None:
    run = store.runs.create(name="r", kind="playground", config={})
    other = store.runs.create(name="o", kind="playground", config={})
    first, second = store.shares.create(run.id), store.shares.create(run.id)
    foreign = store.shares.create(other.id)
    assert [link.id for link in store.shares.for_run(run.id)] == [first.id, second.id]
    with pytest.raises(ShareNotFound):
        store.shares.revoke(run.id, foreign.id)  # another run's link is not this run's to revoke
    store.shares.revoke(run.id, first.id)
    with pytest.raises(ShareNotFound):
        store.shares.resolve(first.token)  # gone at once
    assert store.shares.resolve(second.token).id == second.id
    assert store.shares.resolve(foreign.token).run_id == other.id
    assert [link.id for link in store.shares.for_run(run.id)] == [second.id]
    with pytest.raises(ShareNotFound):
        store.shares.revoke(run.id, first.id)  # twice: nothing left to revoke
    with pytest.raises(RunNotFound):
        store.shares.for_run("missing")


def test_deleting_the_run_deletes_its_links(store: Store) -> None:
    run = store.runs.create(name="r", kind="playground", config={})
    token = store.shares.create(run.id).token
    store.runs.delete(run.id)
    with pytest.raises(ShareNotFound):
        store.shares.resolve(token)


def test_plain_tokens_from_before_0005_keep_working(backend: Backend, artifacts_dir: Path) -> None:
    """A link made when tokens were stored in plain text opens its run after the upgrade."""
    with Store(backend.url, artifacts_dir) as store:
        run = store.runs.create(name="old", kind="playground", config={})
    old_token = "Zm9yZXZlci1vbGQtdG9rZW4tMTkyYml0"  # token_urlsafe(24) shape: 32 characters
    engine = create_db_engine(backend.url)
    try:
        with engine.begin() as conn:
            command.downgrade(alembic_config(conn), "0004")
            columns = conn.execute(text("SELECT * FROM share_links")).keys()
            assert list(columns) == ["token", "run_id", "created_at"]  # the 0003 layout
            conn.execute(
                text("INSERT INTO share_links (token, run_id, created_at) VALUES (:t, :r, :c)"),
                {"t": old_token, "r": run.id, "c": datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)},
            )
    finally:
        engine.dispose()
    with Store(backend.url, artifacts_dir) as store:  # opening migrates to head
        link = store.shares.resolve(old_token)
        assert link.run_id == run.id
        assert link.created_at == datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
        assert len(link.id) == 32
        assert store.shares.for_run(run.id) == [link]
        store.shares.revoke(run.id, link.id)  # an old link is revocable too
        with pytest.raises(ShareNotFound):
            store.shares.resolve(old_token)
    engine = create_db_engine(backend.url)
    try:
        with engine.connect() as conn:
            assert old_token not in repr(conn.execute(text("SELECT * FROM share_links")).all())
    finally:
        engine.dispose()


def test_frames_spread_over_the_run_one_per_step(store: Store) -> None:
    run = store.runs.create(name="r", kind="playground", config={})
    store.snapshots.add_many([_frame(run.id, s, s % 200) for s in range(0, 1000, 10)])
    store.snapshots.add_many([_frame(run.id, 500, 7)])  # a second frame at one step: newest wins
    frames = store.shares.frames(run.id, EventKind.BOUNDARY, 5)
    assert [f.step for f in frames] == [0, 250, 500, 740, 990]
    assert frames[2].payload.values.to_numpy()[0, 0] == 7  # type: ignore[union-attr]
    assert store.shares.frames(run.id, EventKind.GRADIENTS, 5) == []


@pytest.mark.parametrize(
    ("n_items", "n", "expected"),
    [(3, 5, [0, 1, 2]), (10, 1, [9]), (10, 2, [0, 9]), (11, 3, [0, 5, 10]), (0, 4, [])],
)
def test_spread_keeps_ends_and_spaces_evenly(n_items: int, n: int, expected: list[int]) -> None:
    assert spread(list(range(n_items)), n) == expected
