"""Decisions and their ballots.

Revision ID: 0003
Revises: 0002
Created: 2026-12-01

A decision is numbered in the tickets' `#N` series and its deadlines are claimed from the tickets'
`next_due_at` index: each decision has a `tickets` row of kind "decision" (its proposal as `text`,
its state, level and next deadline), and a `decisions` row keyed by the same id with the rest.
`ballots` keeps one row per voter and round, their latest choice.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "decisions",
        sa.Column("id", sa.Integer(), sa.ForeignKey("tickets.id"), primary_key=True, autoincrement=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("area", sa.String(100), nullable=True),
        sa.Column("state", sa.String(20), nullable=False),
        sa.Column("outcome", sa.String(20), nullable=True),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("ticket_id", sa.Integer(), sa.ForeignKey("tickets.id"), nullable=True),
        sa.Column("body", sa.JSON(), nullable=False),
    )
    op.create_index("ix_decisions_state", "decisions", ["state"])
    op.create_index("ix_decisions_published_at", "decisions", ["published_at"])
    op.create_table(
        "ballots",
        sa.Column("decision_id", sa.Integer(), sa.ForeignKey("decisions.id"), primary_key=True),
        sa.Column("round", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("voter", sa.String(100), primary_key=True),
        sa.Column("choice", sa.String(20), nullable=False),
        sa.Column("cast_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("ballots")
    op.drop_index("ix_decisions_published_at", table_name="decisions")
    op.drop_index("ix_decisions_state", table_name="decisions")
    op.drop_table("decisions")
