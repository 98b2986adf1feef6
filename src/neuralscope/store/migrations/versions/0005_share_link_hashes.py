"""Share links keep a SHA-256 of their token, not the token, and get a non-secret id.

Existing links keep working: each stored token is replaced by its hash (the same hash
:func:`neuralscope.store.shares.token_hash` computes for a token from a URL) and given a fresh
id, by which its owner can list and revoke it. The primary key moves from the token to the id,
so the table is rebuilt (read, dropped, created, refilled) the same way on SQLite and
PostgreSQL; share links are few. Downgrading cannot recover a token from its hash: it drops
every link.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-22
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _create(key: sa.Column[str], *extra: sa.Column[str]) -> None:
    op.create_table(
        "share_links",
        key,
        *extra,
        sa.Column("run_id", sa.String(length=32), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["run_id"], ["runs.id"], name=op.f("fk_share_links_run_id_runs"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint(key.name, name=op.f("pk_share_links")),
    )
    op.create_index("ix_share_links_run_id", "share_links", ["run_id"])


def upgrade() -> None:
    bind = op.get_bind()
    rows = bind.execute(sa.text("SELECT token, run_id, created_at FROM share_links")).all()
    op.drop_index("ix_share_links_run_id", table_name="share_links")
    op.drop_table("share_links")
    _create(
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
    )
    op.create_index(op.f("ix_share_links_token_hash"), "share_links", ["token_hash"], unique=True)
    if rows:
        bind.execute(
            sa.text(
                "INSERT INTO share_links (id, token_hash, run_id, created_at) "
                "VALUES (:id, :token_hash, :run_id, :created_at)"
            ),
            [
                {
                    "id": uuid.uuid4().hex,
                    "token_hash": hashlib.sha256(token.encode()).hexdigest(),
                    "run_id": run_id,
                    "created_at": created_at,
                }
                for token, run_id, created_at in rows
            ],
        )


def downgrade() -> None:
    op.drop_index(op.f("ix_share_links_token_hash"), table_name="share_links")
    op.drop_index("ix_share_links_run_id", table_name="share_links")
    op.drop_table("share_links")
    _create(sa.Column("token", sa.String(length=64), nullable=False))
