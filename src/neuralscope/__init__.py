"""neuralscope: see inside neural networks while they are built, trained, searched and shipped.

The public API. Subpackages (``neuralscope.training``, ``neuralscope.store``, ...) expose more
for those who build on them.
"""

from __future__ import annotations

__version__ = "0.1.0"

from neuralscope.config import Settings
from neuralscope.data import DataConfig, make_dataset
from neuralscope.events import Event, EventKind, RunStatus
from neuralscope.findings import FINDING_CODES, Finding, Severity
from neuralscope.nets import NetSpec, build_model
from neuralscope.training import (
    Hyperparameters,
    HyperparameterUpdate,
    ProbeConfig,
    Session,
    SessionConfig,
    SessionProbes,
)

__all__ = [
    "FINDING_CODES",
    "DataConfig",
    "Event",
    "EventKind",
    "Finding",
    "HyperparameterUpdate",
    "Hyperparameters",
    "NetSpec",
    "ProbeConfig",
    "RunStatus",
    "Session",
    "SessionConfig",
    "SessionProbes",
    "Settings",
    "Severity",
    "__version__",
    "build_model",
    "make_dataset",
]
