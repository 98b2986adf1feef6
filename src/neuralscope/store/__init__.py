"""Persistence: runs, metrics, events, snapshots and artifacts in SQLite or PostgreSQL.

``Store`` is the API; ``Recorder`` writes a stream of events through it in the background.
"""

from __future__ import annotations

from neuralscope.store.db import create_db_engine, mask_url, migrate
from neuralscope.store.errors import ArtifactNotFound, RunNotFound, StoreError, StoreUnavailable
from neuralscope.store.recorder import Recorder
from neuralscope.store.records import (
    ArtifactRecord,
    MetricRow,
    RunArtifact,
    RunPage,
    RunRecord,
    Series,
)
from neuralscope.store.repository import Store
from neuralscope.store.runs import INTERRUPTED_ERROR

__all__ = [
    "INTERRUPTED_ERROR",
    "ArtifactNotFound",
    "ArtifactRecord",
    "MetricRow",
    "Recorder",
    "RunArtifact",
    "RunNotFound",
    "RunPage",
    "RunRecord",
    "Series",
    "Store",
    "StoreError",
    "StoreUnavailable",
    "create_db_engine",
    "mask_url",
    "migrate",
]
