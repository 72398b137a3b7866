"""The weekly digests' schedules.

Revision ID: 0007
Revises: 0006
Created: 2026-12-11

One `digests` row per scope that has a digest ("core", "area:nn"): when its next digest is due,
locked `FOR UPDATE SKIP LOCKED` by the sweep that sends it, and the week the last one covered.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "digests",
        sa.Column("scope", sa.String(100), primary_key=True),
        sa.Column("schedule", sa.String(100), nullable=False),
        sa.Column("next_due_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_since", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_until", sa.DateTime(timezone=True), nullable=True),
    )


def downgrade() -> None:
    op.drop_table("digests")
