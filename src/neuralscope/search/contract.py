"""What a search study and its trials store in Optuna, shared by workers, server and web.

A study is a plain Optuna study on the project's database URL. neuralscope keeps everything it
needs beyond Optuna's own fields in *user attributes* under the keys below, as JSON-compatible
values validated by the models in this module:

* study ``ATTR_CONFIG``: the :class:`StudyConfig` (``model_dump(mode="json")``) it was created with;
* study ``ATTR_CANCELLED``: ``True`` once someone cancels it (workers stop before the next trial);
* trial ``ATTR_CURVE``: the per-epoch :class:`CurvePoint` list, rewritten after every epoch, so a
  viewer sees intermediate values for every objective (Optuna's ``trial.report`` does not exist
  for multi-objective studies);
* trial ``ATTR_METRICS``: the final :class:`TrialMetrics`;
* trial ``ATTR_ARCHITECTURE``: the built network as a list of :class:`ArchitectureLayer`
  (the 3-D view and the gallery thumbnails are drawn from it);
* trial ``ATTR_ARTIFACTS``: the directory on the worker's machine holding the trial's files
  (``ARTIFACT_FILES``);
* trial ``ATTR_WORKER``: ``"host:pid"`` of the worker that ran it;
* trial ``ATTR_PRUNED_BY``: why a trial was pruned (``"intermediate"``, ``"cancelled"`` for a
  trial stopped at an epoch end by a cancel, or a health finding code);
* trial ``ATTR_MODULES``: the :class:`TrialModules` of its last hidden layer (issue #7),
  rewritten after every epoch.

Objective values (``trial.values``): ``accuracy`` -> ``[val_accuracy]`` (maximise); ``health`` ->
``[balanced score]`` (maximise, see :mod:`neuralscope.search.health`); ``pareto`` ->
``[val_accuracy, health, params]`` (maximise, maximise, minimise; NSGA-II).
"""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

ATTR_CONFIG = "neuralscope.config"
ATTR_CANCELLED = "neuralscope.cancelled"
ATTR_CURVE = "neuralscope.curve"
ATTR_METRICS = "neuralscope.metrics"
ATTR_ARCHITECTURE = "neuralscope.architecture"
ATTR_ARTIFACTS = "neuralscope.artifacts"
ATTR_WORKER = "neuralscope.worker"
ATTR_PRUNED_BY = "neuralscope.pruned_by"
ATTR_MODULES = "neuralscope.modules"

# Files a finished trial leaves in its ATTR_ARTIFACTS directory (the server offers these).
ARTIFACT_FILES = {
    "safetensors": "model.safetensors",
    "spec": "spec.json",
    "onnx": "model.onnx",
    "torchscript": "model.torchscript.pt",
    "config": "config.json",  # everything needed to re-run the trial on another worker
}

Objective = Literal["accuracy", "health", "pareto"]
Family = Literal["mlp", "cnn", "lstm"]
DIRECTIONS: dict[str, list[str]] = {
    "accuracy": ["maximize"],
    "health": ["maximize"],
    "pareto": ["maximize", "maximize", "minimize"],
}
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class IntParam(_Frozen):
    """An integer hyperparameter in ``[low, high]``."""

    type: Literal["int"] = "int"
    low: int
    high: int
    step: int = Field(default=1, ge=1)
    log: bool = False
    help: str = ""

    @model_validator(mode="after")
    def _ordered(self) -> IntParam:
        if self.low > self.high:
            raise ValueError(f"low ({self.low}) must not exceed high ({self.high})")
        if self.log and self.low < 1:
            raise ValueError("a log-scaled range must start at 1 or more")
        return self


class FloatParam(_Frozen):
    """A real hyperparameter in ``[low, high]``, optionally sampled on a log scale."""

    type: Literal["float"] = "float"
    low: float
    high: float
    log: bool = False
    help: str = ""

    @model_validator(mode="after")
    def _ordered(self) -> FloatParam:
        if self.low > self.high:
            raise ValueError(f"low ({self.low}) must not exceed high ({self.high})")
        if self.log and self.low <= 0:
            raise ValueError("a log-scaled range must be positive")
        return self


class CategoricalParam(_Frozen):
    """One of a fixed list of choices."""

    type: Literal["categorical"] = "categorical"
    choices: list[str | int | float | bool] = Field(min_length=1)
    help: str = ""


Param = Annotated[IntParam | FloatParam | CategoricalParam, Field(discriminator="type")]


class SearchSpace(_Frozen):
    """The hyperparameters a study samples, by name; the model family decides which apply."""

    family: Family
    params: dict[str, Param] = Field(min_length=1)


