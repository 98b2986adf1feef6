"""The training engine: a live, steerable Session, its probes, and the decision boundary."""

from neuralscope.training.boundary import boundary_payload, decision_grid
from neuralscope.training.config import (
    Hyperparameters,
    HyperparameterUpdate,
    OptimizerName,
    SessionConfig,
)
from neuralscope.training.probing import ProbeConfig, SessionProbes
from neuralscope.training.session import Evaluation, IllegalTransition, Session, StepResult

__all__ = [
    "Evaluation",
    "HyperparameterUpdate",
    "Hyperparameters",
    "IllegalTransition",
    "OptimizerName",
    "ProbeConfig",
    "Session",
    "SessionConfig",
    "SessionProbes",
    "StepResult",
    "boundary_payload",
    "decision_grid",
]
