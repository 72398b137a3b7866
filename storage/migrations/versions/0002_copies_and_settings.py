"""Every Slack message that shows a ticket (so each copy is kept current), and small runtime settings.

Revision ID: 0002
Revises: 0001
Created: 2026-12-01

`outbox.priority` (0 urgent … 2 low) orders deliveries: an escalation before routine refreshes;
`outbox.progress` keeps which Slack calls of a message already went, so a message put back (Slack's
limits) or retried after a failure never posts a part twice.
`ticket_messages`: one row per posted copy of a ticket — the ping (one per DM when the area has no
channel), the post a rung above gets when the ticket climbs (a channel, or DMs), the asker's DMs that
carry a button. The ticket's own `ping_channel`/`ping_ts` stay: they name the thread that reminders
go to. `runtime_settings`: a few named values kept with the data, such as the sandbox clock's offset.
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
    with op.batch_alter_table("outbox") as outbox:  # batch: SQLite rebuilds the table for a new NOT NULL column
        outbox.add_column(sa.Column("priority", sa.Integer(), server_default="1", nullable=False))
        outbox.add_column(sa.Column("progress", sa.JSON(), nullable=True))
    op.create_index("ix_outbox_status_priority", "outbox", ["status", "priority", "next_attempt_at"])

    op.create_table(
        "ticket_messages",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("ticket_id", sa.Integer(), sa.ForeignKey("tickets.id"), nullable=False),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("channel", sa.String(40), nullable=False),
        sa.Column("ts", sa.String(40), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("posted_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("channel", "ts", name="uq_ticket_messages_channel_ts"),
    )
    op.create_index("ix_ticket_messages_ticket_id", "ticket_messages", ["ticket_id", "id"])

    op.create_table(
        "runtime_settings",
        sa.Column("key", sa.String(100), primary_key=True),
        sa.Column("value", sa.JSON(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("runtime_settings")
    op.drop_index("ix_ticket_messages_ticket_id", table_name="ticket_messages")
    op.drop_table("ticket_messages")
    op.drop_index("ix_outbox_status_priority", table_name="outbox")
    with op.batch_alter_table("outbox") as outbox:
        outbox.drop_column("progress")
        outbox.drop_column("priority")
