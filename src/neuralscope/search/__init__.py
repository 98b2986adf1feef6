"""Health-aware hyperparameter and architecture search on Optuna (issue #6).

:mod:`neuralscope.search.contract` is what studies and trials store; the rest builds on it:
spaces as data (:mod:`.spaces`), trial networks (:mod:`.models`), the balanced objective
(:mod:`.health`), the trial objective with pruning (:mod:`.objective`), workers that isolate
each trial in its own process (:mod:`.worker`), and reproducible trial configurations
(:mod:`.experiment`).
"""

from neuralscope.search.devices import assign_devices
from neuralscope.search.experiment import TrialConfig, TrialResult, rerun_trial, train_trial
from neuralscope.search.spaces import (
    SpaceError,
    default_space,
    load_space,
    parse_space,
    save_space,
)
from neuralscope.search.storage import Heartbeat, StorageUnavailable, close_storage, open_storage
from neuralscope.search.study import (
    StudyExists,
    StudyNotFound,
    create_study,
    load_study,
    request_cancel,
)
from neuralscope.search.worker import WorkerOptions, WorkerSummary, run_worker

__all__ = [
    "Heartbeat",
    "SpaceError",
    "StorageUnavailable",
    "StudyExists",
    "StudyNotFound",
    "TrialConfig",
    "TrialResult",
    "WorkerOptions",
    "WorkerSummary",
    "assign_devices",
    "close_storage",
    "create_study",
    "default_space",
    "load_space",
    "load_study",
    "open_storage",
    "parse_space",
    "request_cancel",
    "rerun_trial",
    "run_worker",
    "save_space",
    "train_trial",
]
