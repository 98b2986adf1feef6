"""Run a model in eval mode for a moment and give back exactly the modes it had.

``model.train(was_training)`` is not enough for a user's model (``watch``): it may keep some
submodules in eval mode on purpose (a frozen BatchNorm), and a blanket ``train()`` would undo
that. So every module's own flag is recorded and restored.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from torch import nn


@contextmanager
def evaluating(model: nn.Module) -> Iterator[nn.Module]:
    """Put ``model`` in eval mode inside the block; restore each module's mode on exit."""
    modes = [(module, module.training) for module in model.modules()]
    model.eval()
    try:
        yield model
    finally:
        for module, training in modes:
            module.training = training
