"""Several layers at once, and module-to-module connection strength from weights."""

from __future__ import annotations

import pytest
import torch
from tests.decomposition.planted import MaskedLinear, train, two_task_data
from torch import nn

from neuralscope.decomposition import DecomposeConfig, decompose


def _block(rows: int, cols: int) -> torch.Tensor:
    return torch.block_diag(torch.ones(rows, cols), torch.ones(rows, cols))


def test_connections_follow_the_planted_wiring() -> None:
    torch.manual_seed(0)
    data = two_task_data(2000, 4, 0)
    model = nn.Sequential(
        MaskedLinear(_block(16, 4)),
        nn.ReLU(),
        MaskedLinear(_block(8, 16)),
        nn.ReLU(),
        MaskedLinear(_block(2, 8)),
    )
    train(model, data, steps=300)
    result = decompose(model, data.test_x, layer=["1", "3"], config=DecomposeConfig(metrics=False))
    first, second = result.layer("1"), result.layer("3")
    assert len(first.modules) == 2
    assert len(second.modules) == 2
    strengths = {(c.source, c.target): c.strength for c in result.connections}
    assert len(strengths) == 4
    assert sum(strengths.values()) == pytest.approx(1.0, abs=0.05)  # dead units own the rest
    for a in first.modules:
        for b in second.modules:
            same_side = (max(a.units) < 16) == (max(b.units) < 8)
            if same_side:
                assert strengths[(a.id, b.id)] > 0.3
            else:
                assert strengths[(a.id, b.id)] == 0.0
    assert [m.layer for m in result.modules] == ["1", "1", "3", "3"]
