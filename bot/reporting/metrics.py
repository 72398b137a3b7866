"""The numbers behind `upline report`: per area and kind, how fast tickets were acknowledged and resolved,
how often a promise was broken, and the share of tickets that kept every promise.

All of it is computed from the tickets opened in the period and their events, exactly (an event's `at`
minus the ticket's creation), never from wall-clock samples:

- time to acknowledge: to the first `acknowledged` event; time to resolve: to the first `resolved` one,
  so a ticket resolved, reopened and resolved again counts its first answer. Tickets not yet
  acknowledged (or resolved) have no time and are left out of those medians and p90s.
- ack breaches: ack deadlines missed, i.e. the sweeper's escalations (`escalated` by `upline`) and, at
  the lead where nobody is above, its overdue reminders; resolve breaches: `breached` events. One
  acted on late (Upline was down) counts once like any other; a reminder recorded as skipped
  (`reminder_skipped`: its moment passed unsent) is neither a reminder nor a breach.
- compliance: the share of tickets with no breach at all. A ticket still open and not yet overdue counts
  as compliant so far; one past a deadline that the sweeper has not acted on yet counts as breached.

`now` is the end of the period, for the tickets and for their events alike: `report(tickets, events,
since=week.since, now=week.until)` gives last week's numbers as they stood at the end of last week,
whatever happened since (a later acknowledgement, resolution or breach is not counted).
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.domain.ticket import SYSTEM, Event, State, Ticket


@dataclass(frozen=True)
class TicketFacts:
    """What one ticket contributes to the report."""

    area: str | None
    kind: str
    to_ack: timedelta | None
    to_resolve: timedelta | None
    ack_breaches: int
    resolve_breaches: int
    overdue: bool  # past a deadline with no breach recorded yet

    @property
    def compliant(self) -> bool:
        return not (self.ack_breaches or self.resolve_breaches or self.overdue)


@dataclass(frozen=True)
class Row:
    """One line of the report: an area and kind, or the total (`total=True`, area and kind None)."""

    area: str | None
    kind: str | None
    opened: int
    acknowledged: int
    resolved: int
    ack_p50: timedelta | None
    ack_p90: timedelta | None
    resolve_p50: timedelta | None
    resolve_p90: timedelta | None
    ack_breaches: int
    resolve_breaches: int
    compliant: int
    total: bool = False

    @property
    def compliance(self) -> float | None:
        """Percent of tickets with no breach; None when no ticket was opened."""
        return 100 * self.compliant / self.opened if self.opened else None


def ticket_facts(ticket: Ticket, events: Iterable[Event], now: datetime) -> TicketFacts:
    """The facts of one ticket as of `now` (events after `now` are ignored)."""
    events = list(events)
    seen = [event for event in events if event.at <= now]
    later = [event for event in events if event.at > now]
    return TicketFacts(
        area=ticket.area,
        kind=str(ticket.kind),
        to_ack=_first(seen, "acknowledged", ticket.created_at),
        to_resolve=_first(seen, "resolved", ticket.created_at),
        ack_breaches=sum(1 for event in seen if is_ack_breach(event)),
        resolve_breaches=sum(1 for event in seen if event.kind == "breached"),
        overdue=is_overdue(ticket, now) if not later else breached_later(later, now),
    )


def breached_later(later: Iterable[Event], now: datetime) -> bool:
    """Whether a ticket whose history went on after `now` was past a deadline at `now`, unrecorded yet.

    Its fields (state, deadlines) tell how it stands today, not at `now`, the end of a past period; but a
    breach recorded after `now` for a deadline due by `now` says it was overdue then.
    """
    return any((is_ack_breach(event) or event.kind == "breached") and _due_by(event, now) for event in later)


def is_ack_breach(event: Event) -> bool:
    """An ack deadline ran out: the sweeper climbed a rung, or reminded the lead that it is overdue.

    Escalations by a person are a choice, not a broken promise, so only the system's count.
    """
    if event.actor != SYSTEM:
        return False
    return event.kind == "escalated" or (event.kind == "reminded" and bool(event.data.get("overdue")))


def is_overdue(ticket: Ticket, now: datetime) -> bool:
    """Past a running deadline right now (the sweeper may not have recorded the breach yet)."""
    if ticket.state is State.RESOLVED:
        return False
    if ticket.state is State.WAITING:
        # Paused clocks keep the time they had left; none left means the deadline had passed.
        return any(left is not None and left <= timedelta(0) for left in (ticket.ack_left, ticket.resolve_left))
    ack_late = ticket.state is State.OPEN and ticket.ack_due_at is not None and ticket.ack_due_at <= now
    return ack_late or (ticket.resolve_due_at is not None and ticket.resolve_due_at <= now)


def report(tickets: Iterable[Ticket], events: Mapping[int, Sequence[Event]], *, since: datetime,
           now: datetime, area: str | None = None, kind: str | None = None) -> list[Row]:
    """One row per (area, kind) of the tickets opened in [since, now], sorted by area (no area last)
    then kind, and a total row last; no rows at all when nothing was opened."""
    facts = [
        ticket_facts(ticket, events.get(ticket.id, ()), now)
        for ticket in tickets
        if since <= ticket.created_at <= now
        and (area is None or (ticket.area or "").casefold() == area.casefold())
        and (kind is None or ticket.kind == kind)
    ]
    groups: dict[tuple[str | None, str], list[TicketFacts]] = {}
    for fact in facts:
        groups.setdefault((fact.area, fact.kind), []).append(fact)
    order = sorted(groups, key=lambda key: (key[0] is None, key[0] or "", key[1]))
    rows = [summarize(groups[key], area=key[0], kind=key[1]) for key in order]
    return [*rows, summarize(facts, area=None, kind=None, total=True)] if rows else []


def summarize(facts: Sequence[TicketFacts], *, area: str | None, kind: str | None, total: bool = False) -> Row:
    to_ack = [fact.to_ack for fact in facts if fact.to_ack is not None]
    to_resolve = [fact.to_resolve for fact in facts if fact.to_resolve is not None]
    return Row(
        area=area, kind=kind, opened=len(facts), acknowledged=len(to_ack), resolved=len(to_resolve),
        ack_p50=median(to_ack), ack_p90=percentile(to_ack, 90),
        resolve_p50=median(to_resolve), resolve_p90=percentile(to_resolve, 90),
        ack_breaches=sum(fact.ack_breaches for fact in facts),
        resolve_breaches=sum(fact.resolve_breaches for fact in facts),
        compliant=sum(1 for fact in facts if fact.compliant), total=total,
    )  # fmt: skip


def median(values: Sequence[timedelta]) -> timedelta | None:
    """The middle value (the mean of the two middle ones for an even count); None for no values."""
    return statistics.median(values) if values else None


def percentile(values: Sequence[timedelta], rank: float) -> timedelta | None:
    """Nearest rank: the smallest value that at least `rank`% of the values do not exceed.

    It is always a time some ticket really took, and reads as "90% were acknowledged within this".
    """
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(math.ceil(rank / 100 * len(ordered)), 1) - 1]


def _due_by(event: Event, now: datetime) -> bool:
    due_at = event.data.get("due_at")
    return due_at is not None and datetime.fromisoformat(due_at) <= now


def _first(events: Sequence[Event], kind: str, start: datetime) -> timedelta | None:
    moments = [event.at for event in events if event.kind == kind]
    return min(moments) - start if moments else None
