"""Share links: an unguessable token that opens one run read-only (issue #3, "share").

A token is ``secrets.token_urlsafe(24)`` (192 random bits, 32 characters), the primary key of
its row, so a token from a URL is found by an indexed equality lookup in the database (no
comparison of secrets in Python, hence no timing side channel), and anything else is
:class:`ShareNotFound`. Deleting a run deletes its links (``ON DELETE CASCADE``).

Replays need boundary frames over the whole run, not all of them: :meth:`frames` picks at
most ``max_frames`` snapshot steps spread evenly from the first to the last.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ForeignKey, String, select
from sqlalchemy.orm import Mapped, mapped_column

from neuralscope.events import Event, EventKind
from neuralscope.store._session import Database
from neuralscope.store._types import UTCDateTime
from neuralscope.store.errors import StoreError
from neuralscope.store.event_log import _to_event
from neuralscope.store.models import Base, Snapshot
from neuralscope.store.runs import require_runs, utcnow

TOKEN_BYTES = 24


class ShareLinkRow(Base):
    """One share link; ``token`` is the secret in its URL."""

    __tablename__ = "share_links"

    token: Mapped[str] = mapped_column(String(64), primary_key=True)
    run_id: Mapped[str] = mapped_column(
        String(32), ForeignKey("runs.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class ShareNotFound(StoreError, KeyError):
    """No share link has this token (never says which part was wrong)."""

    def __str__(self) -> str:
        return "no shared run at this link"


@dataclass(frozen=True)
class ShareLink:
    token: str
    run_id: str
    created_at: datetime


def spread(items: list[int], n: int) -> list[int]:
    """At most ``n`` of ``items``, evenly spaced, always keeping the first and the last."""
    if len(items) <= n:
        return items
    if n == 1:
        return [items[-1]]
    picks = {round(i * (len(items) - 1) / (n - 1)) for i in range(n)}
    return [items[i] for i in sorted(picks)]


class ShareRepository:
    """Create share links and resolve them to runs."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def create(self, run_id: str) -> ShareLink:
        """A new link to ``run_id`` (RunNotFound if there is no such run)."""
        token = secrets.token_urlsafe(TOKEN_BYTES)
        with self._db.write() as session:
            require_runs(session, [run_id])
            row = ShareLinkRow(token=token, run_id=run_id, created_at=utcnow())
            session.add(row)
            session.flush()
            return ShareLink(row.token, row.run_id, row.created_at)

    def resolve(self, token: str) -> ShareLink:
        """The link with this token, or :class:`ShareNotFound`."""
        if not 16 <= len(token) <= 64:
            raise ShareNotFound(token)
        with self._db.read() as session:
            row = session.get(ShareLinkRow, token)
            if row is None:
                raise ShareNotFound(token)
            return ShareLink(row.token, row.run_id, row.created_at)

    def frames(self, run_id: str, kind: EventKind, max_frames: int) -> list[Event]:
        """At most ``max_frames`` snapshots of ``kind``, spread over the run, in step order."""
        kind_value = EventKind(kind).value
        steps_query = (
            select(Snapshot.step)
            .where(Snapshot.run_id == run_id, Snapshot.kind == kind_value)
            .distinct()
            .order_by(Snapshot.step)
        )
        with self._db.read() as session:
            steps = spread([int(s) for s in session.scalars(steps_query)], max_frames)
            if not steps:
                return []
            query = (
                select(Snapshot)
                .where(
                    Snapshot.run_id == run_id,
                    Snapshot.kind == kind_value,
                    Snapshot.step.in_(steps),
                )
                .order_by(Snapshot.step, Snapshot.id)
            )
            rows = list(session.scalars(query))
        latest = {row.step: row for row in rows}  # one frame per step: the newest
        return [_to_event(latest[s]) for s in steps]
