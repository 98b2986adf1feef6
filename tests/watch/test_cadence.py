"""The fast path's next-sample bookkeeping agrees with the plain modulo definition."""

from __future__ import annotations

import pytest
from torch import nn

from neuralscope.watching.collector import Collector
from neuralscope.watching.config import WatchConfig


@pytest.mark.parametrize(
    "config",
    [
        WatchConfig(),
        WatchConfig(
            scalars_every=3,
            gradients_every=7,
            histograms_every=11,
            activations_every=5,
            window_steps=13,
        ),
        WatchConfig(scalars_every=1, gradients_every=1, histograms_every=1, activations_every=1),
    ],
)
def test_sampled_steps_are_exactly_the_due_ones(config: WatchConfig) -> None:
    collector = Collector(nn.Sequential(nn.Linear(2, 2)), "run", config)
    c = config
    for s in range(1, 2000):
        due = (
            s % c.scalars_every == 0
            or s % c.gradients_every == 0
            or (s + 1) % c.gradients_every == 0
            or s % c.histograms_every == 0
            or (s + 1) % c.activations_every == 0
            or s % c.window_steps == 0
        )
        assert collector._sampled(s) == due, s
