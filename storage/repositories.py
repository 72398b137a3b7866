"""Repositories: the only code that writes SQL for tickets, history, the outbox, dedup keys and absences.

Each takes the unit of work's session and never commits: the service that opened the unit of work
decides when a change (the ticket, its events and its outbox rows together) becomes visible.

Row locks: `FOR UPDATE [SKIP LOCKED]` is asked for everywhere a row is read to be changed. PostgreSQL
honours it; SQLite's compiler leaves it out, which is safe because every write transaction there starts
with `BEGIN IMMEDIATE` (see `storage.engine`): only one writer at a time holds the database, so a second
sweeper or outbox worker waits for the first to commit and then sees its results.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import datetime
from itertools import islice
from typing import Any

from sqlalchemy import and_, bindparam, delete, exists, func, insert, or_, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, aliased

from bot.domain.ticket import SYSTEM, Event, Kind, State, Ticket
from storage.mapping import (
    event_from_row,
    event_to_row,
    event_values,
    ticket_from_row,
    ticket_values,
    ticket_values_columns,
)
from storage.tables import (
    AwayRow,
    EventRow,
    OutboxRow,
    ProcessedEventRow,
    RuntimeSettingRow,
    TicketMessageRow,
    TicketRow,
    column_length,
)

OPEN_STATES = tuple(state.value for state in State if state is not State.RESOLVED)
# A decision's number is a row in `tickets` too (see storage.decision_repository), as is any other
# process's `#N`: their kinds are listed here, and ticket queries leave them out. (A NOT IN, not an IN
# of the ticket kinds: PostgreSQL then still walks `ix_tickets_next_due_at` in order for the sweeper.)
NUMBERED_ELSEWHERE = ("decision", "nomination", "election")
_TICKET_KINDS = tuple(kind.value for kind in Kind)
_TICKETS_ONLY = TicketRow.__table__.c.kind.not_in(NUMBERED_ELSEWHERE)
_BREACH_EVENTS = ("escalated", "reminded", "breached")  # by the sweeper: see bot.reporting.metrics.is_ack_breach


# Built once: building a statement is a good part of executing a small one.
_INSERT_TICKETS = insert(TicketRow.__table__).returning(TicketRow.__table__.c.id)
_INSERT_TICKETS_IN_ORDER = insert(TicketRow.__table__).returning(TicketRow.__table__.c.id, sort_by_parameter_order=True)
_INSERT_EVENTS = insert(EventRow.__table__)
_INSERT_OUTBOX = insert(OutboxRow.__table__)
_MARK_SENT = (update(OutboxRow.__table__).where(OutboxRow.__table__.c.id == bindparam("message_id"))
              .values(status="sent", sent_at=bindparam("now"), attempts=OutboxRow.__table__.c.attempts + 1))
# A copy reported again (a retried delivery that Slack had taken) is kept once: its (channel, ts) is unique.
_INSERT_COPIES = {
    "sqlite": sqlite_insert(TicketMessageRow.__table__).on_conflict_do_nothing(index_elements=["channel", "ts"]),
    "postgresql": postgresql_insert(TicketMessageRow.__table__).on_conflict_do_nothing(
        index_elements=["channel", "ts"]),
}
_AWAY_AT = (select(AwayRow.__table__.c.person, AwayRow.__table__.c.until)
            .where(AwayRow.__table__.c.until > bindparam("now")).order_by(AwayRow.__table__.c.person))


def _without_empty_columns(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Leave out of an INSERT the columns that are NULL in every row (they default to NULL anyway).

    A new ticket has a dozen empty columns; each still cost a trip through its type's conversion and
    the driver's adaptation of None, per row. One INSERT needs the same columns in every row, so a
    column stays when any row has a value for it.
    """
    used = {name for row in rows for name, value in row.items() if value is not None}
    if len(used) == len(rows[0]):
        return rows
    return [{name: value for name, value in row.items() if name in used} for row in rows]


class _Repository:
    """Holds the unit of work's session, and its connection for Core statements (the ORM adds nothing
    to those, and asking the session for its connection each time cost more than a small statement)."""

    def __init__(self, session: Session, connection: Connection | None = None) -> None:
        self._session = session
        self._connection = connection

    @property
    def _core(self) -> Connection:
        if self._connection is None:
            self._connection = self._session.connection()
        return self._connection


