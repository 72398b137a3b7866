"""Nominations and removals, and the schedule of their review.

Revision ID: 0005
Revises: 0004
Created: 2026-12-08

A nomination is numbered in the tickets' `#N` series: a `tickets` row of kind "nomination" (its
summary as `text`, its state and target level) and a `nominations` row keyed by the same id with the
rest. `open_key` is unique while the nomination is open, so a duplicate joins the first instead of
opening another. Its own deadline (the reminders of a request for information) is `next_due_at`
here. `review_schedule` holds one row: when the next review is due, locked by the sweep that holds it.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "nominations",
        sa.Column("id", sa.Integer(), sa.ForeignKey("tickets.id"), primary_key=True, autoincrement=False),
        sa.Column("action", sa.String(20), nullable=False),
        sa.Column("person", sa.String(100), nullable=False),
        sa.Column("target", sa.String(100), nullable=False),
        sa.Column("state", sa.String(20), nullable=False),
        sa.Column("open_key", sa.String(222), nullable=True),
        sa.Column("decision_id", sa.Integer(), sa.ForeignKey("tickets.id"), nullable=True),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("next_due_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("body", sa.JSON(), nullable=False),
        sa.UniqueConstraint("open_key", name="uq_nominations_open_key"),
    )
    op.create_index("ix_nominations_state", "nominations", ["state"])
    op.create_index("ix_nominations_target_state", "nominations", ["target", "state"])
    op.create_index("ix_nominations_person", "nominations", ["person"])
    op.create_index("ix_nominations_next_due_at", "nominations", ["next_due_at"])
    op.create_index("ix_nominations_decision_id", "nominations", ["decision_id"])
    op.create_table(
        "review_schedule",
        sa.Column("key", sa.String(100), primary_key=True),
        sa.Column("next_due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_started_by", sa.String(100), nullable=True),
    )


def downgrade() -> None:
    op.drop_table("review_schedule")
    for index in ("decision_id", "next_due_at", "person", "target_state", "state"):
        op.drop_index(f"ix_nominations_{index}", table_name="nominations")
    op.drop_table("nominations")
