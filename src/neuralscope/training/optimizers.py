"""Optimizers by name, steered in place, and switched mid-run without losing their memory.

A learner who flips momentum -> nesterov or adam -> adamw halfway through a run expects the
run to continue, not to restart its optimizer from zero. Optimizers of one family keep the
same per-parameter state under the same keys, so a switch copies it across:

* ``sgd`` / ``momentum`` / ``nesterov`` (``torch.optim.SGD``): ``momentum_buffer``
* ``adam`` / ``adamw``: ``exp_avg``, ``exp_avg_sq``, ``step``

Every other switch (e.g. to ``rmsprop`` or ``adagrad``) starts the new optimizer fresh,
because the old state means something different there.
"""

from __future__ import annotations

from collections.abc import Iterable

import torch
from torch import nn

from neuralscope.training.config import Hyperparameters, OptimizerName

_FAMILY: dict[OptimizerName, str | None] = {
    "sgd": "sgd",
    "momentum": "sgd",
    "nesterov": "sgd",
    "adam": "adam",
    "adamw": "adam",
    "rmsprop": None,
    "adagrad": None,
}
_CARRIED_STATE: dict[str, tuple[str, ...]] = {
    "sgd": ("momentum_buffer",),
    "adam": ("exp_avg", "exp_avg_sq", "step"),
}
_MOMENTUM_USERS: frozenset[OptimizerName] = frozenset({"momentum", "nesterov", "rmsprop"})


def _momentum(hp: Hyperparameters) -> float:
    """The momentum the named optimizer uses: plain ``sgd`` has none by definition."""
    return hp.momentum if hp.optimizer in _MOMENTUM_USERS else 0.0


def build_optimizer(params: Iterable[nn.Parameter], hp: Hyperparameters) -> torch.optim.Optimizer:
    """A fresh optimizer for ``hp.optimizer`` with ``hp``'s learning rate, momentum and L2."""
    params = list(params)
    lr, wd, momentum = hp.learning_rate, hp.weight_decay, _momentum(hp)
    match hp.optimizer:
        case "sgd" | "momentum":
            return torch.optim.SGD(params, lr=lr, momentum=momentum, weight_decay=wd)
        case "nesterov":
            # torch refuses nesterov without momentum; with momentum 0 it is plain SGD anyway.
            return torch.optim.SGD(
                params, lr=lr, momentum=momentum, nesterov=momentum > 0, weight_decay=wd
            )
        case "adam":
            return torch.optim.Adam(params, lr=lr, weight_decay=wd)
        case "adamw":
            return torch.optim.AdamW(params, lr=lr, weight_decay=wd)
        case "rmsprop":
            return torch.optim.RMSprop(params, lr=lr, momentum=momentum, weight_decay=wd)
        case "adagrad":
            return torch.optim.Adagrad(params, lr=lr, weight_decay=wd)
    raise ValueError(f"unknown optimizer {hp.optimizer!r}")  # pragma: no cover - Literal


def apply_hyperparameters(optimizer: torch.optim.Optimizer, hp: Hyperparameters) -> None:
    """Set learning rate, momentum and weight decay on ``optimizer``'s param groups in place.

    ``hp.optimizer`` must name the optimizer's kind (use :func:`switch_optimizer` otherwise).
    """
    momentum = _momentum(hp)
    for group in optimizer.param_groups:
        group["lr"] = hp.learning_rate
        group["weight_decay"] = hp.weight_decay
        if "momentum" in group:
            group["momentum"] = momentum
        if "nesterov" in group:
            # The constructor's check only; at step time nesterov with momentum 0 is plain SGD.
            group["nesterov"] = hp.optimizer == "nesterov"
    if isinstance(optimizer, torch.optim.RMSprop) and momentum > 0:
        # RMSprop only allocates a momentum buffer when built with momentum > 0; raising
        # momentum later would hit a missing key on the next step.
        for state in optimizer.state.values():
            if "square_avg" in state and "momentum_buffer" not in state:
                state["momentum_buffer"] = torch.zeros_like(state["square_avg"])


def switch_optimizer(
    old: torch.optim.Optimizer, params: Iterable[nn.Parameter], hp: Hyperparameters
) -> torch.optim.Optimizer:
    """Build the optimizer ``hp`` names and carry over the state its family shares with ``old``.

    Args:
        old: the optimizer in use; its state is read, never modified.
        params: the parameters the new optimizer steers (the same ones as ``old``).
        hp: the new hyperparameters, ``hp.optimizer`` naming the new optimizer.
    """
    params = list(params)
    new = build_optimizer(params, hp)
    keys = _CARRIED_STATE.get(_FAMILY[hp.optimizer] or "", ())
    if not keys or _family_of(old) != _FAMILY[hp.optimizer]:
        return new
    for p in params:
        # Clones: the new optimizer updates its state in place and ``old`` must stay intact.
        carried = {
            k: v.clone() if isinstance(v, torch.Tensor) else v
            for k, v in old.state.get(p, {}).items()
            if k in keys
        }
        if carried:
            new.state[p] = carried
    return new


def _family_of(optimizer: torch.optim.Optimizer) -> str | None:
    if isinstance(optimizer, torch.optim.SGD):
        return "sgd"
    # AdamW subclasses Adam in recent torch; both share the "adam" state layout.
    if isinstance(optimizer, torch.optim.Adam | torch.optim.AdamW):
        return "adam"
    return None
