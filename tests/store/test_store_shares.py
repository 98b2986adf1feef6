"""Share links in the store: random tokens, lookup by token, cascade, even frame spreading."""

from __future__ import annotations

import numpy as np
import pytest

from neuralscope.events import BoundaryEvent, BoundaryPayload, CompactArray, EventKind
from neuralscope.store import RunNotFound, Store
from neuralscope.store.shares import ShareNotFound, spread


def _frame(run_id: str, step: int, value: int) -> BoundaryEvent:
    grid = CompactArray.from_numpy(np.full((2, 2), value, np.uint8), "uint8")
    payload = BoundaryPayload(resolution=2, x_range=(-1, 1), y_range=(-1, 1), values=grid)
    return BoundaryEvent(run_id=run_id, step=step, time=float(step), payload=payload)


def test_tokens_are_random_and_resolve_to_their_run(store: Store) -> None:
    run = store.runs.create(name="r", kind="playground", config={})
    links = [store.shares.create(run.id) for _ in range(20)]
    assert len({link.token for link in links}) == 20
    assert all(len(link.token) == 32 for link in links)
    assert store.shares.resolve(links[3].token).run_id == run.id
    for wrong in ("", "short", links[3].token.upper(), links[3].token + "x", "x" * 65):
        if wrong != links[3].token:
            with pytest.raises(ShareNotFound):
                store.shares.resolve(wrong)
    with pytest.raises(RunNotFound):
        store.shares.create("missing")


def test_deleting_the_run_deletes_its_links(store: Store) -> None:
    run = store.runs.create(name="r", kind="playground", config={})
    token = store.shares.create(run.id).token
    store.runs.delete(run.id)
    with pytest.raises(ShareNotFound):
        store.shares.resolve(token)


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
