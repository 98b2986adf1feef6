from __future__ import annotations

import pytest
from tests.decomposition.planted import TwoTaskData, trained_planted
from torch import nn

_CACHE: dict[tuple[int, bool], tuple[nn.Module, TwoTaskData]] = {}


def planted(seed: int, masked: bool = True) -> tuple[nn.Module, TwoTaskData]:
    """Trained planted networks, trained once per test session."""
    if (seed, masked) not in _CACHE:
        _CACHE[(seed, masked)] = trained_planted(seed, masked)
    return _CACHE[(seed, masked)]


@pytest.fixture
def planted_net() -> tuple[nn.Module, TwoTaskData]:
    return planted(0)
