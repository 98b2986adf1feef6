"""Request and response models of the search routes (``/api/studies``, ``/ws/studies/{name}``).

Study and trial views are the catalog's own models (:mod:`neuralscope.search.catalog`); the 3-D
layout is :class:`neuralscope.search.layout.ModelLayout`. This module adds what only the API has:
the create request, downloads, the form's defaults and the live stream's messages.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from neuralscope.search.catalog import StudySummary, TrialSummary
from neuralscope.search.commands import MAX_SEED, WORKER_SEED_STRIDE
from neuralscope.search.contract import CurvePoint, SearchSpace, StudyConfig

MAX_WORKERS = 8


class StudyCreate(BaseModel):
    """Create a study and start ``workers`` local worker processes on it."""

    model_config = ConfigDict(extra="forbid")

    config: StudyConfig
    workers: int = Field(
        default=1, ge=0, le=MAX_WORKERS, description="0: only create it (join workers by hand)"
    )
    sampler_seed: int | None = Field(
        default=None,
        ge=0,
        le=MAX_SEED - WORKER_SEED_STRIDE * MAX_WORKERS,
        description=(
            "seeds the local workers' samplers: worker i draws with sampler_seed + 1000 i "
            "(its k-th trial: + k), so a one-worker study is reproducible; omitted: every "
            "trial draws afresh"
        ),
    )


class StudyOut(BaseModel):
    """A study and the worker processes this server runs for it."""

    study: StudySummary
    local_workers: int = Field(description="worker processes of this server still running")


class StudyList(BaseModel):
    items: list[StudyOut]


class DownloadOut(BaseModel):
    kind: str = Field(description="safetensors, spec, onnx, torchscript or config")
    filename: str = Field(description="name the download is saved under")
    url: str
    available: bool = Field(description="False: the file is not on this server's machine")
    size: int | None = None


class DownloadsOut(BaseModel):
    number: int
    items: list[DownloadOut]
    reason: str | None = Field(default=None, description="why nothing can be downloaded")


class DatasetChoice(BaseModel):
    name: str
    title: str
    kind: str = Field(description="image, text or tabular")
    family: str = Field(description="the model family searched for it: cnn, lstm or mlp")
    available: bool = Field(description="loadable now (downloaded sets need a download first)")
    hint: str | None = Field(default=None, description="how to get it when it is not available")


class SearchDefaults(BaseModel):
    """What the create form offers: datasets and the default space of each family."""

    datasets: list[DatasetChoice]
    spaces: dict[str, SearchSpace]
    config: StudyConfig = Field(description="a study config with every default filled in")
    max_workers: int = MAX_WORKERS


class BestComparison(BaseModel):
    """The accuracy-only best and the health-aware best completed trial of a study."""

    accuracy_best: TrialSummary | None
    health_best: TrialSummary | None
    same: bool = Field(description="one trial is best by both measures")


StudyEventType = Literal["snapshot", "trial_started", "curve", "trial_finished", "new_best"]


class StudyEvent(BaseModel):
    """One thing that happened in a study (the live stream sends batches of these).

    * ``snapshot``: ``study`` as it is now (always first; later ones when counts change);
    * ``trial_started`` / ``trial_finished`` / ``new_best``: ``trial``;
    * ``curve``: ``number`` and the new ``points`` of a running trial's curve.
    """

    type: StudyEventType
    study: StudySummary | None = None
    trial: TrialSummary | None = None
    number: int | None = None
    points: list[CurvePoint] | None = None


class StudyEvents(BaseModel):
    """``GET /api/studies/{name}/live`` and every message of ``/ws/studies/{name}``."""

    events: list[StudyEvent]
