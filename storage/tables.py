"""The database tables, as typed SQLAlchemy models. Migrations in `storage/migrations` must match them.

Rows are storage's business only: services and the domain see `bot.domain.ticket` objects, and
`storage.mapping` converts between the two. Enum-like columns (kind, state, status) are plain strings
so that adding a value never needs a migration; the domain's `StrEnum`s validate them on the way out.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    DateTime,
    Dialect,
    Double,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

KEY = 100  # people keys, Slack IDs, levels ("area:nn"), area keys
WORD = 20  # kind, state, status
SLACK_REF = 40  # channel IDs and message timestamps


class NaiveDatetimeError(ValueError):
    """A datetime without a timezone reached the database; it is refused rather than guessed at."""


class UtcDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes in and out, on every backend.

    PostgreSQL keeps `timestamptz`; SQLite drops the offset, so values are stored as naive UTC and given
    `UTC` back on load. A naive value is an error: it is the symptom of a hidden clock read or of a
    parsing bug, and guessing "it is probably UTC" would silently shift deadlines.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        value = _checked_utc(value)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def bind_processor(self, dialect: Dialect):
        """On SQLite, one step to the stored text instead of two.

        SQLAlchemy's own SQLite DATETIME formats each value with `%` and a dict of its fields; a new
        ticket binds a dozen datetimes, and that formatting was a tenth of writing it. `isoformat`
        writes the same text ("2026-11-26 15:00:00.000000"): tests/storage/test_tables.py holds the
        two to the same output.
        """
        if dialect.name != "sqlite":
            return super().bind_processor(dialect)

        def to_text(value: datetime | None) -> str | None:
            if value is None:
                return None
            if type(value) is not datetime or value.tzinfo is not UTC:  # the usual value is already UTC
                value = _checked_utc(value)
            return value.isoformat(" ", "microseconds")[:-6]  # without its "+00:00"

        return to_text

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _checked_utc(value: datetime) -> datetime:
    if not isinstance(value, datetime):
        raise TypeError(f"expected a datetime, got {type(value).__name__}: {value!r}")
    if value.tzinfo is None or value.utcoffset() is None:
        raise NaiveDatetimeError(f"naive datetime {value.isoformat()} refused: use timezone-aware UTC")
    return value.astimezone(UTC)


class Base(DeclarativeBase):
    type_annotation_map = {datetime: UtcDateTime, dict[str, Any]: JSON}


class TicketRow(Base):
    """One question or escalation; `id` is the public `#N`. `next_due_at` is what the sweeper scans."""

    __tablename__ = "tickets"
    # AUTOINCREMENT: a ticket number is never handed out twice, even if the newest row were deleted.
    __table_args__ = (
        Index("ix_tickets_next_due_at", "next_due_at"),
        Index("ix_tickets_asker_state", "asker", "state"),
        Index("ix_tickets_state", "state"),
        Index("ix_tickets_thread", "thread_channel", "thread_ts"),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(WORD))
    area: Mapped[str | None] = mapped_column(String(KEY))
    asker: Mapped[str] = mapped_column(String(KEY))
    text: Mapped[str] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(WORD))
    level: Mapped[str] = mapped_column(String(KEY))
    policy: Mapped[dict[str, Any]]  # the SlaPolicy snapshot, durations in seconds
    created_at: Mapped[datetime]
    level_started_at: Mapped[datetime]
    ack_due_at: Mapped[datetime | None]
    resolve_due_at: Mapped[datetime | None]
    reminders_sent: Mapped[int] = mapped_column(Integer, default=0)
    resolve_breaches: Mapped[int] = mapped_column(Integer, default=0)
    acknowledged_by: Mapped[str | None] = mapped_column(String(KEY))
    acknowledged_at: Mapped[datetime | None]
    assignee: Mapped[str | None] = mapped_column(String(KEY))
    waiting_since: Mapped[datetime | None]
    ack_left: Mapped[float | None] = mapped_column(Double)  # seconds of SLA time left when paused
    resolve_left: Mapped[float | None] = mapped_column(Double)
    resolved_at: Mapped[datetime | None]
    resolved_by: Mapped[str | None] = mapped_column(String(KEY))
    resolution: Mapped[str | None] = mapped_column(Text)
    next_due_at: Mapped[datetime | None]
    ping_channel: Mapped[str | None] = mapped_column(String(SLACK_REF))
    ping_ts: Mapped[str | None] = mapped_column(String(SLACK_REF))
    thread_channel: Mapped[str | None] = mapped_column(String(SLACK_REF))
    thread_ts: Mapped[str | None] = mapped_column(String(SLACK_REF))
    # Bookkeeping about the row itself, not SLA time, so the database clock is the right one.
    updated_at: Mapped[datetime] = mapped_column(server_default=func.now(), onupdate=func.now())


class EventRow(Base):
    """One line of a ticket's history. Append-only: the repository offers no update or delete."""

    __tablename__ = "events"
    __table_args__ = (Index("ix_events_ticket_id", "ticket_id", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id"))
    kind: Mapped[str] = mapped_column(String(KEY))
    actor: Mapped[str] = mapped_column(String(KEY))
    at: Mapped[datetime]
    level: Mapped[str] = mapped_column(String(KEY))
    reason: Mapped[str | None] = mapped_column(Text)
    data: Mapped[dict[str, Any]]


class OutboxRow(Base):
    """A Slack call promised in the same transaction as the change that caused it."""

    __tablename__ = "outbox"
    __table_args__ = (
        Index("ix_outbox_status_next_attempt_at", "status", "next_attempt_at"),
        Index("ix_outbox_ticket_id_status", "ticket_id", "status"),
        Index("ix_outbox_status_priority", "status", "priority", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("tickets.id"))
    kind: Mapped[str] = mapped_column(String(KEY))
    payload: Mapped[dict[str, Any]]
    created_at: Mapped[datetime]
    next_attempt_at: Mapped[datetime]
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(WORD), default="pending")  # pending, sent, parked
    sent_at: Mapped[datetime | None]
    priority: Mapped[int] = mapped_column(Integer, default=1, server_default="1")  # 0 urgent, 1 normal, 2 low
    progress: Mapped[dict[str, Any] | None]  # the Slack calls of this message already made: step -> ts


class ProcessedEventRow(Base):
    """A Slack `event_id` (or any delivery key) already handled; the primary key makes repeats fail."""

    __tablename__ = "processed_events"
    __table_args__ = (Index("ix_processed_events_received_at", "received_at"),)

    event_id: Mapped[str] = mapped_column(String(200), primary_key=True)
    received_at: Mapped[datetime]


class AwayRow(Base):
    """Someone is away until a moment: the ladder skips them while it lasts."""

    __tablename__ = "away"

    person: Mapped[str] = mapped_column(String(KEY), primary_key=True)
    until: Mapped[datetime]
    set_by: Mapped[str] = mapped_column(String(KEY))
    set_at: Mapped[datetime]


class TicketMessageRow(Base):
    """One Slack message that shows a ticket: kept so that every copy is updated when the ticket changes.

    `role` says how it is drawn: "ping" (the rung's ping: a channel message, or one DM per person),
    "rung" (what a rung above got when the ticket climbed or breached), "asker" (a DM to the asker that
    carries a button). `data` holds what the drawing needs beyond the ticket (the headline it was
    posted with, the level it was for).
    """

    __tablename__ = "ticket_messages"
    __table_args__ = (
        UniqueConstraint("channel", "ts", name="uq_ticket_messages_channel_ts"),
        Index("ix_ticket_messages_ticket_id", "ticket_id", "id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id"))
    role: Mapped[str] = mapped_column(String(WORD))
    channel: Mapped[str] = mapped_column(String(SLACK_REF))
    ts: Mapped[str] = mapped_column(String(SLACK_REF))
    data: Mapped[dict[str, Any]]
    posted_at: Mapped[datetime]


class DecisionRow(Base):
    """One decision: its number, state and deadline live in its `tickets` row (kind "decision"), which
    gives it the `#N` series and the sweeper's due column; this row holds the rest.

    `body` is the decision as the domain has it — its policy, its rounds without their ballots, its
    disputes and vetoes — in JSON; the columns beside it are what lists and the decision log filter on.
    """

    __tablename__ = "decisions"
    __table_args__ = (
        Index("ix_decisions_state", "state"),
        Index("ix_decisions_published_at", "published_at"),
    )

    id: Mapped[int] = mapped_column(ForeignKey("tickets.id"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(WORD))
    area: Mapped[str | None] = mapped_column(String(KEY))
    state: Mapped[str] = mapped_column(String(WORD))
    outcome: Mapped[str | None] = mapped_column(String(WORD))
    opened_at: Mapped[datetime]
    published_at: Mapped[datetime | None]
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("tickets.id"))  # the escalation `/vote #N` was on
    body: Mapped[dict[str, Any]]


class BallotRow(Base):
    """One voter's latest choice in one round of a decision; every earlier choice is in the events."""

    __tablename__ = "ballots"

    decision_id: Mapped[int] = mapped_column(ForeignKey("decisions.id"), primary_key=True)
    round: Mapped[int] = mapped_column(Integer, primary_key=True)  # the round's index, oldest first
    voter: Mapped[str] = mapped_column(String(KEY), primary_key=True)
    choice: Mapped[str] = mapped_column(String(WORD))
    cast_at: Mapped[datetime | None]
    position: Mapped[int] = mapped_column(Integer)  # the order ballots were last cast in


class HierarchyChangeRow(Base):
    """A confirmed change to who maintains what (`bot.domain.hierarchy`), kept until `upline governance
    apply` writes it into app.yaml; `applied_at` says when it did. `decided_in` is a decision's `#N`,
    without a foreign key: the change outlives whatever happens to the decision's rows."""

    __tablename__ = "hierarchy_changes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(WORD))
    person: Mapped[str] = mapped_column(String(KEY))
    area: Mapped[str | None] = mapped_column(String(KEY))  # None: the core
    decided_in: Mapped[int | None] = mapped_column(Integer)
    decided_at: Mapped[datetime]
    name: Mapped[str | None] = mapped_column(Text)
    slack: Mapped[str | None] = mapped_column(String(KEY))
    applied_at: Mapped[datetime | None]


class NominationRow(Base):
    """One nomination or removal: its `#N` is its `tickets` row (kind "nomination"); this row has the rest.

    `body` is the nomination as the domain has it (nominators, the request for information and its
    answers, the confirmed change) in JSON; the columns beside it are what lists filter on. `open_key`
    is set while it is open ("add:nn:kshitij") and unique, so two people nominating the same person
    for the same change at once make one nomination, the second joining it. Its deadline is
    `next_due_at` here, not in `tickets`, so the tickets' and decisions' sweepers never see it.
    """

    __tablename__ = "nominations"
    __table_args__ = (
        UniqueConstraint("open_key", name="uq_nominations_open_key"),
        Index("ix_nominations_state", "state"),
        Index("ix_nominations_target_state", "target", "state"),
        Index("ix_nominations_person", "person"),
        Index("ix_nominations_next_due_at", "next_due_at"),
        Index("ix_nominations_decision_id", "decision_id"),
    )

    id: Mapped[int] = mapped_column(ForeignKey("tickets.id"), primary_key=True, autoincrement=False)
    action: Mapped[str] = mapped_column(String(WORD))
    person: Mapped[str] = mapped_column(String(KEY))
    target: Mapped[str] = mapped_column(String(KEY))  # an area key, or "core"
    state: Mapped[str] = mapped_column(String(WORD))
    open_key: Mapped[str | None] = mapped_column(String(2 * KEY + WORD + 2))
    decision_id: Mapped[int | None] = mapped_column(ForeignKey("tickets.id"))  # the decision that votes on it
    opened_at: Mapped[datetime]
    closed_at: Mapped[datetime | None]
    next_due_at: Mapped[datetime | None]
    body: Mapped[dict[str, Any]]


class ReviewScheduleRow(Base):
    """When the next nominations review is due: one row, locked by the sweep that holds the review."""

    __tablename__ = "review_schedule"

    key: Mapped[str] = mapped_column(String(KEY), primary_key=True)
    next_due_at: Mapped[datetime]
    last_started_at: Mapped[datetime | None]
    last_started_by: Mapped[str | None] = mapped_column(String(KEY))


class ElectionRow(Base):
    """One election of the lead: its `#N`, phase and next deadline are its `tickets` row (kind "election");
    this row has the rest. `body` is the election as the domain has it (voters, policy, candidacies,
    polls with their ranked ballots, the confirmed change) in JSON. `open_key` is "lead" while it is
    open and unique, so at most one election is open at a time, however many open one at once."""

    __tablename__ = "elections"
    __table_args__ = (
        UniqueConstraint("open_key", name="uq_elections_open_key"),
        Index("ix_elections_phase", "phase"),
    )

    id: Mapped[int] = mapped_column(ForeignKey("tickets.id"), primary_key=True, autoincrement=False)
    phase: Mapped[str] = mapped_column(String(WORD))
    vacancy: Mapped[str] = mapped_column(String(WORD))
    open_key: Mapped[str | None] = mapped_column(String(WORD))
    opened_by: Mapped[str] = mapped_column(String(KEY))
    opened_at: Mapped[datetime]
    closed_at: Mapped[datetime | None]
    winner: Mapped[str | None] = mapped_column(String(KEY))
    body: Mapped[dict[str, Any]]


class DigestRow(Base):
    """One weekly digest's schedule: a scope ("core", "area:nn"), when its next digest is due (NULL while
    its `digest:` is switched off), the schedule that moment was computed from, and the last one sent."""

    __tablename__ = "digests"

    scope: Mapped[str] = mapped_column(String(KEY), primary_key=True)
    schedule: Mapped[str] = mapped_column(String(KEY))  # "1 09:00 Europe/London": a config edit moves next_due_at
    next_due_at: Mapped[datetime | None]
    last_sent_at: Mapped[datetime | None]
    last_since: Mapped[datetime | None]
    last_until: Mapped[datetime | None]


class RuntimeSettingRow(Base):
    """A named value kept with the data (the sandbox clock's offset, so the CLI reads the same time)."""

    __tablename__ = "runtime_settings"

    key: Mapped[str] = mapped_column(String(KEY), primary_key=True)
    value: Mapped[Any] = mapped_column(JSON)
    updated_at: Mapped[datetime]


def column_length(table: str, column: str) -> int | None:
    """How many characters `table.column` holds, or None when it is unbounded (text, numbers).

    For checks made before a write: PostgreSQL refuses a longer value (and with it the whole
    statement), where SQLite would keep it. Read from the models, so a check never disagrees with them.
    """
    return getattr(Base.metadata.tables[table].c[column].type, "length", None)
