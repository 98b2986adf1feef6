"""REST models of CSV uploads and share links (issue #3); the rest are in ``schemas``."""

from __future__ import annotations

from datetime import datetime

from pydantic import Field

from neuralscope.data import TableRef, Task
from neuralscope.events import Event, RunStatus
from neuralscope.server.schemas import BaseModel, DatasetPoints, Series
from neuralscope.training import SessionConfig


class CsvUploadOut(BaseModel):
    """A stored CSV upload; put ``table`` into ``DataConfig`` (with ``dataset: "csv"``)."""

    id: str = Field(description="sha256 of the stored table (same content, same id)")
    feature_names: list[str]
    label_name: str
    task: Task
    n_rows: int
    class_names: list[str] = Field(description="Empty for regression")
    table: TableRef


class ShareLinkOut(BaseModel):
    """A share link as listed to its run's owner: never its token (only hashed at rest)."""

    id: str = Field(description="Not secret: names the link to revoke it")
    created_at: datetime


class ShareOut(ShareLinkOut):
    """A new share link: the only response that ever carries its token."""

    token: str = Field(description="The secret of the link; whoever has it can read the run")
    url: str = Field(description="Path of the read-only replay page: /#/shared/<token>")


class ShareLinksOut(BaseModel):
    run_id: str
    links: list[ShareLinkOut] = Field(description="The run's live links, oldest first")


class SharedRunOut(BaseModel):
    """A read-only replay of a shared run. It carries no run id, so nothing here can steer
    the run; event ``run_id`` fields read ``"shared"``."""

    name: str
    status: RunStatus
    config: SessionConfig
    created_at: datetime
    last_step: int
    summary: dict[str, float]
    series: dict[str, Series] = Field(description="Training and validation curves")
    markers: list[Event] = Field(description="Status, hyperparameter and finding events")
    frames: list[Event] = Field(
        description="Decision-boundary frames spread over the run (at most max_frames), by step"
    )
    points: DatasetPoints | None = Field(
        default=None, description="The data the boundary is drawn over (None for image sets)"
    )
