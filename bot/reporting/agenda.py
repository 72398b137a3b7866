"""The core's triage agenda: what broke a promise, what the core has not decided, what waits on the lead.

App Home opens on it for a core maintainer and the lead; a digest can render the same lists. Pure: it
takes what storage read (open tickets with their sweeper events, unsettled decisions, nominations under
vote) and `now`, and sorts it into three lists, each complete and in the order it is shown:

- **breached**: open or acknowledged tickets that missed a promise — the sweeper climbed a rung or
  reminded the lead that the ack is overdue, a resolve window ran out (`breached`), or a deadline is
  past and not yet swept — most overdue first: by the earliest deadline missed. Tickets waiting on the
  asker are left out: their clocks stand still and nobody on the ladder owes them anything until the
  asker answers.
- **undecided**: decisions at the core — a core vote open (a proposal that had no decision below, a
  dispute or a veto put to the core), a dispute the deciding group has not answered, a rationale
  missing past `rationale_within` — the earliest deadline first.
- **waiting on the lead**: tickets at the lead's rung, decisions put to the lead, and nominations to the
  core under the lead's decision (shown with that decision, not as a second line).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from bot.domain.decision_record import CORE, LEAD, Decision, State
from bot.domain.nomination_record import CORE as CORE_TARGET
from bot.domain.nomination_record import Nomination
from bot.domain.nomination_record import State as NominationState
from bot.domain.tally import Result
from bot.domain.ticket import Event, Ticket
from bot.domain.ticket import State as TicketState
from bot.reporting.metrics import is_ack_breach


@dataclass(frozen=True)
class Breach:
    """A ticket that missed a promise: which ones ("ack", "resolve"), and since when it is overdue."""

    ticket: Ticket
    missed: tuple[str, ...]
    overdue_since: datetime

    @property
    def holder(self) -> str | None:
        return self.ticket.assignee or self.ticket.acknowledged_by


class Why(StrEnum):
    CORE_VOTE = "core_vote"  # the core votes now
    DISPUTE = "dispute"  # a dispute the deciding group has not answered
    RATIONALE = "rationale"  # decided, the rationale overdue


@dataclass(frozen=True)
class Undecided:
    decision: Decision
    why: Why
    due_at: datetime | None  # the vote closes, the dispute's answer or the rationale is due

    @property
    def after_no_decision(self) -> bool:
        """A core vote opened because the group below could not decide."""
        rounds = self.decision.rounds
        return len(rounds) > 1 and rounds[-2].result is Result.NO_DECISION


@dataclass(frozen=True)
class ForTheLead:
    """A decision put to the lead; `nomination` when it is the lead's word on someone joining or leaving the core."""

    decision: Decision
    nomination: Nomination | None = None


@dataclass(frozen=True)
class Agenda:
    breached: tuple[Breach, ...]
    undecided: tuple[Undecided, ...]
    lead_tickets: tuple[Ticket, ...]
    lead_tickets_total: int  # the lead's rung may hold more than were read
    lead_decisions: tuple[ForTheLead, ...]

    @property
    def empty(self) -> bool:
        return not (self.breached or self.undecided or self.lead_tickets_total or self.lead_decisions)


def breach_of(ticket: Ticket, events: Iterable[Event], now: datetime) -> Breach | None:
    """The promises `ticket` broke as of `now`, or None when it kept them all (or is not running)."""
    if ticket.state not in (TicketState.OPEN, TicketState.ACKNOWLEDGED):
        return None
    missed: dict[str, datetime] = {}

    def miss(which: str, due_at: datetime) -> None:
        missed[which] = min(missed.get(which, due_at), due_at)

    for event in events:
        if event.at > now:
            continue
        if is_ack_breach(event):
            miss("ack", _due_at(event))
        elif event.kind == "breached":
            miss("resolve", _due_at(event))
    if ticket.state is TicketState.OPEN and ticket.ack_due_at is not None and ticket.ack_due_at <= now:
        miss("ack", ticket.ack_due_at)
    if ticket.resolve_due_at is not None and ticket.resolve_due_at <= now:
        miss("resolve", ticket.resolve_due_at)
    if not missed:
        return None
    return Breach(ticket, tuple(which for which in ("ack", "resolve") if which in missed), min(missed.values()))


def _due_at(event: Event) -> datetime:
    """When the deadline behind a sweeper's event was due (it records it); else when it acted."""
    due = event.data.get("due_at")
    return datetime.fromisoformat(due) if isinstance(due, str) else event.at


def undecided_of(decision: Decision, now: datetime) -> Undecided | None:
    state = decision.state
    if state is State.VOTING and decision.level == CORE:
        return Undecided(decision, Why.CORE_VOTE, decision.current.closes_at)
    if state is State.DISPUTED and decision.disputes and decision.disputes[-1].answer is None:
        return Undecided(decision, Why.DISPUTE, decision.disputes[-1].answer_due_at)
    if (state is State.DECIDED and decision.current.rationale is None and decision.rationale_due_at is not None
            and decision.rationale_due_at <= now):
        return Undecided(decision, Why.RATIONALE, decision.rationale_due_at)
    return None


def agenda(*, breach_candidates: Mapping[int, tuple[Ticket, Sequence[Event]]], decisions: Iterable[Decision],
           lead_tickets: Sequence[Ticket], lead_tickets_total: int, nominations: Iterable[Nomination],
           now: datetime) -> Agenda:
    """The three lists, each sorted as shown (ties by `#N`)."""
    breached = [found for ticket, events in breach_candidates.values()
                if (found := breach_of(ticket, events, now)) is not None]
    breached.sort(key=lambda breach: (breach.overdue_since, breach.ticket.id))
    decisions = list(decisions)
    undecided = [found for decision in decisions if (found := undecided_of(decision, now)) is not None]
    undecided.sort(key=lambda item: (item.due_at is None, item.due_at or now, item.decision.number))
    voting_on = {nomination.decision: nomination for nomination in nominations
                 if nomination.target == CORE_TARGET and not nomination.of_lead
                 and nomination.state is NominationState.VOTING and nomination.decision is not None}
    for_lead = [ForTheLead(decision, voting_on.get(decision.number)) for decision in decisions
                if decision.state is State.LEAD and decision.level == LEAD]
    for_lead.sort(key=lambda item: (item.decision.current.opened_at, item.decision.number))
    return Agenda(tuple(breached), tuple(undecided), tuple(lead_tickets), lead_tickets_total, tuple(for_lead))
