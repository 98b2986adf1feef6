"""Derived input features for 2-D sets, as TensorFlow Playground offers them.

The model always sees x1 and x2; a config may add x1², x2², x1·x2, sin x1 and sin x2 (in
the order listed in the config). The derivation is a torch function so that it can run
inside the model (see :class:`neuralscope.nets.build.DerivedFeatures`): the decision
boundary grid, exports and the backprop trace then apply exactly the same features.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Literal

import torch

FeatureName = Literal["x1_squared", "x2_squared", "x1_x2", "sin_x1", "sin_x2"]

_FEATURES: dict[FeatureName, Callable[[torch.Tensor, torch.Tensor], torch.Tensor]] = {
    "x1_squared": lambda a, b: a * a,
    "x2_squared": lambda a, b: b * b,
    "x1_x2": lambda a, b: a * b,
    "sin_x1": lambda a, b: torch.sin(a),
    "sin_x2": lambda a, b: torch.sin(b),
}


def derive(x: torch.Tensor, names: Sequence[FeatureName]) -> torch.Tensor:
    """``x`` of shape (N, 2) -> (N, 2 + len(names)): x1, x2, then each derived feature."""
    if not names:
        return x
    if x.ndim != 2 or x.shape[1] != 2:
        raise ValueError(f"derived features need (N, 2) inputs, got {tuple(x.shape)}")
    a, b = x[:, 0:1], x[:, 1:2]
    return torch.cat([x, *(_FEATURES[n](a, b) for n in names)], dim=1)
