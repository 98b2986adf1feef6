"""neuralscope: see inside neural networks while they are built, trained, searched and shipped.

The public API. Subpackages (``neuralscope.training``, ``neuralscope.store``, ...) expose more
for those who build on them.
"""

from __future__ import annotations

__version__ = "0.1.0"

from neuralscope.analysis import ModelReport, analyze, compare
from neuralscope.config import Settings
from neuralscope.data import DataConfig, make_dataset
from neuralscope.decomposition import Decomposition, decompose
from neuralscope.events import Event, EventKind, RunStatus
from neuralscope.findings import FINDING_CODES, Finding, Severity
from neuralscope.nets import NetSpec, build_model
from neuralscope.nets.io import load_model
from neuralscope.training import (
    Hyperparameters,
    HyperparameterUpdate,
    ProbeConfig,
    Session,
    SessionConfig,
    SessionProbes,
)
from neuralscope.watch import WatchConfig, WatchRun, watch

__all__ = [
    "FINDING_CODES",
    "DataConfig",
    "Decomposition",
    "Event",
    "EventKind",
    "Finding",
    "HyperparameterUpdate",
    "Hyperparameters",
    "ModelReport",
    "NetSpec",
    "ProbeConfig",
    "RunStatus",
    "Session",
    "SessionConfig",
    "SessionProbes",
    "Settings",
    "Severity",
    "WatchConfig",
    "WatchRun",
    "__version__",
    "analyze",
    "build_model",
    "compare",
    "decompose",
    "load_model",
    "make_dataset",
    "watch",
]
