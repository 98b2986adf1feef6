"""The frozen records the store hands out; no ORM object or raw row leaves the store."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from neuralscope.events import RunStatus


@dataclass(frozen=True, slots=True)
class RunRecord:
    """One run. ``config`` is opaque JSON to the store; ``summary`` holds the latest scalars."""

    id: str
    name: str
    kind: str
    status: RunStatus
    config: dict[str, object]
    created_at: datetime
    updated_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    last_step: int
    summary: dict[str, float]
    error: str | None


@dataclass(frozen=True, slots=True)
class RunPage:
    """One page of runs, newest first, and how many runs match in all."""

    items: list[RunRecord]
    total: int


@dataclass(frozen=True, slots=True)
class MetricRow:
    """One scalar: ``value`` of metric ``name`` at ``step``, recorded at Unix ``time``."""

    step: int
    name: str
    value: float
    time: float


@dataclass(frozen=True, slots=True)
class Series:
    """One metric over steps, in step order; ``steps[i]`` goes with ``values[i]``."""

    steps: list[int]
    values: list[float]


@dataclass(frozen=True, slots=True)
class ArtifactRecord:
    """A stored file, addressed by the sha256 of its content."""

    sha256: str
    size: int
    media_type: str
    created_at: datetime


@dataclass(frozen=True, slots=True)
class RunArtifact:
    """An artifact as it belongs to a run, under a name unique within that run."""

    run_id: str
    name: str
    artifact: ArtifactRecord
