"""The decision boundary: the model's output over a grid on the 2-D input plane (or a line).

Encodings of :class:`neuralscope.events.BoundaryPayload.values`, told apart by shape and dtype:

=================  ======================  ===================================================
task               values                  meaning
=================  ======================  ===================================================
binary             (R, R) uint8            P(class 1) * 255 (unchanged since the first web)
multiclass         (R, R, 2) uint8         [..., 0] argmax class, [..., 1] its softmax * 255
regression (2-D)   (R, R) float16          the model's output (the web maps it to a heat)
regression (1-D)   (R,) float16            f(x) at the R cell centres of ``x_range``
=================  ======================  ===================================================

Orientation follows :class:`neuralscope.events.BoundaryPayload` (a canvas): cell ``[i, j]`` is
the model at the cell centre ``x = x0 + (j + 0.5) * dx``, ``y = y1 - (i + 0.5) * dy``, so row 0
is the top (largest y) and column 0 the left (smallest x).

One batched forward pass over all cells; the grid of inputs is built once per
(bounds, resolution, device) and cached, so a 100 x 100 boundary of a small MLP costs about a
millisecond (PERFORMANCE.md: the limit of a live boundary is transfer and drawing).
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import torch
from torch import nn

from neuralscope.data import Task
from neuralscope.events import BoundaryPayload, CompactArray
from neuralscope.monitor.modes import evaluating

Range = tuple[float, float]


@lru_cache(maxsize=16)
def _grid_inputs(
    x_range: Range, y_range: Range, resolution: int, device: torch.device, dtype: torch.dtype
) -> torch.Tensor:
    """Cell-centre coordinates, shape (resolution**2, 2), row-major as in BoundaryPayload."""
    (x0, x1), (y0, y1) = x_range, y_range
    dx, dy = (x1 - x0) / resolution, (y1 - y0) / resolution
    centres = torch.arange(resolution, dtype=torch.float64) + 0.5
    xs = x0 + centres * dx
    ys = y1 - centres * dy
    grid_y, grid_x = torch.meshgrid(ys, xs, indexing="ij")
    return torch.stack([grid_x, grid_y], dim=-1).reshape(-1, 2).to(device=device, dtype=dtype)


def _device_and_dtype(model: nn.Module) -> tuple[torch.device, torch.dtype]:
    for p in model.parameters():
        return p.device, p.dtype
    return torch.device("cpu"), torch.float32


def decision_grid(
    model: nn.Module,
    bounds: Range,
    resolution: int = 100,
    *,
    y_bounds: Range | None = None,
) -> np.ndarray:
    """P(class 1) * 255 as a ``(resolution, resolution)`` uint8 array, row 0 = largest y.

    Args:
        model: maps (N, 2) inputs to (N, 1) logits.
        bounds: (low, high) of x, and of y unless ``y_bounds`` is given.
        resolution: cells per side.
        y_bounds: (low, high) of y when the plane is not square.

    The model is evaluated in eval mode without gradients; its previous modes are restored.
    Non-finite outputs (a diverged model) read as 0.5: undecided.
    """
    if resolution < 1:
        raise ValueError(f"resolution must be >= 1, not {resolution}")
    x_range = (float(bounds[0]), float(bounds[1]))
    y_range = x_range if y_bounds is None else (float(y_bounds[0]), float(y_bounds[1]))
    inputs = _grid_inputs(x_range, y_range, resolution, *_device_and_dtype(model))
    with evaluating(model), torch.inference_mode():
        logits = model(inputs)
        if logits.ndim != 2 or logits.shape[1] != 1:
            raise ValueError(f"expected (N, 1) logits, got shape {tuple(logits.shape)}")
        prob = torch.nan_to_num(torch.sigmoid(logits), nan=0.5)
        cells = (prob * 255).round_().to(torch.uint8)
    return cells.reshape(resolution, resolution).cpu().numpy()


def class_grid(
    model: nn.Module, bounds: Range, resolution: int = 100, *, y_bounds: Range | None = None
) -> np.ndarray:
    """Multi-class: ``(R, R, 2)`` uint8 of (argmax class, max softmax probability * 255)."""
    x_range = (float(bounds[0]), float(bounds[1]))
    y_range = x_range if y_bounds is None else (float(y_bounds[0]), float(y_bounds[1]))
    inputs = _grid_inputs(x_range, y_range, resolution, *_device_and_dtype(model))
    with evaluating(model), torch.inference_mode():
        prob = torch.softmax(torch.nan_to_num(model(inputs), nan=0.0), dim=1)
        confidence, label = prob.max(dim=1)
        cells = torch.stack([label.to(torch.uint8), (confidence * 255).round_().to(torch.uint8)], 1)
    return cells.reshape(resolution, resolution, 2).cpu().numpy()


def value_grid(
    model: nn.Module, bounds: Range, resolution: int = 100, *, y_bounds: Range | None = None
) -> np.ndarray:
    """Regression over the plane: ``(R, R)`` float16 of the model's output (non-finite -> 0)."""
    x_range = (float(bounds[0]), float(bounds[1]))
    y_range = x_range if y_bounds is None else (float(y_bounds[0]), float(y_bounds[1]))
    inputs = _grid_inputs(x_range, y_range, resolution, *_device_and_dtype(model))
    with evaluating(model), torch.inference_mode():
        out = torch.nan_to_num(model(inputs)[:, 0], nan=0.0, posinf=6e4, neginf=-6e4)
    return out.clamp(-6e4, 6e4).reshape(resolution, resolution).cpu().numpy().astype(np.float16)


def value_line(model: nn.Module, bounds: Range, resolution: int = 100) -> np.ndarray:
    """Regression over a line: ``(R,)`` float16 of f(x) at the cell centres."""
    x0, x1 = float(bounds[0]), float(bounds[1])
    device, dtype = _device_and_dtype(model)
    xs = x0 + (torch.arange(resolution, dtype=torch.float64) + 0.5) * (x1 - x0) / resolution
    with evaluating(model), torch.inference_mode():
        out = model(xs.to(device=device, dtype=dtype)[:, None])[:, 0]
        out = torch.nan_to_num(out, nan=0.0, posinf=6e4, neginf=-6e4).clamp(-6e4, 6e4)
    return out.cpu().numpy().astype(np.float16)


def boundary_payload(
    model: nn.Module,
    bounds: Range,
    resolution: int = 100,
    *,
    y_bounds: Range | None = None,
    task: Task = "binary",
    input_dim: int = 2,
) -> BoundaryPayload:
    """The grid for ``task`` packed for the wire (encodings in the module docstring)."""
    x_range = (float(bounds[0]), float(bounds[1]))
    y_range = x_range if y_bounds is None else (float(y_bounds[0]), float(y_bounds[1]))
    if input_dim == 1:
        if task != "regression":
            raise ValueError("a 1-D boundary is drawn for regression only")
        values = CompactArray.from_numpy(value_line(model, x_range, resolution), "float16")
    elif input_dim != 2:
        raise ValueError(f"a boundary needs 1-D or 2-D inputs, not {input_dim}-D")
    elif task == "multiclass":
        values = CompactArray.from_numpy(class_grid(model, bounds, resolution, y_bounds=y_bounds))
    elif task == "regression":
        grid = value_grid(model, bounds, resolution, y_bounds=y_bounds)
        values = CompactArray.from_numpy(grid, "float16")
    else:
        grid = decision_grid(model, bounds, resolution, y_bounds=y_bounds)
        values = CompactArray.from_numpy(grid, "uint8")
    return BoundaryPayload(resolution=resolution, x_range=x_range, y_range=y_range, values=values)
