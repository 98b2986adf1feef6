"""Decision grid: orientation (row 0 = top), cell centres, value range, wire payload."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from torch import nn

from neuralscope.training import boundary_payload, decision_grid


def linear(wx: float, wy: float, bias: float = 0.0) -> nn.Linear:
    """A model whose logit is ``wx * x + wy * y + bias``."""
    layer = nn.Linear(2, 1)
    with torch.no_grad():
        layer.weight.copy_(torch.tensor([[wx, wy]]))
        layer.bias.fill_(bias)
    return layer


def expected(logits: list[float]) -> np.ndarray:
    return np.round(torch.sigmoid(torch.tensor(logits)).numpy() * 255).astype(np.uint8)


def test_columns_follow_x_left_to_right() -> None:
    grid = decision_grid(linear(1.0, 0.0), (-6.0, 6.0), resolution=4)
    # cell centres at x = -4.5, -1.5, 1.5, 4.5, identical in every row
    assert grid.dtype == np.uint8
    assert grid.shape == (4, 4)
    for row in grid:
        np.testing.assert_array_equal(row, expected([-4.5, -1.5, 1.5, 4.5]))
    assert grid[0, 0] < 10  # top-left: x small
    assert grid[-1, -1] > 245  # bottom-right: x large


def test_rows_follow_y_top_to_bottom() -> None:
    grid = decision_grid(linear(0.0, 1.0), (-6.0, 6.0), resolution=4)
    # row 0 is the top of the plane: y = 4.5, then 1.5, -1.5, -4.5
    for column in grid.T:
        np.testing.assert_array_equal(column, expected([4.5, 1.5, -1.5, -4.5]))
    assert grid[0, 0] > 245  # top-left: y large
    assert grid[-1, -1] < 10  # bottom-right: y small


def test_class_one_above_the_x_axis_lights_the_top_half() -> None:
    grid = decision_grid(linear(0.0, 50.0), (-6.0, 6.0), resolution=100)
    assert (grid[:50] > 127).all()
    assert (grid[50:] < 128).all()
    assert (grid[0] == 255).all()
    assert (grid[-1] == 0).all()


def test_values_span_the_full_byte_range() -> None:
    grid = decision_grid(linear(100.0, 0.0), (-6.0, 6.0), resolution=10)
    assert grid.min() == 0
    assert grid.max() == 255
    assert set(np.unique(grid).tolist()) == {0, 255}


def test_separate_y_bounds_place_cell_centres() -> None:
    grid = decision_grid(linear(0.0, 1.0, bias=-0.5), (-6.0, 6.0), 2, y_bounds=(0.0, 2.0))
    # y centres: 1.5 (top row) and 0.5 (bottom row); logit = y - 0.5
    np.testing.assert_array_equal(grid[:, 0], expected([1.0, 0.0]))


def test_model_mode_is_restored_and_no_graph_is_built() -> None:
    model = nn.Sequential(nn.Linear(2, 4), nn.Dropout(0.5), nn.Linear(4, 1))
    model.train()
    first = decision_grid(model, (-6.0, 6.0), 20)
    second = decision_grid(model, (-6.0, 6.0), 20)
    np.testing.assert_array_equal(first, second)  # dropout was off: eval mode
    assert model.training
    assert all(p.grad is None for p in model.parameters())


def test_non_finite_model_reads_as_undecided() -> None:
    model = linear(1.0, 0.0, bias=float("nan"))
    assert (decision_grid(model, (-6.0, 6.0), 5) == 128).all()


def test_rejects_multi_output_and_bad_resolution() -> None:
    with pytest.raises(ValueError, match="logits"):
        decision_grid(nn.Linear(2, 3), (-6.0, 6.0), 5)
    with pytest.raises(ValueError, match="resolution"):
        decision_grid(linear(1.0, 0.0), (-6.0, 6.0), 0)


def test_payload_round_trips_the_grid() -> None:
    model = linear(0.3, -0.7, bias=0.2)
    payload = boundary_payload(model, (-6.0, 6.0), resolution=30)
    assert payload.resolution == 30
    assert payload.x_range == (-6.0, 6.0)
    assert payload.y_range == (-6.0, 6.0)
    assert payload.values.dtype == "uint8"
    np.testing.assert_array_equal(payload.values.to_numpy(), decision_grid(model, (-6, 6), 30))
