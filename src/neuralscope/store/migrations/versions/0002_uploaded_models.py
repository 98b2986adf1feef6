"""Uploaded models for the analytics API: name, format and example input shape per artifact.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "uploaded_models",
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("format", sa.String(length=32), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("input_shape", sa.String(length=64), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["sha256"],
            ["artifacts.sha256"],
            name=op.f("fk_uploaded_models_sha256_artifacts"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("sha256", name=op.f("pk_uploaded_models")),
    )
    op.create_index(
        "ix_uploaded_models_created_at_sha256", "uploaded_models", ["created_at", "sha256"]
    )


def downgrade() -> None:
    op.drop_index("ix_uploaded_models_created_at_sha256", table_name="uploaded_models")
    op.drop_table("uploaded_models")
