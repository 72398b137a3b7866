"""Confirmed changes to the hierarchy, waiting for `upline governance apply`.

Revision ID: 0004
Revises: 0003
Created: 2026-12-08

A confirmed nomination or removal is one `hierarchy_changes` row (who, what, which area, the decision
`#N` that confirmed it); `upline governance apply` writes it into app.yaml and sets `applied_at`.
`decided_in` has no foreign key: the change stays meaningful whatever happens to the decision's rows.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "hierarchy_changes",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("person", sa.String(100), nullable=False),
        sa.Column("area", sa.String(100), nullable=True),
        sa.Column("decided_in", sa.Integer(), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("name", sa.Text(), nullable=True),
        sa.Column("slack", sa.String(100), nullable=True),
        sa.Column("applied_at", sa.DateTime(timezone=True), nullable=True),
    )


def downgrade() -> None:
    op.drop_table("hierarchy_changes")
