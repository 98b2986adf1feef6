"""Module identity across snapshots (SCIENCE.md section 4.2)."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from tests.decomposition.planted import planted_two_task, train, two_task_data

from neuralscope.decomposition import (
    DecomposeConfig,
    LayerDecomposition,
    Module,
    ModuleTracker,
    decompose,
)


def _layer(groups: list[list[int]], units: int = 12) -> LayerDecomposition:
    return LayerDecomposition(
        layer="h",
        method="components",
        k_chosen_by="components",
        caveat=None,
        units=units,
        dead_units=[],
        modules=[Module(id=f"h#{i}", layer="h", units=g) for i, g in enumerate(groups)],
        candidate_k=len(groups),
        modularity=0.5,
        within_affinity=0.5,
        between_affinity=0.0,
        within_between_ratio=None,
        null_modularity_mean=0.0,
        p_value=0.02,
        permutations=49,
        significant=True,
        verdict="",
    )


def _ids(layer: LayerDecomposition) -> dict[tuple[int, ...], str]:
    return {tuple(sorted(m.units)): m.id for m in layer.modules}


def test_identities_survive_relabelling_of_the_modules() -> None:
    tracker = ModuleTracker()
    groups = [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9, 10, 11]]
    first = _ids(tracker.update(0, _layer(groups)))
    rng = np.random.default_rng(0)
    for step in range(1, 6):
        order = rng.permutation(3)
        shuffled = [list(rng.permutation(groups[i])) for i in order]
        assert _ids(tracker.update(step, _layer(shuffled))) == first
    assert [e.type for e in tracker.events] == ["born"] * 3
    assert tracker.late_jaccard("h") == pytest.approx(1.0)
    assert tracker.findings() == []


def test_split_merge_dissolve_and_birth_are_typed_events() -> None:
    tracker = ModuleTracker()
    a = tracker.update(0, _layer([[0, 1, 2, 3, 4, 5], [6, 7, 8, 9]]))
    big = _ids(a)[(0, 1, 2, 3, 4, 5)]
    split = tracker.update(1, _layer([[0, 1, 2], [3, 4, 5], [6, 7, 8, 9]]))
    kinds = [(e.type, e.modules[0]) for e in tracker.events if e.step == 1]
    assert ("split", big) in kinds
    halves = [_ids(split)[(0, 1, 2)], _ids(split)[(3, 4, 5)]]
    # J = 3/6 = 0.5 with either half: the Hungarian match keeps the id on one, the other is new
    assert big in halves
    assert [("born", h) for h in halves if h != big] == [k for k in kinds if k[0] == "born"]
    split_event = next(e for e in tracker.events if e.type == "split")
    assert split_event.modules[0] == big
    assert sorted(split_event.modules[1:]) == sorted(halves)
    joined = tracker.update(2, _layer([[0, 1, 2, 3, 4, 5], [6, 7, 8, 9]]))
    merged = [e for e in tracker.events if e.step == 2 and e.type == "merged"]
    assert len(merged) == 1
    assert merged[0].modules[0] == _ids(joined)[(0, 1, 2, 3, 4, 5)]
    assert sorted(merged[0].modules[1:]) == sorted(halves)
    tracker.update(3, _layer([[10, 11], [6, 7, 8, 9]]))
    step3 = {e.type for e in tracker.events if e.step == 3}
    assert step3 == {"dissolved", "born"}


def test_a_reshuffling_decomposition_is_flagged_unstable() -> None:
    tracker = ModuleTracker()
    rng = np.random.default_rng(1)
    for step in range(6):
        perm = rng.permutation(60)
        groups = [list(perm[:20]), list(perm[20:40]), list(perm[40:])]
        tracker.update(step, _layer(groups, units=60))
    late = tracker.late_jaccard("h")
    assert late is not None
    assert late < 0.5
    assert [f.code for f in tracker.findings()] == ["unstable_decomposition"]


def test_metrics_are_smoothed_by_an_ema() -> None:
    tracker = ModuleTracker()
    torch.manual_seed(0)
    data = two_task_data(1000, 4, 0)
    model = train(planted_two_task(), data, steps=200)
    config = DecomposeConfig(random_sets=20, permutations=19)
    shares = []
    for step in (0, 1):
        layer = decompose(model, data.test_x, data.test_y, layer="1", config=config).layer("1")
        tracked = tracker.update(step, layer)
        shares.append({m.id: m.metrics.importance.share for m in tracked.modules if m.metrics})
        if step == 0:
            train(model, data, steps=30, seed=1)
    for module_id, now in shares[1].items():
        expected = 0.3 * now + 0.7 * shares[0][module_id]
        assert tracker.smoothed[module_id]["importance"] == pytest.approx(expected)


def test_identities_persist_through_training() -> None:
    torch.manual_seed(3)
    data = two_task_data(2000, 4, 3)
    model = planted_two_task()
    tracker = ModuleTracker()
    config = DecomposeConfig(metrics=False)
    train(model, data, steps=100, seed=3)
    first = _ids(
        tracker.update(100, decompose(model, data.test_x, layer="1", config=config).layer("1"))
    )
    for step in (200, 400):
        train(model, data, steps=100 if step == 200 else 200, seed=step)
        layer = decompose(model, data.test_x, layer="1", config=config).layer("1")
        tracked = tracker.update(step, layer)
        for units, module_id in _ids(tracked).items():
            best = max(first, key=lambda u: len(set(u) & set(units)) / len(set(u) | set(units)))
            assert first[best] == module_id
    assert {e.type for e in tracker.events} == {"born"}
