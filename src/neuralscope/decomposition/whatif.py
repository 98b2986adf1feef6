"""What-if previews: apply an intervention to a COPY of the model and measure the change.

``Prune`` zeroes the module's units at their source (the rows of the Linear/Conv that
produces the layer, and their biases); ``Reinitialize`` redraws those rows with PyTorch's
default Linear/Conv initialisation (kaiming_uniform with a = sqrt(5)). The user's model is
never touched. Measured on the probe batch: the task loss, and per task the accuracy and the
per-class F1 (precision/recall as in metrics.class_scores), before and after.
"""

from __future__ import annotations

import copy
import math
from abc import ABC, abstractmethod
from dataclasses import dataclass

import torch
from pydantic import BaseModel, ConfigDict, Field
from torch import nn

from neuralscope.decomposition import _probe
from neuralscope.decomposition.metrics import output_scores
from neuralscope.decomposition.results import Module

_SOURCES = (nn.Linear, nn.Conv1d, nn.Conv2d, nn.Conv3d)


Source = nn.Linear | nn.Conv1d | nn.Conv2d | nn.Conv3d


def source_of(model: nn.Module, layer: str, units: int) -> Source:
    """The last Linear/Conv at or before ``layer`` (module order) with ``units`` outputs."""
    found: Source | None = None
    for name, mod in model.named_modules():
        if isinstance(mod, _SOURCES) and mod.weight.shape[0] == units:
            found = mod
        if name == layer:
            break
    if found is None:
        raise LookupError(f"no Linear/Conv with {units} outputs produces {layer!r}")
    return found


class Intervention(ABC):
    name: str

    @abstractmethod
    def apply(self, source: Source, units: list[int]) -> None:
        """Change ``source``'s parameters for ``units`` in place (on the copy)."""


@dataclass(frozen=True)
class Prune(Intervention):
    name: str = "prune"

    def apply(self, source: Source, units: list[int]) -> None:
        with torch.no_grad():
            source.weight[units] = 0.0
            if source.bias is not None:
                source.bias[units] = 0.0


@dataclass(frozen=True)
class Reinitialize(Intervention):
    seed: int = 0
    name: str = "reinitialize"

    def apply(self, source: Source, units: list[int]) -> None:
        fresh = torch.empty(source.weight.shape)  # drawn on the host (a CPU generator)
        gen = torch.Generator().manual_seed(self.seed)
        fan_in = fresh[0].numel()
        bound = 1.0 / math.sqrt(fan_in)  # kaiming_uniform(a=sqrt(5)) == U(+-1/sqrt(fan_in))
        with torch.no_grad():
            fresh.uniform_(-bound, bound, generator=gen)
            source.weight[units] = fresh[units].to(source.weight)
            if source.bias is not None:
                bias = torch.empty(len(units)).uniform_(-bound, bound, generator=gen)
                source.bias[units] = bias.to(source.bias)


class WhatIf(BaseModel):
    model_config = ConfigDict(frozen=True)
    module: str
    intervention: str
    loss_before: float
    loss_after: float
    accuracy_before: list[float]
    accuracy_after: list[float]
    f1_before: list[list[float]] = Field(default_factory=list, description="[task][class]")
    f1_after: list[list[float]] = Field(default_factory=list, description="[task][class]")


def what_if(
    model: nn.Module,
    module: Module,
    intervention: Intervention,
    inputs: torch.Tensor,
    targets: torch.Tensor,
) -> WhatIf:
    """Loss, per-task accuracy and per-class F1 before and after ``intervention`` on a copy of
    ``model`` (``model`` itself is left as it was)."""
    probe = _probe.capture(model, [module.layer], inputs[:1])[0][module.layer]
    clone = copy.deepcopy(model)
    intervention.apply(source_of(clone, module.layer, int(probe.shape[1])), module.units)
    scores = []
    for net in (model, clone):
        with _probe.evaluating(net), torch.no_grad():
            out = _probe._tensor(net(inputs))
        loss = float(_probe.task_loss(out.unsqueeze(0), targets)[0])
        scores.append((loss, output_scores(out, targets)))
    (loss_before, before), (loss_after, after) = scores
    return WhatIf(
        module=module.id,
        intervention=intervention.name,
        loss_before=loss_before,
        loss_after=loss_after,
        accuracy_before=[s.accuracy for s in before],
        accuracy_after=[s.accuracy for s in after],
        f1_before=[s.f1 for s in before],
        f1_after=[s.f1 for s in after],
    )
