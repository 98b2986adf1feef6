"""Discrete events (status, hyperparameter changes, findings) and array-bearing snapshots."""

from __future__ import annotations

import builtins
from collections.abc import Sequence

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from neuralscope.events import Event, EventKind
from neuralscope.store._codec import decompress_payload, event_row, rebuild, snapshot_row
from neuralscope.store._session import Database
from neuralscope.store.models import EventRow, Snapshot
from neuralscope.store.runs import require_runs


def insert_events(session: Session, events: Sequence[Event]) -> None:
    if events:
        session.execute(insert(EventRow), [event_row(e) for e in events])


def insert_snapshots(session: Session, events: Sequence[Event]) -> None:
    if events:
        session.execute(insert(Snapshot), [snapshot_row(e) for e in events])


class EventRepository:
    """The ``events`` table: read back as validated :mod:`neuralscope.events` objects."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def add_many(self, events: Sequence[Event]) -> None:
        """Store ``events`` (of any runs) in one transaction."""
        with self._db.write() as session:
            require_runs(session, {e.run_id for e in events})
            insert_events(session, events)

    def list(
        self,
        run_id: str,
        kinds: Sequence[EventKind] | None = None,
        after_step: int | None = None,
        limit: int | None = None,
    ) -> list[Event]:
        """The run's events in step order (then recording order), optionally filtered."""
        query = select(EventRow).where(EventRow.run_id == run_id)
        if kinds is not None:
            query = query.where(EventRow.kind.in_([EventKind(k).value for k in kinds]))
        if after_step is not None:
            query = query.where(EventRow.step > after_step)
        query = query.order_by(EventRow.step, EventRow.id).limit(limit)
        with self._db.read() as session:
            rows = list(session.scalars(query))
        return [rebuild(r.run_id, r.step, r.time, r.kind, r.payload) for r in rows]


class SnapshotRepository:
    """The ``snapshots`` table: boundary grids, layer statistics and gradient norms per step."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def add_many(self, events: Sequence[Event]) -> None:
        """Store ``events`` compressed, in one transaction."""
        with self._db.write() as session:
            require_runs(session, {e.run_id for e in events})
            insert_snapshots(session, events)

    def latest(self, run_id: str, kind: EventKind) -> Event | None:
        """The snapshot of ``kind`` at the highest step (the last recorded on a tie)."""
        query = (
            select(Snapshot)
            .where(Snapshot.run_id == run_id, Snapshot.kind == EventKind(kind).value)
            .order_by(Snapshot.step.desc(), Snapshot.id.desc())
            .limit(1)
        )
        with self._db.read() as session:
            row = session.scalars(query).first()
        return None if row is None else _to_event(row)

    def list(
        self,
        run_id: str,
        kind: EventKind,
        *,
        after_step: int | None = None,
        limit: int | None = None,
    ) -> list[Event]:
        """Snapshots of ``kind`` in step order, the first ``limit`` after ``after_step``."""
        query = select(Snapshot).where(
            Snapshot.run_id == run_id, Snapshot.kind == EventKind(kind).value
        )
        if after_step is not None:
            query = query.where(Snapshot.step > after_step)
        query = query.order_by(Snapshot.step, Snapshot.id).limit(limit)
        with self._db.read() as session:
            rows = list(session.scalars(query))
        return [_to_event(r) for r in rows]

    def steps(self, run_id: str, kind: EventKind) -> builtins.list[int]:
        """The steps that have a snapshot of ``kind``, ascending (for a timeline scrubber)."""
        query = (
            select(Snapshot.step)
            .where(Snapshot.run_id == run_id, Snapshot.kind == EventKind(kind).value)
            .distinct()
            .order_by(Snapshot.step)
        )
        with self._db.read() as session:
            return [int(s) for s in session.scalars(query)]


def _to_event(row: Snapshot) -> Event:
    return rebuild(row.run_id, row.step, row.time, row.kind, decompress_payload(row.payload))
