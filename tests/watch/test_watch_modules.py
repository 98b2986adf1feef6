"""watch(probe=...): functional modules of a watched loop, stored with the run and
replayable; the user's training is not changed by them."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
import torch
from tests.decomposition.planted import planted_two_task, two_task_data, two_task_loss
from torch import nn

from neuralscope import Settings, WatchConfig, watch
from neuralscope.events import EventKind, FindingEvent, ModulesEvent
from neuralscope.store import Store


def _loop(model: nn.Module, steps: int, run: object | None = None) -> None:
    torch.manual_seed(0)
    data = two_task_data(1000, 4, 0)
    opt = torch.optim.Adam(model.parameters(), lr=0.02)
    for _ in range(steps):
        loss = two_task_loss(model(data.train_x), data.train_y)
        opt.zero_grad()
        loss.backward()
        opt.step()
        if run is not None:
            run.log(loss=loss)  # type: ignore[attr-defined]


@pytest.mark.slow
def test_planted_modules_of_a_watched_loop_are_recorded(tmp_path: Path) -> None:
    torch.manual_seed(0)
    bare = planted_two_task()
    watched = copy.deepcopy(bare)
    data = two_task_data(1000, 4, 0)
    settings = Settings(home=tmp_path)
    config = WatchConfig(modules_every=50)
    _loop(bare, 300)
    with watch(watched, settings=settings, config=config, probe=(data.test_x, data.test_y)) as run:
        _loop(watched, 300, run)
    for a, b in zip(bare.state_dict().values(), watched.state_dict().values(), strict=True):
        assert torch.equal(a, b)  # decomposing never changes the user's training
    assert all(not m._forward_hooks for m in watched.modules())
    with Store(settings.db_url, settings.artifacts_dir) as store:
        snaps = store.snapshots.list(run.id, EventKind.MODULES)
        markers = store.events.list(run.id, kinds=[EventKind.FINDING])
        series = store.metrics.series(run.id, ["modularity/1"])
    assert all(isinstance(s, ModulesEvent) for s in snaps)
    steps = [s.step for s in snaps]
    assert steps[0] == 50
    assert steps[-1] == 300  # once more at the end, as an evaluation
    final = snaps[-1]
    assert isinstance(final, ModulesEvent)
    assert final.payload.evaluated
    assert final.payload.probe == "probe batch (1000 samples)"
    layer = final.payload.layers[0]
    assert layer.layer == "1"
    assert layer.significant
    groups = sorted(sorted(m.units) for m in final.payload.modules)
    assert groups == [list(range(16)), list(range(16, 32))]  # the planted blocks
    assert len(series["modularity/1"].values) == len(snaps)
    assert not [
        f for f in markers if isinstance(f, FindingEvent) and f.payload.code == "dead_module"
    ]


def test_without_a_probe_nothing_is_decomposed(tmp_path: Path) -> None:
    settings = Settings(home=tmp_path)
    model = planted_two_task()
    with watch(model, settings=settings, config=WatchConfig(modules_every=5)) as run:
        _loop(model, 20, run)
    with Store(settings.db_url, settings.artifacts_dir) as store:
        assert store.snapshots.list(run.id, EventKind.MODULES) == []