class HealthWeights(_Frozen):
    """Weights of the balanced objective (normalised by their sum; see search.health)."""

    accuracy: float = Field(default=2.0, ge=0)
    utilization: float = Field(default=1.0, ge=0)
    param_efficiency: float = Field(default=1.0, ge=0)
    stability: float = Field(default=1.0, ge=0)
    gradient_health: float = Field(default=1.0, ge=0)
    convergence: float = Field(default=1.0, ge=0)
    consistency: float = Field(default=1.0, ge=0)

    @model_validator(mode="after")
    def _some_weight(self) -> HealthWeights:
        if sum(self.model_dump().values()) <= 0:
            raise ValueError("at least one weight must be positive")
        return self


class StudyConfig(_Frozen):
    """Everything a worker needs to run trials of a study (stored as ATTR_CONFIG)."""

    name: str
    dataset: str
    objective: Objective = "health"
    space: SearchSpace | None = Field(
        default=None, description="None: the default space for the dataset's model family"
    )
    n_trials: int = Field(default=20, ge=1, le=100_000)
    max_epochs: int = Field(default=10, ge=1, le=1000, description="epoch budget per trial")
    health_weights: HealthWeights = Field(default_factory=HealthWeights)
    pruning: bool = True
    seed: int = 0
    max_train_samples: int | None = Field(default=None, ge=10)
    trial_timeout_s: float = Field(default=3600.0, gt=0)

    @field_validator("name")
    @classmethod
    def _valid_name(cls, value: str) -> str:
        if not _NAME.match(value):
            raise ValueError(
                "use 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit"
            )
        return value


class CurvePoint(_Frozen):
    """One epoch of a trial (ATTR_CURVE is a list of these)."""

    epoch: int = Field(ge=1)
    train_loss: float
    val_accuracy: float
    health: float | None = None


class HealthComponents(_Frozen):
    """The six health metrics, each in [0, 1] (formulas in search.health)."""

    utilization: float = Field(ge=0, le=1)
    param_efficiency: float = Field(ge=0, le=1)
    stability: float = Field(ge=0, le=1)
    gradient_health: float = Field(ge=0, le=1)
    convergence: float = Field(ge=0, le=1)
    consistency: float = Field(ge=0, le=1)


class TrialMetrics(_Frozen):
    """What a finished trial measured (ATTR_METRICS)."""

    val_accuracy: float
    train_accuracy: float
    health: float = Field(ge=0, le=100, description="weighted health score, 0-100")
    components: HealthComponents
    params: int = Field(ge=0)
    epochs: int = Field(ge=0)
    train_seconds: float = Field(ge=0)
    findings: list[str] = Field(default_factory=list, description="finding codes raised")


class ArchitectureLayer(_Frozen):
    """One block of a trial's network, input to output (ATTR_ARCHITECTURE is a list)."""

    kind: Literal[
        "input",
        "dense",
        "conv2d",
        "maxpool2d",
        "flatten",
        "dropout",
        "batchnorm",
        "embedding",
        "lstm",
        "output",
    ]
    output_shape: list[int]
    params: int = Field(default=0, ge=0)
    units: int | None = None  # dense / lstm hidden size / embedding dim / output classes
    filters: int | None = None
    kernel_size: int | None = None
    activation: str | None = None
    bidirectional: bool | None = None
    health: float | None = Field(default=None, ge=0, le=1, description="share of live units")


class ModulesPoint(_Frozen):
    """The last hidden layer's modules after one epoch (identification only)."""

    epoch: int = Field(ge=1)
    modules: int = Field(ge=0)
    modularity: float | None
    p_value: float | None


class TrialModules(_Frozen):
    """Functional modules of a trial's last hidden layer (ATTR_MODULES): decomposed on a fixed
    validation probe batch after every epoch, identities tracked across epochs by Hungarian
    matching on Jaccard overlap, with ablation importance at the last epoch
    (``neuralscope.decomposition.summary``; SCIENCE.md section 4)."""

    layer: str
    units: int = Field(ge=0)
    epoch: int = Field(ge=1, description="epoch of this summary")
    probe_samples: int = Field(ge=0)
    modules: int = Field(ge=0)
    significant: bool = Field(description="False: no significant modular structure (one module)")
    modularity: float | None = Field(description="Newman's Q of the partition")
    p_value: float | None = Field(description="permutation p-value against shuffled affinity")
    dead_units: int = Field(ge=0)
    largest_share: float | None = Field(description="largest module's share of the live units")
    dominant_share: float | None = Field(
        description="largest share of the ablation importance (None before the last epoch)"
    )
    alerts: list[str] = Field(description="decomposition finding codes (dead_module, ...)")
    changes: int = Field(ge=0, description="module births, dissolutions, splits and merges")
    history: list[ModulesPoint]
    seconds: float = Field(ge=0, description="time spent decomposing in this trial")
