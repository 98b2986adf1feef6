"""Share links: an unguessable token that opens one run read-only (issue #3, "share"),
stored only as a hash and revocable (issue #8).

A token is ``secrets.token_urlsafe(32)``: 256 random bits (links made before issue #8 have 192).
The database keeps only its SHA-256, so a leaked database or backup opens no run. The hash is
unsalted on purpose: salts and slow hashes defend low-entropy secrets (passwords) against
dictionary and brute-force search, and there is nothing to search in 2**192 or more uniformly
random values; an unsalted hash is what lets a token from a URL be found by an indexed lookup.
The row found is checked once more with :func:`hmac.compare_digest` on the hash. Anything
else is :class:`ShareNotFound`, which never says which part was wrong and carries no token.

Each link also has a non-secret ``id`` (a uuid4 hex): its owner lists the run's links by it
and revokes one by deleting its row, so the next request with its token is a 404. Deleting a
run deletes its links (``ON DELETE CASCADE``). Migration 0005 turned plain tokens into hashes.

Replays need boundary frames over the whole run, not all of them: :meth:`frames` picks at
most ``max_frames`` snapshot steps spread evenly from the first to the last.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ForeignKey, String, delete, select
from sqlalchemy.orm import Mapped, mapped_column

from neuralscope.events import Event, EventKind
from neuralscope.store._session import Database
from neuralscope.store._types import UTCDateTime
from neuralscope.store.errors import StoreError
from neuralscope.store.event_log import _to_event
from neuralscope.store.models import Base, Snapshot
from neuralscope.store.runs import require_runs, utcnow

TOKEN_BYTES = 32
# Accepted token lengths: 192-bit links made before issue #8 have 32 characters, newer 43.
_TOKEN_CHARS = (16, 64)


def token_hash(token: str) -> str:
    """The hex SHA-256 of a token: what the database keeps instead of the token."""
    return hashlib.sha256(token.encode()).hexdigest()


class ShareLinkRow(Base):
    """One share link: the hash of the secret in its URL, and a non-secret id."""

    __tablename__ = "share_links"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True, index=True)
    run_id: Mapped[str] = mapped_column(
        String(32), ForeignKey("runs.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class ShareNotFound(StoreError, KeyError):
    """No share link has this token, or this id (never says which part was wrong)."""

    def __str__(self) -> str:
        return "no shared run at this link"


@dataclass(frozen=True)
class ShareLink:
    """A link as stored: no token, only its id (the token exists once, at creation)."""

    id: str
    run_id: str
    created_at: datetime


@dataclass(frozen=True)
class NewShareLink(ShareLink):
    """A link just created, with its token: the only time the token is known."""

    token: str

    def __repr__(self) -> str:  # never print the secret by accident (logs, tracebacks)
        return f"NewShareLink(id={self.id!r}, run_id={self.run_id!r}, token=<hidden>)"


def spread(items: list[int], n: int) -> list[int]:
    """At most ``n`` of ``items``, evenly spaced, always keeping the first and the last."""
    if len(items) <= n:
        return items
    if n == 1:
        return [items[-1]]
    picks = {round(i * (len(items) - 1) / (n - 1)) for i in range(n)}
    return [items[i] for i in sorted(picks)]


def _link(row: ShareLinkRow) -> ShareLink:
    return ShareLink(row.id, row.run_id, row.created_at)


class ShareRepository:
    """Create, list, resolve and revoke share links."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def create(self, run_id: str) -> NewShareLink:
        """A new link to ``run_id`` (RunNotFound if there is no such run)."""
        token = secrets.token_urlsafe(TOKEN_BYTES)
        with self._db.write() as session:
            require_runs(session, [run_id])
            row = ShareLinkRow(
                id=uuid.uuid4().hex,
                token_hash=token_hash(token),
                run_id=run_id,
                created_at=utcnow(),
            )
            session.add(row)
            session.flush()
            return NewShareLink(row.id, row.run_id, row.created_at, token)

    def resolve(self, token: str) -> ShareLink:
        """The link with this token, or :class:`ShareNotFound`."""
        if not _TOKEN_CHARS[0] <= len(token) <= _TOKEN_CHARS[1]:
            raise ShareNotFound
        digest = token_hash(token)
        with self._db.read() as session:
            row = session.scalars(
                select(ShareLinkRow).where(ShareLinkRow.token_hash == digest)
            ).one_or_none()
            if row is None or not hmac.compare_digest(row.token_hash, digest):
                raise ShareNotFound
            return _link(row)

    def for_run(self, run_id: str) -> list[ShareLink]:
        """The run's links, oldest first (RunNotFound if there is no such run)."""
        with self._db.read() as session:
            require_runs(session, [run_id])
            query = (
                select(ShareLinkRow)
                .where(ShareLinkRow.run_id == run_id)
                .order_by(ShareLinkRow.created_at, ShareLinkRow.id)
            )
            return [_link(row) for row in session.scalars(query)]

    def revoke(self, run_id: str, share_id: str) -> None:
        """Delete the link ``share_id`` of ``run_id``: its token opens nothing from now on.

        Raises :class:`ShareNotFound` when the run has no such link (also for another run's).
        """
        with self._db.write() as session:
            deleted = session.execute(
                delete(ShareLinkRow).where(
                    ShareLinkRow.id == share_id, ShareLinkRow.run_id == run_id
                )
            )
            if deleted.rowcount == 0:  # type: ignore[attr-defined]
                raise ShareNotFound

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
