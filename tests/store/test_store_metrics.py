"""Metrics: bulk insert, series, downsampling, names, latest, non-finite values."""

from __future__ import annotations

import math

import pytest

from neuralscope.store import MetricRow, Series, Store


@pytest.fixture
def run_id(store: Store) -> str:
    return store.runs.create(name="m", kind="playground", config={}).id


def test_series_in_step_order(store: Store, run_id: str) -> None:
    rows = [MetricRow(step, "loss", 1.0 / (step + 1), 100.0 + step) for step in (3, 0, 2, 1)]
    rows += [MetricRow(step, "acc", step / 10, 100.0) for step in range(5)]
    store.metrics.add_many(run_id, rows)
    series = store.metrics.series(run_id)
    assert series["loss"] == Series(steps=[0, 1, 2, 3], values=[1.0, 0.5, 1 / 3, 0.25])
    assert series["acc"].steps == [0, 1, 2, 3, 4]
    only = store.metrics.series(run_id, ["acc"])
    assert list(only) == ["acc"]
    assert store.metrics.names(run_id) == ["acc", "loss"]
    assert store.metrics.series(run_id, ["missing"]) == {}


@pytest.mark.parametrize(
    ("count", "max_points"),
    [(1000, 100), (1001, 100), (999, 7), (10, 3), (5, 5), (4, 10), (1, 1), (17, 1), (2, 2)],
)
def test_downsampling_is_even_bounded_and_keeps_the_ends(
    store: Store, run_id: str, count: int, max_points: int
) -> None:
    store.metrics.add_many(run_id, [MetricRow(s, "loss", float(s), 0.0) for s in range(count)])
    store.metrics.add_many(run_id, [MetricRow(s, "short", float(s), 0.0) for s in range(2)])
    series = store.metrics.series(run_id, max_points=max_points)
    loss = series["loss"]
    assert len(loss.steps) == min(count, max_points)
    assert loss.steps[-1] == count - 1  # the last point is always kept
    if max_points > 1:
        assert loss.steps[0] == 0
    assert loss.steps == sorted(set(loss.steps))
    assert loss.values == [float(s) for s in loss.steps]
    gaps = [b - a for a, b in zip(loss.steps[:-1], loss.steps[1:], strict=True)]
    if gaps:
        assert max(gaps) - min(gaps) <= 1  # evenly spaced
    if 1 < max_points < count:  # the documented positions: ceil(j (n - 1) / (m - 1))
        span, parts = count - 1, max_points - 1
        assert loss.steps == [-(-j * span // parts) for j in range(max_points)]
    assert len(series["short"].steps) == min(2, max_points)


def test_max_points_must_be_positive(store: Store, run_id: str) -> None:
    with pytest.raises(ValueError, match="at least 1"):
        store.metrics.series(run_id, max_points=0)


def test_non_finite_values_round_trip(store: Store, run_id: str) -> None:
    values = [math.nan, math.inf, -math.inf, 0.0, -0.0, 1e308, 5e-324]
    store.metrics.add_many(run_id, [MetricRow(i, "x", v, 0.0) for i, v in enumerate(values)])
    got = store.metrics.series(run_id)["x"].values
    assert math.isnan(got[0])
    assert got[1:] == values[1:]
    down = store.metrics.series(run_id, max_points=2)["x"].values
    assert math.isnan(down[0])
    assert down[1] == values[-1]


def test_latest_takes_the_highest_step(store: Store, run_id: str) -> None:
    store.metrics.add_many(
        run_id,
        [
            MetricRow(5, "loss", 0.5, 0.0),
            MetricRow(9, "loss", 0.1, 0.0),
            MetricRow(7, "loss", 0.3, 0.0),
            MetricRow(2, "acc", 0.9, 0.0),
            MetricRow(3, "diverged", math.nan, 0.0),
        ],
    )
    latest = store.metrics.latest(run_id)
    assert latest["loss"] == 0.1
    assert latest["acc"] == 0.9
    assert math.isnan(latest["diverged"])
    assert store.metrics.latest("no-such-run") == {}


def test_metrics_are_per_run(store: Store, run_id: str) -> None:
    other = store.runs.create(name="o", kind="playground", config={}).id
    store.metrics.add_many(run_id, [MetricRow(0, "loss", 1.0, 0.0)])
    store.metrics.add_many(other, [MetricRow(0, "loss", 2.0, 0.0)])
    assert store.metrics.latest(run_id) == {"loss": 1.0}
    assert store.metrics.latest(other) == {"loss": 2.0}
