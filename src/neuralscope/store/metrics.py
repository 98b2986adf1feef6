"""Scalar metrics: bulk insert, series for charts (downsampled in SQL), names, latest values."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import BigInteger, Select, func, insert, or_, select
from sqlalchemy.orm import Session

from neuralscope.store._session import Database
from neuralscope.store.models import Metric
from neuralscope.store.records import MetricRow, Series
from neuralscope.store.runs import require_runs


def insert_rows(session: Session, run_id: str, rows: Sequence[MetricRow]) -> None:
    """One multi-row INSERT for ``rows`` (executemany)."""
    if rows:
        session.execute(
            insert(Metric),
            [
                {"run_id": run_id, "step": r.step, "name": r.name, "value": r.value, "time": r.time}
                for r in rows
            ],
        )


def _downsampled(
    run_id: str, names: Sequence[str] | None, max_points: int
) -> Select[str, int, float]:
    """``max_points`` evenly spaced points of each longer series, always its first and last.

    Of n points (0-based positions p) with m = max_points >= 2, point p falls in bucket
    floor(p (m - 1) / (n - 1)), a number from 0 to m - 1; the first point of each bucket is
    kept: positions ceil(j (n - 1) / (m - 1)) for j = 0 .. m - 1, which include 0 and n - 1.
    Positions and counts come from window functions, in one query for all series.
    """
    position = func.row_number().over(partition_by=Metric.name, order_by=(Metric.step, Metric.id))
    count = func.count().over(partition_by=Metric.name)
    inner = select(
        Metric.name, Metric.step, Metric.value, (position - 1).label("pos"), count.label("n")
    ).where(Metric.run_id == run_id)
    if names is not None:
        inner = inner.where(Metric.name.in_(names))
    ranked = inner.subquery()
    pos, n = ranked.c.pos, ranked.c.n
    if max_points == 1:
        keep = pos == n - 1
    else:
        span = func.nullif(n - 1, 0, type_=BigInteger)
        here = (pos * (max_points - 1)) // span
        before = ((pos - 1) * (max_points - 1)) // span
        keep = or_(n <= max_points, pos == 0, here > before)
    return (
        select(ranked.c.name, ranked.c.step, ranked.c.value)
        .where(keep)
        .order_by(ranked.c.name, pos)
    )


class MetricRepository:
    """Scalar time series per run; every method is one transaction."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def add_many(self, run_id: str, rows: Sequence[MetricRow]) -> None:
        """Store ``rows`` for the run in one transaction (:class:`RunNotFound` if none)."""
        with self._db.write() as session:
            require_runs(session, [run_id])
            insert_rows(session, run_id, rows)

    def series(
        self, run_id: str, names: Sequence[str] | None = None, *, max_points: int | None = None
    ) -> dict[str, Series]:
        """Each metric's points in step order (all metrics unless ``names`` are given).

        With ``max_points``, a longer series is thinned to exactly that many evenly spaced
        points, always including the first and the last.
        """
        if max_points is not None and max_points < 1:
            raise ValueError("max_points must be at least 1")
        if max_points is None:
            query = select(Metric.name, Metric.step, Metric.value).where(Metric.run_id == run_id)
            if names is not None:
                query = query.where(Metric.name.in_(names))
            query = query.order_by(Metric.name, Metric.step, Metric.id)
        else:
            query = _downsampled(run_id, names, max_points)
        out: dict[str, Series] = {}
        with self._db.read() as session:
            for name, step, value in session.execute(query):
                series = out.get(name)
                if series is None:
                    series = out[name] = Series(steps=[], values=[])
                series.steps.append(int(step))
                series.values.append(float(value))
        return out

    def names(self, run_id: str) -> list[str]:
        """The metric names the run has, sorted."""
        query = select(Metric.name).where(Metric.run_id == run_id).distinct().order_by(Metric.name)
        with self._db.read() as session:
            return list(session.scalars(query))

    def latest(self, run_id: str) -> dict[str, float]:
        """Each metric's value at its highest step (the last recorded on a tie)."""
        newest = func.row_number().over(
            partition_by=Metric.name, order_by=(Metric.step.desc(), Metric.id.desc())
        )
        ranked = (
            select(Metric.name, Metric.value, newest.label("rank"))
            .where(Metric.run_id == run_id)
            .subquery()
        )
        query = select(ranked.c.name, ranked.c.value).where(ranked.c.rank == 1)
        with self._db.read() as session:
            return {name: float(value) for name, value in session.execute(query)}
