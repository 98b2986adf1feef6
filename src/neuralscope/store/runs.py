"""Runs: create, read, list, and their lifecycle (status timestamps, progress, interruption)."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime, timedelta

from sqlalchemy import and_, delete, func, or_, select
from sqlalchemy.orm import Session

from neuralscope.events import EventKind, RunStatus
from neuralscope.store._session import Database
from neuralscope.store.errors import RunNotFound
from neuralscope.store.models import EventRow, Run
from neuralscope.store.owner import REMOTE, is_alive, this_process
from neuralscope.store.records import RunPage, RunRecord

INTERRUPTED_ERROR = "interrupted: the process running it stopped"


def utcnow() -> datetime:
    return datetime.now(UTC)


def to_record(run: Run) -> RunRecord:
    return RunRecord(
        id=run.id,
        name=run.name,
        kind=run.kind,
        status=RunStatus(run.status),
        config=dict(run.config),
        created_at=run.created_at,
        updated_at=run.updated_at,
        started_at=run.started_at,
        finished_at=run.finished_at,
        last_step=run.last_step,
        summary={str(k): float(v) for k, v in run.summary.items()},
        error=run.error,
    )


def load_for_update(session: Session, run_id: str) -> Run:
    """The run row, locked for the rest of the transaction on PostgreSQL."""
    run = session.get(Run, run_id, with_for_update=True)
    if run is None:
        raise RunNotFound(run_id)
    return run


def apply_status(run: Run, status: RunStatus, error: str | None, at: datetime) -> None:
    """Set the status and the timestamps that follow from it.

    ``started_at`` is set the first time a run is RUNNING; ``finished_at`` is set on entering a
    terminal status (kept when moving between terminal ones) and cleared on leaving one;
    ``error`` is replaced (None clears it).
    """
    was_terminal = RunStatus(run.status).is_terminal
    run.status = status.value
    if status is RunStatus.RUNNING and run.started_at is None:
        run.started_at = at
    if not status.is_terminal:
        run.finished_at = None
    elif not was_terminal or run.finished_at is None:
        run.finished_at = at
    run.error = error
    run.updated_at = max(run.updated_at, at)


def apply_progress(run: Run, last_step: int, at: datetime) -> None:
    run.last_step = last_step
    run.updated_at = max(run.updated_at, at)


def merge_summary(
    run: Run, values: Mapping[str, tuple[int, float]], *, force: bool = False
) -> None:
    """Merge ``{name: (step, value)}`` into the summary, keeping the value of the highest step.

    Ties go to the newer value; ``force`` takes every given value regardless of step.
    """
    summary, steps = dict(run.summary), dict(run.summary_steps)
    for name, (step, value) in values.items():
        if force or step >= steps.get(name, step):
            summary[name] = float(value)
            steps[name] = step
    run.summary, run.summary_steps = summary, steps


class RunRepository:
    """Runs by id; every method is one transaction."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def create(
        self,
        *,
        name: str,
        kind: str,
        config: Mapping[str, object],
        run_id: str | None = None,
        owner: str | None = None,
    ) -> RunRecord:
        """Create a run in status CREATED; its id is a fresh uuid4 hex unless given.

        ``owner`` is the process that trains it (default: this one; :data:`owner.REMOTE` for
        runs another machine trains and reports over HTTP).
        """
        now = utcnow()
        run = Run(
            id=run_id or uuid.uuid4().hex,
            name=name,
            kind=kind,
            status=RunStatus.CREATED.value,
            config=dict(config),
            created_at=now,
            updated_at=now,
            started_at=None,
            finished_at=None,
            last_step=0,
            summary={},
            summary_steps={},
            error=None,
            owner=owner or this_process(),
        )
        with self._db.write() as session:
            session.add(run)
        return to_record(run)

    def get(self, run_id: str) -> RunRecord:
        """The run, or :class:`RunNotFound`."""
        with self._db.read() as session:
            run = session.get(Run, run_id)
            if run is None:
                raise RunNotFound(run_id)
            return to_record(run)

    def list(
        self,
        *,
        limit: int = 50,
        offset: int = 0,
        kind: str | None = None,
        status: RunStatus | None = None,
    ) -> RunPage:
        """Runs newest first, filtered by ``kind`` and ``status``, and the total that match."""
        if limit < 0 or offset < 0:
            raise ValueError("limit and offset must not be negative")
        conditions = []
        if kind is not None:
            conditions.append(Run.kind == kind)
        if status is not None:
            conditions.append(Run.status == RunStatus(status).value)
        page = (
            select(Run)
            .where(*conditions)
            .order_by(Run.created_at.desc(), Run.id.desc())
            .limit(limit)
            .offset(offset)
        )
        with self._db.read() as session:
            total = session.scalar(select(func.count()).select_from(Run).where(*conditions)) or 0
            items = [to_record(run) for run in session.scalars(page)]
        return RunPage(items=items, total=total)

    def set_status(self, run_id: str, status: RunStatus, *, error: str | None = None) -> RunRecord:
        """Change the status (see :func:`apply_status` for the timestamps)."""
        with self._db.write() as session:
            run = load_for_update(session, run_id)
            apply_status(run, RunStatus(status), error, utcnow())
            session.flush()
            return to_record(run)

    def set_progress(
        self, run_id: str, *, last_step: int, summary: Mapping[str, float]
    ) -> RunRecord:
        """Set the last step reached and the given summary values (taken at that step)."""
        with self._db.write() as session:
            run = load_for_update(session, run_id)
            apply_progress(run, last_step, utcnow())
            merge_summary(run, {k: (last_step, v) for k, v in summary.items()}, force=True)
            session.flush()
            return to_record(run)

    def delete(self, run_id: str) -> None:
        """Delete the run and, by cascade, its metrics, events, snapshots and artifact links."""
        with self._db.write() as session:
            result = session.execute(delete(Run).where(Run.id == run_id))
            if result.rowcount == 0:  # type: ignore[attr-defined]
                raise RunNotFound(run_id)

    def mark_interrupted(self, *, stale_after: timedelta | None = None) -> int:
        """Fail the runs a dead process left active; return how many.

        Active means RUNNING, PAUSED, or CREATED but already started. The server calls this at
        start. A run whose owner process on this host still lives (a ``watch()`` loop or a CLI
        run sharing the database) is left alone, and so is a remote run; one owned on another
        host counts only when ``stale_after`` is given and it was not updated for that long
        (several machines sharing one database). Runs stored before owners were recorded
        are judged by ``stale_after`` alone, as before.
        """
        now = utcnow()
        active = or_(
            Run.status.in_([RunStatus.RUNNING.value, RunStatus.PAUSED.value]),
            and_(Run.status == RunStatus.CREATED.value, Run.started_at.is_not(None)),
        )

        def stale(run: Run) -> bool:
            return stale_after is not None and run.updated_at < now - stale_after

        def abandoned(run: Run) -> bool:
            if run.owner is None:
                return stale_after is None or stale(run)
            if run.owner == REMOTE:
                return False
            alive = is_alive(run.owner)
            return stale(run) if alive is None else not alive

        with self._db.write() as session:
            candidates = session.scalars(select(Run).where(active).with_for_update())
            runs = [run for run in candidates if abandoned(run)]
            for run in runs:
                apply_status(run, RunStatus.FAILED, INTERRUPTED_ERROR, now)
                session.add(
                    EventRow(
                        run_id=run.id,
                        step=run.last_step,
                        kind=EventKind.STATUS.value,
                        payload={"status": RunStatus.FAILED.value, "reason": INTERRUPTED_ERROR},
                        time=now.timestamp(),
                    )
                )
        return len(runs)


def require_runs(session: Session, run_ids: Iterable[str]) -> None:
    """Raise :class:`RunNotFound` for the first of ``run_ids`` that has no run."""
    wanted = set(run_ids)
    if not wanted:
        return
    found = set(session.scalars(select(Run.id).where(Run.id.in_(wanted))))
    missing = sorted(wanted - found)
    if missing:
        raise RunNotFound(missing[0])
