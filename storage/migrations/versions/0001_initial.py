"""The first schema: tickets, their events, the Slack outbox, processed event ids and absences.

Revision ID: 0001
Revises:
Created: 2026-11-26

Written out by hand rather than generated, so it reads as the schema's documentation; the test
`tests/storage/test_migrate.py` checks it against `storage/tables.py` on SQLite and PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _when(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "tickets",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("area", sa.String(100), nullable=True),
        sa.Column("asker", sa.String(100), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("state", sa.String(20), nullable=False),
        sa.Column("level", sa.String(100), nullable=False),
        sa.Column("policy", sa.JSON(), nullable=False),
        _when("created_at"),
        _when("level_started_at"),
        _when("ack_due_at", nullable=True),
        _when("resolve_due_at", nullable=True),
        sa.Column("reminders_sent", sa.Integer(), nullable=False),
        sa.Column("resolve_breaches", sa.Integer(), nullable=False),
        sa.Column("acknowledged_by", sa.String(100), nullable=True),
        _when("acknowledged_at", nullable=True),
        sa.Column("assignee", sa.String(100), nullable=True),
        _when("waiting_since", nullable=True),
        sa.Column("ack_left", sa.Double(), nullable=True),
        sa.Column("resolve_left", sa.Double(), nullable=True),
        _when("resolved_at", nullable=True),
        sa.Column("resolved_by", sa.String(100), nullable=True),
        sa.Column("resolution", sa.Text(), nullable=True),
        _when("next_due_at", nullable=True),
        sa.Column("ping_channel", sa.String(40), nullable=True),
        sa.Column("ping_ts", sa.String(40), nullable=True),
        sa.Column("thread_channel", sa.String(40), nullable=True),
        sa.Column("thread_ts", sa.String(40), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_tickets_next_due_at", "tickets", ["next_due_at"])
    op.create_index("ix_tickets_asker_state", "tickets", ["asker", "state"])
    op.create_index("ix_tickets_state", "tickets", ["state"])
    op.create_index("ix_tickets_thread", "tickets", ["thread_channel", "thread_ts"])

    op.create_table(
        "events",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("ticket_id", sa.Integer(), sa.ForeignKey("tickets.id"), nullable=False),
        sa.Column("kind", sa.String(100), nullable=False),
        sa.Column("actor", sa.String(100), nullable=False),
        _when("at"),
        sa.Column("level", sa.String(100), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("data", sa.JSON(), nullable=False),
    )
    op.create_index("ix_events_ticket_id", "events", ["ticket_id", "id"])

    op.create_table(
        "outbox",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("ticket_id", sa.Integer(), sa.ForeignKey("tickets.id"), nullable=True),
        sa.Column("kind", sa.String(100), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        _when("created_at"),
        _when("next_attempt_at"),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("status", sa.String(20), nullable=False),
        _when("sent_at", nullable=True),
    )
    op.create_index("ix_outbox_status_next_attempt_at", "outbox", ["status", "next_attempt_at"])
    op.create_index("ix_outbox_ticket_id_status", "outbox", ["ticket_id", "status"])

    op.create_table(
        "processed_events",
        sa.Column("event_id", sa.String(200), primary_key=True),
        _when("received_at"),
    )
    op.create_index("ix_processed_events_received_at", "processed_events", ["received_at"])

    op.create_table(
        "away",
        sa.Column("person", sa.String(100), primary_key=True),
        _when("until"),
        sa.Column("set_by", sa.String(100), nullable=False),
        _when("set_at"),
    )


def downgrade() -> None:
    op.drop_table("away")
    op.drop_table("processed_events")
    op.drop_table("outbox")
    op.drop_table("events")
    op.drop_table("tickets")
