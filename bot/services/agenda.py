"""Reading the core's triage agenda (`bot.reporting.agenda`) in one read-only transaction.

Only what is unsettled is read, by indexed columns: open tickets that may have broken a promise and
the sweeper's events on them, up to `lead_limit` tickets at the lead's rung (and their count),
decisions in the states the agenda lists, and nominations under vote — never the whole history.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from bot.domain.decision_record import State
from bot.domain.nomination_record import State as NominationState
from bot.reporting.agenda import Agenda, agenda
from storage.unit_of_work import SqlUnitOfWork

AGENDA_STATES = (State.VOTING, State.DISPUTED, State.DECIDED, State.LEAD)


def read_agenda(unit_of_work: Callable[..., SqlUnitOfWork], now: datetime, lead_limit: int = 50) -> Agenda:
    with unit_of_work(read_only=True) as uow:
        candidates = uow.tickets.open_breached(now)
        lead_tickets, lead_total = uow.tickets.open_at_level("lead", lead_limit)
        decisions = uow.decisions.in_states(AGENDA_STATES)
        nominations = uow.nominations.in_states([NominationState.VOTING])
    return agenda(breach_candidates=candidates, decisions=decisions, lead_tickets=lead_tickets,
                  lead_tickets_total=lead_total, nominations=nominations, now=now)
