"""What a weekly digest says, computed once from the data and kept as JSON in its outbox row.

The core's digest: what breached in the week and where each ticket is now (its level, who holds it),
the oldest open tickets of each area with who holds them, the votes open and the rationales missing
(with who must act), the nominations waiting for the next review, the maintainers the review would
suggest for emeritus, and each area's SLA compliance this week against the week before — the very
numbers `upline report` computes (`bot.reporting.metrics.report`). An area's digest: its open
tickets, oldest first, with who holds them and their next deadline, and its decisions of the week.

People are kept as keys (or Slack IDs), as the tickets keep them; `handlers/views/digest.py` decides
who is mentioned and who is named. Lists are kept whole up to `KEPT` items, with their full count.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from bot.config.schema import Config
from bot.domain.decision_record import Decision, State, waiting_on
from bot.domain.nomination_record import Nomination
from bot.domain.nomination_record import State as NominationState
from bot.domain.ticket import Event, Ticket
from bot.domain.ticket import State as TicketState
from bot.reporting.metrics import is_ack_breach, report
from bot.reporting.periods import Period

KEPT = 50  # items kept of any list: more than a message can show, and the count says the rest
OLDEST_PER_AREA = 3
TEXT_KEPT = 300  # characters of a ticket's text or a proposal: the message shows its first line


@dataclass(frozen=True)
class DigestData:
    """Everything a digest is computed from, as of `now`."""

    open_tickets: list[Ticket] = field(default_factory=list)
    breaches: list[tuple[int, Event]] = field(default_factory=list)  # the week's candidate events
    tickets: dict[int, Ticket] = field(default_factory=dict)  # every ticket named by `breaches`, as it is now
    reported: list[Ticket] = field(default_factory=list)  # tickets opened in the two weeks compared
    events: dict[int, list[Event]] = field(default_factory=dict)  # their histories
    open_decisions: list[Decision] = field(default_factory=list)
    recent_decisions: list[Decision] = field(default_factory=list)  # opened or published lately
    nominations: list[Nomination] = field(default_factory=list)  # open ones
    suggested: list[Nomination] = field(default_factory=list)  # emeritus, as the review would suggest now
    next_review_at: datetime | None = None


def core_digest(data: DigestData, config: Config, week: Period, *, now: datetime, late: bool) -> dict:
    open_by_area: dict[str, list[Ticket]] = {}
    for ticket in sorted(data.open_tickets, key=lambda t: (t.created_at, t.id or 0)):
        open_by_area.setdefault(ticket.area or "", []).append(ticket)
    undecided = [d for d in data.open_decisions if d.state in (State.VOTING, State.LEAD)]
    unexplained = [d for d in data.open_decisions if d.state is State.DECIDED and d.current.rationale is None]
    waiting = [n for n in data.nominations if n.state is NominationState.NOMINATED]
    return _heading("core", week, now, late) | {
        "breached": _kept([_breached(data.tickets[number], count, now) for number, count in _breached_in(data, week)
                           if number in data.tickets]),
        "oldest_open": [{"area": area or None, "total": len(tickets),
                         "tickets": [_open(t, now) for t in tickets[:OLDEST_PER_AREA]]}
                        for area, tickets in sorted(open_by_area.items(), key=lambda item: (not item[0], item[0]))],
        "votes_open": _kept([_decision(d) | {"closes_at": _iso(d.current.closes_at), "waiting_on": list(waiting_on(d))}
                             for d in undecided]),
        "rationales_missing": _kept([_decision(d) | {"due_at": _iso(d.rationale_due_at),
                                                     "overdue": bool(d.rationale_due_at and d.rationale_due_at <= now),
                                                     "owed_by": list(waiting_on(d))} for d in unexplained]),
        "nominations": _kept([{"nomination": n.number, "action": n.action.value, "person": n.person,
                               "target": n.target} for n in waiting]),
        "next_review_at": _iso(data.next_review_at),
        "emeritus": _kept([{"person": n.person, "target": n.target,
                            "reason": n.nominators[0].reason if n.nominators else None} for n in data.suggested]),
        "compliance": [compliance(data, area.key, week) for area in config.areas if not area.sunset],
    }


def area_digest(data: DigestData, area: str, week: Period, *, now: datetime, late: bool) -> dict:
    mine = sorted((t for t in data.open_tickets if t.area == area), key=lambda t: (t.created_at, t.id or 0))
    decided = [d for d in data.recent_decisions if d.area == area
               and (week.holds(d.opened_at) or (d.published_at is not None and week.holds(d.published_at)))]
    return _heading(f"area:{area}", week, now, late) | {
        "area": area,
        "open": _kept([_open(ticket, now) | {"due_at": _iso(next_deadline(ticket))} for ticket in mine]),
        "decisions": _kept([_decision(d) | {"state": d.state.value, "outcome": d.outcome and d.outcome.value,
                                            "published_at": _iso(d.published_at)} for d in decided]),
    }


def compliance(data: DigestData, area: str, week: Period) -> dict:
    """The area's share of tickets that kept every promise, this week and the week before: the total
    row of `upline report --area` over each week, as of that week's end."""
    def share(period: Period) -> float | None:
        rows = report(data.reported, data.events, since=period.since, now=period.last_instant, area=area)
        return rows[-1].compliance if rows else None

    this, last = share(week), share(week.previous())
    return {"area": area, "this": this, "last": last, "trend": trend(this, last)}


