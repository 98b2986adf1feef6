"""Live decomposition: cadence, budget and tracked identities through real training."""

from __future__ import annotations

import time

import torch
from tests.decomposition.planted import planted_two_task, two_task_data, two_task_loss
from torch import nn

from neuralscope.decomposition import DecomposeConfig, LiveConfig, LiveDecomposer


def _run(live: LiveDecomposer, steps: int, pause: float = 0.0) -> nn.Module:
    torch.manual_seed(0)
    data = two_task_data(1000, 4, 0)
    model = planted_two_task()
    opt = torch.optim.Adam(model.parameters(), lr=0.02)
    for step in range(1, steps + 1):
        opt.zero_grad()
        two_task_loss(model(data.train_x), data.train_y).backward()
        opt.step()
        if pause:
            time.sleep(pause)
        live.step(step, model)
    return model


def test_fixed_cadence_tracks_the_planted_modules() -> None:
    data = two_task_data(1000, 4, 0)
    config = LiveConfig(every_steps=50, max_overhead=None, decompose=DecomposeConfig(metrics=False))
    live = LiveDecomposer(["1"], data.test_x, config=config)
    _run(live, 200)
    assert [s.step for s in live.snapshots] == [50, 100, 150, 200]
    final = live.snapshots[-1].decomposition.layer("1")
    assert len(final.modules) == 2
    ids = {m.id for m in final.modules}
    # once the two modules have formed, they keep their ids to the end
    formed = next(s for s in live.snapshots if len(s.decomposition.layer("1").modules) == 2)
    assert {m.id for m in formed.decomposition.layer("1").modules} == ids
    assert not [e for s in live.snapshots if s.step > formed.step for e in s.events]


def test_the_budget_spaces_out_decompositions() -> None:
    data = two_task_data(1000, 4, 0)
    config = LiveConfig(every_steps=10, max_overhead=0.05)
    live = LiveDecomposer(["1"], data.test_x, config=config)
    _run(live, 300)
    snaps = live.snapshots
    assert snaps[0].step == 10
    assert 1 <= len(snaps) < 30  # a fixed cadence would have decomposed 30 times
    for i in range(1, len(snaps)):
        spent_before = sum(s.seconds for s in snaps[:i])
        assert spent_before + snaps[i - 1].seconds <= 0.05 * snaps[i].training_seconds
        assert snaps[i].step - snaps[i - 1].step >= 10
    assert live.spent == sum(s.seconds for s in snaps)
