"""The tables, as SQLAlchemy 2 typed declarative models.

Private to the store: the repositories turn rows into frozen records, and nothing outside
``neuralscope.store`` sees these classes. The schema itself is owned by the Alembic migrations in
``migrations/versions``; a test checks that these models and the migrations agree.

Child rows reference ``runs.id`` with ``ON DELETE CASCADE`` so deleting a run is one statement.
Event times are kept as Unix seconds (``double``) so an event read back equals the one recorded;
run timestamps are timezone-aware UTC datetimes.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Double,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from neuralscope.store._types import MetricFloat, PortableJSON, UTCDateTime

# Explicit constraint names: Alembic's batch mode on SQLite and future migrations need them.
NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# SQLite only auto-increments an ``INTEGER PRIMARY KEY``; PostgreSQL gets a 64-bit identity.
RowId = BigInteger().with_variant(Integer(), "sqlite")


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def _run_fk() -> Mapped[str]:
    return mapped_column(String(32), ForeignKey("runs.id", ondelete="CASCADE"), nullable=False)


class Run(Base):
    __tablename__ = "runs"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(16))
    config: Mapped[dict[str, Any]] = mapped_column(PortableJSON())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_step: Mapped[int] = mapped_column(BigInteger(), default=0)
    summary: Mapped[dict[str, Any]] = mapped_column(PortableJSON())
    # The step each summary value was taken at, so a late, older value never replaces a newer.
    summary_steps: Mapped[dict[str, Any]] = mapped_column(PortableJSON())
    error: Mapped[str | None] = mapped_column(Text())
    # The process training the run (see store.owner); None for runs stored before 0004.
    owner: Mapped[str | None] = mapped_column(String(160))

    __table_args__ = (
        Index("ix_runs_created_at_id", "created_at", "id"),
        Index("ix_runs_status", "status"),
    )


class Metric(Base):
    __tablename__ = "metrics"

    id: Mapped[int] = mapped_column(RowId, primary_key=True, autoincrement=True)
    run_id: Mapped[str] = _run_fk()
    step: Mapped[int] = mapped_column(BigInteger())
    name: Mapped[str] = mapped_column(String(200))
    # NULL only ever means NaN on SQLite; see MetricFloat.
    value: Mapped[float] = mapped_column(MetricFloat(), nullable=True)
    time: Mapped[float] = mapped_column(Double())

    __table_args__ = (Index("ix_metrics_run_id_name_step", "run_id", "name", "step"),)


class Snapshot(Base):
    __tablename__ = "snapshots"

    id: Mapped[int] = mapped_column(RowId, primary_key=True, autoincrement=True)
    run_id: Mapped[str] = _run_fk()
    step: Mapped[int] = mapped_column(BigInteger())
    kind: Mapped[str] = mapped_column(String(32))
    payload: Mapped[bytes] = mapped_column(LargeBinary())
    time: Mapped[float] = mapped_column(Double())

    __table_args__ = (Index("ix_snapshots_run_id_kind_step", "run_id", "kind", "step"),)


class EventRow(Base):
    __tablename__ = "events"

    id: Mapped[int] = mapped_column(RowId, primary_key=True, autoincrement=True)
    run_id: Mapped[str] = _run_fk()
    step: Mapped[int] = mapped_column(BigInteger())
    kind: Mapped[str] = mapped_column(String(32))
    payload: Mapped[dict[str, Any]] = mapped_column(PortableJSON())
    time: Mapped[float] = mapped_column(Double())

    __table_args__ = (Index("ix_events_run_id_step", "run_id", "step"),)


class Artifact(Base):
    __tablename__ = "artifacts"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int] = mapped_column(BigInteger())
    media_type: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class RunArtifact(Base):
    """Links a file to a run under a name; one file may belong to several runs."""

    __tablename__ = "run_artifacts"

    run_id: Mapped[str] = mapped_column(
        String(32), ForeignKey("runs.id", ondelete="CASCADE"), primary_key=True
    )
    name: Mapped[str] = mapped_column(String(255), primary_key=True)
    sha256: Mapped[str] = mapped_column(
        String(64), ForeignKey("artifacts.sha256", ondelete="RESTRICT"), index=True
    )