def trend(this: float | None, last: float | None) -> str:
    if this is None or last is None or round(this) == round(last):
        return "→"
    return "↑" if this > last else "↓"


def next_deadline(ticket: Ticket) -> datetime | None:
    """When the ticket's next promise runs out (None while its clocks stand still)."""
    if ticket.state is TicketState.WAITING:
        return None
    moments = [ticket.resolve_due_at, ticket.ack_due_at if ticket.state is TicketState.OPEN else None]
    return min((moment for moment in moments if moment is not None), default=None)


def holder(ticket: Ticket) -> str | None:
    return ticket.assignee or ticket.acknowledged_by


def _breached_in(data: DigestData, week: Period) -> list[tuple[int, int]]:
    counts: dict[int, int] = {}
    for number, event in data.breaches:
        if week.holds(event.at) and (is_ack_breach(event) or event.kind == "breached"):
            counts[number] = counts.get(number, 0) + 1
    return sorted(counts.items())


def _breached(ticket: Ticket, count: int, now: datetime) -> dict:
    return _ticket(ticket) | {"breaches": count, "state": ticket.state.value, "level": ticket.level,
                              "holder": holder(ticket), "due_at": _iso(next_deadline(ticket))}


def _open(ticket: Ticket, now: datetime) -> dict:
    return _ticket(ticket) | {"state": ticket.state.value, "level": ticket.level, "holder": holder(ticket)}


def _ticket(ticket: Ticket) -> dict:
    return {"ticket": ticket.id, "kind": str(ticket.kind), "area": ticket.area, "text": ticket.text[:TEXT_KEPT],
            "created_at": ticket.created_at.isoformat()}


def _decision(decision: Decision) -> dict:
    return {"decision": decision.number, "area": decision.area, "level": decision.level,
            "proposal": decision.proposal[:TEXT_KEPT]}


def _heading(scope: str, week: Period, now: datetime, late: bool) -> dict:
    return {"scope": scope, "since": week.since.isoformat(), "until": week.until.isoformat(),
            "computed_at": now.isoformat(), "late": late}


def _kept(items: list[dict]) -> dict:
    return {"total": len(items), "items": items[:KEPT]}


def _iso(moment: datetime | None) -> str | None:
    return None if moment is None else moment.isoformat()


__all__ = ["DigestData", "area_digest", "compliance", "core_digest", "holder", "next_deadline", "trend"]
