"""Typed results of a decomposition (pydantic, so the CLI and REST serialise them as is)."""

from __future__ import annotations

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from neuralscope.findings import Finding

_FROZEN = ConfigDict(frozen=True)


class TaskScores(BaseModel):
    """Accuracy and per-class precision/recall/F1 of one task (classes 0..C-1)."""

    model_config = _FROZEN
    task: int
    accuracy: float
    precision: list[float]
    recall: list[float]
    f1: list[float]


class Importance(BaseModel):
    """Mean-ablation necessity of a module against random unit sets of the same size."""

    model_config = _FROZEN
    loss_increase: float = Field(description="Loss with the module mean-ablated minus intact")
    share: float = Field(description="loss_increase / sum over the layer's modules (>= 0 parts)")
    percentile: float = Field(
        description="% of random same-size unit sets whose ablation raised the loss less"
    )
    random_sets: int
    taylor_proxy: float | None = Field(
        default=None,
        description="|E[sum a*g]| (Molchanov et al. 2017): a cheap proxy, ~0 at convergence",
    )


class ModuleMetrics(BaseModel):
    """A module in isolation (SCIENCE.md section 4.3); every score on the probe samples."""

    model_config = _FROZEN
    importance: Importance
    keep_only: list[TaskScores] = Field(description="Every other unit mean-ablated")
    ablate_only: list[TaskScores] = Field(description="This module's units mean-ablated")
    probe_accuracy: list[float] = Field(description="Held-out CV logistic probe, per task")
    chance: list[float] = Field(description="Majority-class rate per task (probe baseline)")
    selectivity: float = Field(description="Mean class selectivity of its units (Morcos 2018)")
    preferred_class: list[int] = Field(description="Class with the highest mean drive, per task")
    label: str = Field(description="What drives it, in words")
    top_input_pattern: list[float] = Field(
        description="Mean input of its top-activating samples, flattened (see input_shape)"
    )
    input_shape: list[int]

    def pattern(self) -> np.ndarray:
        """``top_input_pattern`` as an array of the input's shape."""
        return np.asarray(self.top_input_pattern).reshape(self.input_shape)


class Module(BaseModel):
    """A group of units of one layer that act together."""

    model_config = _FROZEN
    id: str = Field(description="Persistent id (kept across snapshots by ModuleTracker)")
    layer: str
    units: list[int]
    metrics: ModuleMetrics | None = None
    taylor: float | None = Field(
        default=None,
        description="First-order loss change under mean ablation, E_n|sum (a - mu) g| "
        "(flow.py): a cheap proxy used between ablation evaluations, not instead of them",
    )


class Connection(BaseModel):
    """How strongly a module of one layer feeds a module of the next (flow.py)."""

    model_config = _FROZEN
    source: str
    target: str
    strength: float = Field(description="sum |W| between the two unit sets / sum |W| overall")
    gradient_flow: float | None = Field(
        default=None,
        description="Share of the gradient flow E_n|dL/dz_j W_ji a_i| between the two unit "
        "sets (needs targets)",
    )


class LayerDecomposition(BaseModel):
    """One layer's modules, their quality, and whether the structure beats chance."""

    model_config = _FROZEN
    layer: str
    method: str
    k_chosen_by: str
    caveat: str | None
    units: int
    dead_units: list[int] = Field(description="Constant on the probe samples; not clustered")
    modules: list[Module]
    candidate_k: int = Field(description="k of the partition tested (modules has 1 if not)")
    modularity: float
    within_affinity: float
    between_affinity: float
    within_between_ratio: float | None
    null_modularity_mean: float
    null_modularity_sd: float = 0.0
    p_value: float
    permutations: int
    significant: bool
    verdict: str
    full_scores: list[TaskScores] = Field(default_factory=list, description="Intact model")
    base_loss: float = Field(default=0.0, description="Intact model's loss on the probe set")


class Decomposition(BaseModel):
    """Modules of one or more layers of a model on a probe set."""

    model_config = _FROZEN
    probe_samples: int
    layers: list[LayerDecomposition]
    connections: list[Connection] = Field(default_factory=list)
    findings: list[Finding] = Field(default_factory=list)

    @property
    def modules(self) -> list[Module]:
        """Every layer's modules, in layer order."""
        return [m for layer in self.layers for m in layer.modules]

    def layer(self, name: str) -> LayerDecomposition:
        for layer in self.layers:
            if layer.layer == name:
                return layer
        raise KeyError(name)
