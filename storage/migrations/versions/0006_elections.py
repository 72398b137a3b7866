"""Elections of the lead core maintainer.

Revision ID: 0006
Revises: 0005
Created: 2026-12-10

An election is numbered in the tickets' `#N` series and its deadlines are claimed from the tickets'
`next_due_at` index: a `tickets` row of kind "election" (its phase as `state`, its next deadline) and
an `elections` row keyed by the same id with the rest. `open_key` is unique while the election is open,
so only one election of the lead is open at a time, even when two are opened at the same moment.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "elections",
        sa.Column("id", sa.Integer(), sa.ForeignKey("tickets.id"), primary_key=True, autoincrement=False),
        sa.Column("phase", sa.String(20), nullable=False),
        sa.Column("vacancy", sa.String(20), nullable=False),
        sa.Column("open_key", sa.String(20), nullable=True),
        sa.Column("opened_by", sa.String(100), nullable=False),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("winner", sa.String(100), nullable=True),
        sa.Column("body", sa.JSON(), nullable=False),
        sa.UniqueConstraint("open_key", name="uq_elections_open_key"),
    )
    op.create_index("ix_elections_phase", "elections", ["phase"])


def downgrade() -> None:
    op.drop_index("ix_elections_phase", table_name="elections")
    op.drop_table("elections")
