"""Uploaded models for the analytics API (issue #4): a name and format per stored artifact.

The file itself is a content-addressed artifact (``artifacts.py``); this table only remembers
what the uploader called it and which format the loader recognised, so the model list can be
paged newest first. Uploading the same content again keeps the first row (same id).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Index, String, func, select
from sqlalchemy.orm import Mapped, mapped_column

from neuralscope.store._session import Database, upsert
from neuralscope.store._types import UTCDateTime
from neuralscope.store.errors import ArtifactNotFound
from neuralscope.store.models import Base
from neuralscope.store.runs import utcnow


class UploadedModel(Base):
    """One uploaded model; ``sha256`` is both its id and its artifact."""

    __tablename__ = "uploaded_models"
    __table_args__ = (Index("ix_uploaded_models_created_at_sha256", "created_at", "sha256"),)

    sha256: Mapped[str] = mapped_column(
        String(64), ForeignKey("artifacts.sha256", ondelete="RESTRICT"), primary_key=True
    )
    name: Mapped[str] = mapped_column(String(255))
    format: Mapped[str] = mapped_column(String(32))
    size: Mapped[int] = mapped_column(BigInteger())
    input_shape: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


@dataclass(frozen=True)
class ModelRecord:
    sha256: str
    name: str
    format: str
    size: int
    input_shape: str | None
    created_at: datetime


@dataclass(frozen=True)
class ModelPage:
    items: list[ModelRecord]
    total: int


def _record(row: UploadedModel) -> ModelRecord:
    return ModelRecord(row.sha256, row.name, row.format, row.size, row.input_shape, row.created_at)


class ModelRepository:
    """Rows of uploaded models; the artifact must be stored first."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def add(
        self, sha256: str, *, name: str, format: str, size: int, input_shape: str | None = None
    ) -> ModelRecord:
        """Record an uploaded model; an existing id is returned unchanged.

        ``input_shape`` ("1,3,32,32") is the example input the analysis runs the model on.
        """
        row = {
            "sha256": sha256,
            "name": name,
            "format": format,
            "size": size,
            "input_shape": input_shape,
        }
        with self._db.write() as session:
            upsert(session, UploadedModel, [{**row, "created_at": utcnow()}], keys=["sha256"])
            stored = session.get(UploadedModel, sha256)
            assert stored is not None
            return _record(stored)

    def get(self, sha256: str) -> ModelRecord:
        """The model's record, or :class:`ArtifactNotFound`."""
        with self._db.read() as session:
            row = session.get(UploadedModel, sha256)
            if row is None:
                raise ArtifactNotFound(sha256)
            return _record(row)

    def list(self, *, limit: int = 50, offset: int = 0) -> ModelPage:
        """A page of models, newest first."""
        query = (
            select(UploadedModel)
            .order_by(UploadedModel.created_at.desc(), UploadedModel.sha256.desc())
            .limit(limit)
            .offset(offset)
        )
        with self._db.read() as session:
            total = session.scalar(select(func.count()).select_from(UploadedModel)) or 0
            return ModelPage([_record(r) for r in session.scalars(query)], int(total))