class TicketNotFound(LookupError):
    """A ticket number that is not in the database (a programming error, not a user's typo)."""


@dataclass(frozen=True)
class Copy:
    """One Slack message that shows a ticket (see `TicketMessageRow`): kept current as the ticket changes."""

    role: str  # "ping", "rung" or "asker"
    channel: str
    ts: str
    data: dict[str, Any] = field(default_factory=dict)
    id: int | None = None  # None until stored


@dataclass(frozen=True)
class SlackRefs:
    """Where a ticket lives in Slack: the ping message (whose thread gets reminders), the asker's
    thread, and every copy of the ticket posted so far, oldest first."""

    ping_channel: str | None
    ping_ts: str | None
    thread_channel: str | None
    thread_ts: str | None
    copies: tuple[Copy, ...] = ()


class TicketRepository(_Repository):
    def add(self, ticket: Ticket) -> int:
        """Insert a new ticket and give it its number (`ticket.id` is set too).

        Numbers come only from the database: an explicit id would leave PostgreSQL's sequence behind
        and make a later ticket collide with it.
        """
        if ticket.id is not None:
            raise ValueError(f"ticket #{ticket.id} already has a number; use save() to change it")
        table = TicketRow.__table__  # one INSERT … RETURNING, without the ORM's unit-of-work flush
        ticket.id = self._session.execute(insert(table).returning(table.c.id), ticket_values(ticket)).scalar_one()
        return ticket.id

    def add_many(self, tickets: list[Ticket], threads: list[tuple[str, str] | None] | None = None) -> list[int]:
        """Insert new tickets in one INSERT … RETURNING and number them in order (`ticket.id` is set too).

        `threads[i]`, when given, is the (channel, ts) of the Slack thread ticket i was asked in.
        """
        if not tickets:
            return []
        if any(ticket.id is not None for ticket in tickets):
            raise ValueError("add_many() takes new tickets only; use save_many() to change tickets")
        threads = threads or [None] * len(tickets)
        rows = _without_empty_columns([
            ticket_values(ticket) | {"thread_channel": thread[0] if thread else None,
                                     "thread_ts": thread[1] if thread else None}
            for ticket, thread in zip(tickets, threads, strict=True)])
        connection = self._core
        if connection.dialect.name == "sqlite":
            # SQLAlchemy can only keep RETURNING in parameter order on SQLite by inserting row by row.
            # It need not: one INSERT adds its rows in VALUES order, and AUTOINCREMENT makes each new
            # id larger than any before, so the new ids in ascending order are the rows' ids in order.
            ids = sorted(connection.scalars(_INSERT_TICKETS, rows))
        else:  # PostgreSQL's SERIAL lets SQLAlchemy return the ids in parameter order, still batched
            ids = list(connection.scalars(_INSERT_TICKETS_IN_ORDER, rows))
        for ticket, ticket_id in zip(tickets, ids, strict=True):
            ticket.id = ticket_id
        return ids

    def get(self, ticket_id: int) -> Ticket | None:
        row = self._session.get(TicketRow, ticket_id)
        return None if row is None or row.kind not in _TICKET_KINDS else ticket_from_row(row)

    def get_for_update(self, ticket_id: int) -> Ticket | None:
        """Read a ticket and hold its row until commit, so two clicks cannot both apply."""
        statement = select(TicketRow).where(TicketRow.id == ticket_id, _TICKETS_ONLY).with_for_update()
        row = self._session.scalars(statement.execution_options(populate_existing=True)).first()
        return None if row is None else ticket_from_row(row)

    def save(self, ticket: Ticket) -> None:
        """Write a changed ticket back; Slack references stay as they are."""
        if ticket.id is None:
            raise ValueError("save() needs a ticket that was added first; use add()")
        if self._session.execute(self._update_by_id(), [self._update_values(ticket)]).rowcount == 0:
            raise TicketNotFound(f"ticket #{ticket.id} does not exist")

    def save_many(self, tickets: list[Ticket]) -> None:
        """Write many changed tickets back in one statement: a sweep changes hundreds at once, and a
        statement (and a flush) per ticket was most of its time."""
        if tickets:
            self._session.execute(self._update_by_id(), [self._update_values(ticket) for ticket in tickets])

    @staticmethod
    def _update_values(ticket: Ticket) -> dict[str, Any]:
        return ticket_values(ticket) | {"ticket_id": ticket.id}

    @staticmethod
    def _update_by_id():
        table = TicketRow.__table__
        columns = [name for name in ticket_values_columns() if name != "id"]
        return (update(table).where(table.c.id == bindparam("ticket_id"))
                .values({name: bindparam(name) for name in columns}))

    def claim_due(self, now: datetime, limit: int) -> list[Ticket]:
        """Open tickets whose `next_due_at` has come, earliest first, locked for this transaction.

        On PostgreSQL `SKIP LOCKED` lets several sweepers run at once, each taking different tickets.
        """
        table = TicketRow.__table__  # plain rows, not ORM objects: they are read once, then written by save_many
        statement = (
            select(table)
            .where(table.c.next_due_at <= now, _TICKETS_ONLY)
            .order_by(table.c.next_due_at)  # exactly the index's order: no sort step
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        return [ticket_from_row(row) for row in self._session.execute(statement)]

    def earliest_due(self) -> datetime | None:
        """When the sweeper next has work, so it can sleep until then."""
        return self._session.scalar(select(func.min(TicketRow.next_due_at)))

    def open_for_asker(self, asker: str) -> list[Ticket]:
        statement = (
            select(TicketRow).where(TicketRow.asker == asker, TicketRow.state.in_(OPEN_STATES)).order_by(TicketRow.id)
        )
        return [ticket_from_row(row) for row in self._session.scalars(statement)]

    def open_waiting_on(self, person: str, levels: list[str], limit: int = 100) -> list[Ticket]:
        """Unresolved tickets sitting at one of `levels` or assigned to `person`, oldest deadline first."""
        statement = (
            select(TicketRow)
            .where(TicketRow.state.in_(OPEN_STATES),
                   or_(TicketRow.level.in_(levels), TicketRow.assignee == person))
            .order_by(TicketRow.next_due_at.is_(None), TicketRow.next_due_at, TicketRow.id)
            .limit(limit)
        )
        return [ticket_from_row(row) for row in self._session.scalars(statement)]

    def open_breached(self, now: datetime) -> dict[int, tuple[Ticket, list[Event]]]:
        """Open or acknowledged tickets that may have missed a promise — a recorded breach (the sweeper's
        climb or overdue reminder, a `breached` event) or a deadline past `now` not yet swept — each with
        the sweeper's events that may tell of it, oldest first (App Home's triage agenda). A reminder is
        read whether or not it was an overdue one (that is in its JSON data): `bot.reporting.agenda` tells.

        Two queries over the open tickets (`ix_tickets_state`), their events by `ix_events_ticket_id`.
        """
        table, events = TicketRow.__table__, EventRow.__table__
        swept = exists().where(events.c.ticket_id == table.c.id, events.c.actor == SYSTEM,
                               events.c.kind.in_(_BREACH_EVENTS))
        running = (State.OPEN.value, State.ACKNOWLEDGED.value)
        statement = select(table).where(
            table.c.state.in_(running), _TICKETS_ONLY,
            or_(table.c.resolve_breaches > 0, table.c.resolve_due_at <= now,
                and_(table.c.state == State.OPEN.value, table.c.ack_due_at <= now), swept))
        found = {row.id: (ticket_from_row(row), []) for row in self._core.execute(statement.order_by(table.c.id))}
        if found:
            history = (select(events).where(events.c.ticket_id.in_(list(found)), events.c.actor == SYSTEM,
                                            events.c.kind.in_(_BREACH_EVENTS))
                       .order_by(events.c.ticket_id, events.c.id))
            for row in self._core.execute(history):  # rows, not ORM objects: these are only read
                found[row.ticket_id][1].append(event_from_row(row))
        return found

    def open_at_level(self, level: str, limit: int) -> tuple[list[Ticket], int]:
        """Up to `limit` unresolved tickets at `level`, oldest first, and how many there are in all."""
        where = (TicketRow.state.in_(OPEN_STATES), TicketRow.level == level, _TICKETS_ONLY)
        rows = self._session.scalars(select(TicketRow).where(*where).order_by(TicketRow.id).limit(limit))
        tickets = [ticket_from_row(row) for row in rows]
        return tickets, self._session.scalar(select(func.count()).select_from(TicketRow).where(*where)) or 0

    def opened_since(self, since: datetime) -> list[Ticket]:
        """Every ticket created at or after `since`, in order (the report's population)."""
        statement = select(TicketRow).where(TicketRow.created_at >= since, _TICKETS_ONLY).order_by(TicketRow.id)
        return [ticket_from_row(row) for row in self._session.scalars(statement)]

    def open_tickets(self, batch_size: int = 500) -> Iterator[Ticket]:
        """Every ticket not yet resolved, oldest first, read in batches by id (keyset, not OFFSET)."""
        last_id = 0
        while True:
            statement = (
                select(TicketRow)
                .where(TicketRow.state.in_(OPEN_STATES), TicketRow.id > last_id)
                .order_by(TicketRow.id)
                .limit(batch_size)
            )
            rows = list(self._session.scalars(statement))
            yield from (ticket_from_row(row) for row in rows)
            if len(rows) < batch_size:
                return
            last_id = rows[-1].id

    def list_open(self, limit: int | None = None) -> list[Ticket]:
        batch_size = 500 if limit is None else max(1, min(limit, 500))
        return list(islice(self.open_tickets(batch_size), limit))

    def set_thread(self, ticket_id: int, channel: str, ts: str) -> None:
        """Link the Slack thread the ticket was asked in (or answered in)."""
        self._update_refs(ticket_id, thread_channel=channel, thread_ts=ts)

    def slack_refs(self, ticket_id: int) -> SlackRefs | None:
        return self.with_refs([ticket_id]).get(ticket_id, (None, None))[1]

    def with_refs(self, ticket_ids: list[int]) -> dict[int, tuple[Ticket, SlackRefs]]:
        """Several tickets and their Slack references in one query (what a batch of deliveries needs)."""
        if not ticket_ids:
            return {}
        table = TicketRow.__table__
        rows = self._core.execute(select(table).where(table.c.id.in_(set(ticket_ids)), _TICKETS_ONLY))
        found = {row.id: (ticket_from_row(row), SlackRefs(row.ping_channel, row.ping_ts, row.thread_channel,
                                                          row.thread_ts)) for row in rows}
        copies = TicketMessageRepository(self._session, self._connection).for_tickets(list(found))
        return {ticket_id: (ticket, replace(refs, copies=tuple(copies.get(ticket_id, ()))))
                for ticket_id, (ticket, refs) in found.items()}

    def set_pings(self, pings: list[tuple[int, str, str]]) -> None:
        """Remember many pings' messages, (ticket id, channel, ts) each, in one statement."""
        if pings:
            table = TicketRow.__table__
            statement = (update(table).where(table.c.id == bindparam("ticket_id"))
                         .values(ping_channel=bindparam("channel"), ping_ts=bindparam("ts")))
            self._core.execute(statement, [{"ticket_id": ticket_id, "channel": channel, "ts": ts}
                                           for ticket_id, channel, ts in pings])

    def find_by_thread(self, channel: str, ts: str) -> Ticket | None:
        """The ticket asked in this thread, or whose ping starts it (the newest if several)."""
        statement = (
            select(TicketRow)
            .where(or_(and_(TicketRow.thread_channel == channel, TicketRow.thread_ts == ts),
                       and_(TicketRow.ping_channel == channel, TicketRow.ping_ts == ts)), _TICKETS_ONLY)
            .order_by(TicketRow.id.desc())
        )
        row = self._session.scalars(statement).first()
        return None if row is None else ticket_from_row(row)

    def _update_refs(self, ticket_id: int, **values: str) -> None:
        result = self._session.execute(update(TicketRow).where(TicketRow.id == ticket_id).values(**values))
        if result.rowcount == 0:  # type: ignore[attr-defined]
            raise TicketNotFound(f"ticket #{ticket_id} does not exist")


class TicketMessageRepository(_Repository):
    """Every Slack message that shows a ticket, so that a change can update each one in place."""

    def add_many(self, copies: list[tuple[int, Copy]], now: datetime) -> None:
        """Remember (ticket id, copy) pairs in one INSERT; a copy already known (same channel and ts,
        as when a delivery is retried after Slack took it) is kept once."""
        if not copies:
            return
        connection = self._core
        unique = {(copy.channel, copy.ts): (ticket_id, copy) for ticket_id, copy in copies}
        rows = [{"ticket_id": ticket_id, "role": copy.role, "channel": copy.channel, "ts": copy.ts,
                 "data": copy.data, "posted_at": now} for ticket_id, copy in unique.values()]
        connection.execute(_INSERT_COPIES[connection.dialect.name], rows)

    def for_tickets(self, ticket_ids: list[int]) -> dict[int, list[Copy]]:
        """The copies of several tickets, oldest first, in one query."""
        if not ticket_ids:
            return {}
        table = TicketMessageRow.__table__
        statement = select(table).where(table.c.ticket_id.in_(set(ticket_ids))).order_by(table.c.id)
        copies: dict[int, list[Copy]] = {}
        for row in self._core.execute(statement):
            copies.setdefault(row.ticket_id, []).append(Copy(row.role, row.channel, row.ts, row.data, row.id))
        return copies

    def for_ticket(self, ticket_id: int) -> list[Copy]:
        return self.for_tickets([ticket_id]).get(ticket_id, [])

    def update_data(self, changes: list[tuple[int, dict[str, Any]]]) -> None:
        """Replace the `data` of copies, (copy id, data) each: e.g. a DM whose button no longer applies."""
        if changes:
            table = TicketMessageRow.__table__
            self._core.execute(update(table).where(table.c.id == bindparam("copy_id")).values(data=bindparam("new")),
                               [{"copy_id": copy_id, "new": data} for copy_id, data in changes])


class EventRepository(_Repository):
    """A ticket's history. There is deliberately no update or delete: history is only ever added to."""

    def append(self, ticket_id: int, event: Event) -> int:
        row = event_to_row(ticket_id, event)
        self._session.add(row)
        self._session.flush()
        return row.id

    def append_many(self, events: list[tuple[int, Event]]) -> None:
        """Many events in one INSERT, for whole outcomes and sweeps (no ids come back)."""
        if events:
            self._core.execute(_INSERT_EVENTS, _without_empty_columns([event_values(*item) for item in events]))

    def for_tickets_opened_since(self, since: datetime) -> dict[int, list[Event]]:
        """The history of every ticket created at or after `since`, in one query (for reports)."""
        opened = select(TicketRow.id).where(TicketRow.created_at >= since, _TICKETS_ONLY)
        table = EventRow.__table__
        statement = select(table).where(table.c.ticket_id.in_(opened)).order_by(table.c.ticket_id, table.c.id)
        events: dict[int, list[Event]] = {}
        for row in self._core.execute(statement):  # rows, not ORM objects: a report reads many and changes none
            events.setdefault(row.ticket_id, []).append(event_from_row(row))
        return events

    def for_ticket(self, ticket_id: int) -> list[Event]:
        """The history in the order it was written (by id: several events may share one `at`)."""
        statement = select(EventRow).where(EventRow.ticket_id == ticket_id).order_by(EventRow.id)
        return [event_from_row(row) for row in self._session.scalars(statement)]


@dataclass(frozen=True)
class OutboxMessage:
    id: int
    ticket_id: int | None
    kind: str
    payload: dict[str, Any]
    created_at: datetime
    attempts: int
    last_error: str | None
    priority: int = 1
    progress: dict[str, Any] = field(default_factory=dict)  # Slack calls already made: step -> ts


URGENT, NORMAL, LOW = 0, 1, 2  # outbox priorities: first pings and escalations, the rest, refreshes


def _blocked():
    """An outbox row with an earlier pending row of its ticket: it goes after that one."""
    earlier = aliased(OutboxRow)
    return exists().where(earlier.ticket_id == OutboxRow.ticket_id, earlier.status == "pending",
                          earlier.id < OutboxRow.id)


class OutboxRepository(_Repository):
    """Slack calls waiting to be made. Messages about one ticket go out in the order they were written."""

    def add(self, kind: str, payload: dict[str, Any], ticket_id: int | None, now: datetime) -> int:
        row = OutboxRow(
            ticket_id=ticket_id, kind=kind, payload=payload, created_at=now, next_attempt_at=now,
            attempts=0, status="pending",
        )  # fmt: skip
        self._session.add(row)
        self._session.flush()
        return row.id

    def add_many(self, messages: list[tuple]) -> None:
        """Many (kind, payload, ticket_id, now[, priority]) messages in one INSERT, in order (ids ascend
        with it); the priority defaults to NORMAL."""
        if messages:
            self._core.execute(_INSERT_OUTBOX, [
                {"ticket_id": ticket_id, "kind": kind, "payload": payload, "created_at": now,
                 "next_attempt_at": now, "attempts": 0, "status": "pending",
                 "priority": rest[0] if rest else NORMAL}
                for kind, payload, ticket_id, now, *rest in messages])

    def next_batch(self, now: datetime, limit: int, lease_until: datetime | None = None) -> list[OutboxMessage]:
        """Deliverable messages: pending, due, and each the oldest pending message of its ticket.

        A later message about a ticket waits while an earlier one is pending (even one backing off after
        a failure), so Slack never sees "resolved" before "acknowledged". A parked message stops
        blocking. With `lease_until`, the rows' next attempt is pushed there, so the caller may commit
        and talk to Slack outside the transaction; if it dies, the messages come back after the lease.
        """
        statement = (
            select(OutboxRow)
            .where(OutboxRow.status == "pending", OutboxRow.next_attempt_at <= now, ~_blocked())
            .order_by(OutboxRow.priority, OutboxRow.next_attempt_at, OutboxRow.id)
            .limit(limit)
            .with_for_update(skip_locked=True, of=OutboxRow)
        )
        rows = list(self._session.scalars(statement.execution_options(populate_existing=True)))
        if lease_until is not None:
            for row in rows:
                row.next_attempt_at = lease_until
            self._session.flush()
        return [
            OutboxMessage(row.id, row.ticket_id, row.kind, row.payload, row.created_at, row.attempts,
                          row.last_error, row.priority, dict(row.progress or {}))
            for row in rows
        ]  # fmt: skip

    def renew(self, message_ids: list[int], lease_until: datetime) -> None:
        """Keep leased messages leased while they are still being delivered."""
        if message_ids:
            self._session.execute(update(OutboxRow).where(OutboxRow.id.in_(message_ids), OutboxRow.status == "pending")
                                  .values(next_attempt_at=lease_until))

    def put_back(self, message_id: int, retry_at: datetime, progress: dict[str, Any]) -> None:
        """Not yet (Slack's limits): try again at `retry_at`, keeping what already went; not a failed attempt."""
        self._change(message_id, next_attempt_at=retry_at, progress=progress)

    def mark_sent(self, message_id: int, now: datetime) -> None:
        self._change(message_id, status="sent", sent_at=now, attempts=OutboxRow.attempts + 1)

    def mark_sent_many(self, message_ids: list[int], now: datetime) -> None:
        """Mark delivered messages sent, in one statement (a Core one, built once: it runs per delivery)."""
        if len(message_ids) == 1:
            self._core.execute(_MARK_SENT, {"message_id": message_ids[0], "now": now})
        elif message_ids:
            table = OutboxRow.__table__
            self._core.execute(update(table).where(table.c.id.in_(message_ids))
                               .values(status="sent", sent_at=now, attempts=table.c.attempts + 1))

    def mark_failed(self, message_id: int, error: str, retry_at: datetime,
                    progress: dict[str, Any] | None = None) -> None:
        """Count a failed attempt and try again at `retry_at` (after a backoff), keeping what already went."""
        values: dict[str, Any] = {"last_error": error, "next_attempt_at": retry_at, "attempts": OutboxRow.attempts + 1}
        if progress:
            values["progress"] = progress
        self._change(message_id, **values)

    def park(self, message_id: int, error: str) -> None:
        """Give up on a message after the failed attempt that decided it; kept for a human to look at."""
        self._change(message_id, status="parked", last_error=error, attempts=OutboxRow.attempts + 1)

    def next_attempt_at(self) -> datetime | None:
        """When the earliest pending message may be tried (the outbox worker sleeps until then).

        Only the oldest pending message of each ticket counts: one queued behind another waits for it,
        however long ago its own moment came, and counting it would wake the worker for nothing.
        """
        return self._session.scalar(select(func.min(OutboxRow.next_attempt_at))
                                    .where(OutboxRow.status == "pending", ~_blocked()))

    def depth(self, status: str = "pending") -> int:
        """How many messages are in `status` (pending: the backlog a /metrics gauge shows)."""
        return self._session.scalar(select(func.count()).where(OutboxRow.status == status)) or 0

    def _change(self, message_id: int, **values: Any) -> None:
        result = self._session.execute(update(OutboxRow).where(OutboxRow.id == message_id).values(**values))
        if result.rowcount == 0:  # type: ignore[attr-defined]
            raise LookupError(f"outbox message {message_id} does not exist")


def _storable_key(key: str) -> str:
    """`key`, or a digest of it when it is longer than the column or holds what a database refuses
    (NUL, other control characters, a lone surrogate): a malformed delivery is deduplicated too."""
    if key.isprintable() and len(key) <= (column_length("processed_events", "event_id") or len(key)):
        return key
    return "sha256:" + hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()


class ProcessedEventRepository(_Repository):
    """Keys of deliveries already handled (Slack retries an event it thinks we missed)."""

    def remember(self, event_id: str, now: datetime) -> bool:
        """Record `event_id`; False if it was already there (the caller drops the repeat).

        A savepoint keeps the unit of work usable after the duplicate key error: on PostgreSQL a failed
        statement would otherwise abort the whole transaction.
        """
        self._session.flush()  # earlier pending work must not be mistaken for the duplicate
        try:
            with self._session.begin_nested():
                self._session.add(ProcessedEventRow(event_id=_storable_key(event_id), received_at=now))
        except IntegrityError:
            return False
        return True

    def prune(self, before: datetime) -> int:
        """Forget keys older than Slack's retry horizon; returns how many went."""
        result = self._session.execute(delete(ProcessedEventRow).where(ProcessedEventRow.received_at < before))
        return result.rowcount  # type: ignore[attr-defined, no-any-return]


class AwayRepository(_Repository):
    """Who is away until when; the ladder skips them."""

    def set(self, person: str, until: datetime, by: str, now: datetime) -> None:
        row = self._session.get(AwayRow, person)
        if row is None:
            self._session.add(AwayRow(person=person, until=until, set_by=by, set_at=now))
        else:
            row.until, row.set_by, row.set_at = until, by, now
        self._session.flush()

    def clear(self, person: str) -> bool:
        """Back early; False if they were not marked away."""
        result = self._session.execute(delete(AwayRow).where(AwayRow.person == person))
        return bool(result.rowcount)  # type: ignore[attr-defined]

    def away_at(self, now: datetime) -> dict[str, datetime]:
        # Read by every batch of asks: a Core query, built once, on the transaction's connection.
        return {person: until for person, until in self._core.execute(_AWAY_AT, {"now": now})}

    def prune(self, now: datetime) -> int:
        """Drop absences that have ended; returns how many."""
        result = self._session.execute(delete(AwayRow).where(AwayRow.until <= now))
        return result.rowcount  # type: ignore[attr-defined, no-any-return]


class RuntimeSettingRepository(_Repository):
    """Named values kept with the data (JSON), such as the sandbox clock's offset."""

    def get(self, key: str, default: Any = None) -> Any:
        row = self._session.get(RuntimeSettingRow, key)
        return default if row is None else row.value

    def put(self, key: str, value: Any, now: datetime) -> None:
        row = self._session.get(RuntimeSettingRow, key)
        if row is None:
            self._session.add(RuntimeSettingRow(key=key, value=value, updated_at=now))
        else:
            row.value, row.updated_at = value, now
        self._session.flush()
