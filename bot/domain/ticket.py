"""What a ticket is: plain data that the rules in `actions` and `clocks` change and storage keeps.

A ticket is one question or escalation, numbered `#N`. It sits on one rung of its ladder (`level`),
carries a copy of the SLA policy it was opened under, and keeps its own deadlines. Every change to
it is told as exactly one `Event` (the history) and zero or more `Notice`s (who must hear about it);
the services turn notices into outbox rows and the Slack layer decides how they look.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum


class Kind(StrEnum):
    QUESTION = "question"
    ESCALATION = "escalation"


class State(StrEnum):
    OPEN = "open"
    ACKNOWLEDGED = "acknowledged"
    WAITING = "waiting"  # waiting on the asker: every clock stands still
    RESOLVED = "resolved"


SYSTEM = "upline"  # the actor of events nobody clicked: reminders, breaches, skips


@dataclass(frozen=True)
class WorkingHours:
    """When SLA time runs. `days` are ISO weekdays (1 = Monday); times are local to `tz`."""

    days: tuple[int, ...]
    start: str  # "09:00"
    end: str  # "17:00"
    tz: str


@dataclass(frozen=True)
class SlaPolicy:
    """The promises copied onto a ticket when it opens; editing app.yaml later never changes them."""

    ack: timedelta  # per rung: each rung gets a fresh window
    resolve: timedelta  # from creation
    reminders: tuple[float, ...]  # fractions of the ack window, ascending
    hours: WorkingHours | None = None  # None: the clocks run around the clock
    holidays: str | None = None  # country code ("GB", "US-CA"): no SLA time on its public holidays
    source: str = ""  # where the numbers came from, e.g. "question; area nn overrides ack"


@dataclass(frozen=True)
class Event:
    """One immutable line of a ticket's history."""

    kind: str  # created, acknowledged, escalated, reminded, breached, skipped, waiting, replied, ...
    actor: str  # a people key, a Slack user ID, or SYSTEM
    at: datetime
    level: str  # the ticket's level after the change
    reason: str | None = None
    data: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Notice:
    """Someone must hear about a change: who, about what, at which rung."""

    kind: str  # ping, reminder, escalated, acknowledged, resolved, skipped, resolve_breach, waiting, ...
    to: tuple[str, ...]  # people keys / Slack user IDs; empty means "the ticket's asker"
    level: str
    data: dict = field(default_factory=dict)


@dataclass
class Ticket:
    kind: Kind
    area: str | None
    asker: str
    text: str
    level: str  # a Rung.level of the ticket's ladder: "area:nn", "core", "lead"
    policy: SlaPolicy
    created_at: datetime
    level_started_at: datetime  # the current rung's ack window opened here
    state: State = State.OPEN
    id: int | None = None
    ack_due_at: datetime | None = None  # None once acknowledged, while waiting, or when resolved
    resolve_due_at: datetime | None = None
    reminders_sent: int = 0  # how many of policy.reminders the current rung has had
    resolve_breaches: int = 0  # resolve windows missed so far (each one notified once)
    acknowledged_by: str | None = None
    acknowledged_at: datetime | None = None
    assignee: str | None = None
    waiting_since: datetime | None = None
    ack_left: timedelta | None = None  # SLA time left when the clocks paused
    resolve_left: timedelta | None = None
    resolved_at: datetime | None = None
    resolved_by: str | None = None
    resolution: str | None = None
    next_due_at: datetime | None = None  # the earliest moment the sweeper must look again


@dataclass
class Outcome:
    """What one action or one clock check did: the ticket after it, its events and its notices."""

    ticket: Ticket
    events: list[Event] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)
