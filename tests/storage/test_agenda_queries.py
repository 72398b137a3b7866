"""The queries behind the triage agenda, on SQLite and PostgreSQL: only open tickets that may have broken
a promise (with the sweeper's events on them), the lead's rung with its count, decisions by state."""

from dataclasses import replace
from datetime import timedelta

from bot.domain.decision_record import State as DecisionState
from bot.domain.ticket import SYSTEM, Event, State
from bot.reporting.agenda import Why
from bot.services.agenda import read_agenda
from tests.handlers.views.decisions import opened, passed, tied_to_core, tied_to_lead
from tests.storage.conftest import NOW, make_ticket

HOUR = timedelta(hours=1)


def seed(make_uow, *tickets_with_events):
    with make_uow() as uow:
        ids = uow.tickets.add_many([ticket for ticket, _ in tickets_with_events])
        uow.events.append_many([(ticket_id, event) for ticket_id, (_, events) in zip(ids, tickets_with_events,
                                                                                      strict=True)
                                for event in events])
        uow.commit()
    return ids


def test_open_breached_reads_only_tickets_that_may_have_missed_a_promise(make_uow):
    climb = Event("escalated", SYSTEM, NOW - HOUR, "core", "no acknowledgement", {"due_at": (NOW - HOUR).isoformat()})
    by_hand = Event("escalated", "albanD", NOW - HOUR, "core", "by hand", {})
    created = Event("created", "U0ASKER", NOW - 2 * HOUR, "area:nn")
    ids = seed(make_uow,
               (make_ticket(level="core"), [created, climb]),  # climbed by the sweeper
               (make_ticket(ack_due_at=NOW - HOUR), []),  # overdue, not swept yet
               (make_ticket(state=State.ACKNOWLEDGED, ack_due_at=None, resolve_breaches=1), []),
               (make_ticket(level="core"), [by_hand]),  # a choice, not a breach
               (make_ticket(), []),  # within its deadlines
               (make_ticket(state=State.RESOLVED, resolve_due_at=None, resolve_breaches=1), [climb]),
               (make_ticket(state=State.WAITING, ack_due_at=None, resolve_breaches=1), []))
    with make_uow(read_only=True) as uow:
        found = uow.tickets.open_breached(NOW)
    assert sorted(found) == ids[:3]
    assert found[ids[0]][1] == [climb], "only the sweeper's events are read"
    assert found[ids[1]][1] == []


def test_open_at_level_gives_the_oldest_first_and_the_count(make_uow):
    ids = seed(make_uow, *[(make_ticket(level="lead"), []) for _ in range(4)],
               (make_ticket(level="lead", state=State.RESOLVED), []), (make_ticket(level="core"), []))
    with make_uow(read_only=True) as uow:
        shown, total = uow.tickets.open_at_level("lead", 2)
    assert [ticket.id for ticket in shown] == ids[:2] and total == 4


def test_decisions_in_states_reads_only_those_states(make_uow):
    with make_uow() as uow:
        numbers = [uow.decisions.add(replace(decision, number=None)).number
                   for decision in (opened(), tied_to_core(), tied_to_lead())]
        uow.commit()
    with make_uow(read_only=True) as uow:
        found = uow.decisions.in_states([DecisionState.LEAD])
    assert [decision.number for decision in found] == [numbers[2]]


def test_read_agenda_puts_the_seeded_rows_on_their_lists(make_uow):
    climb = Event("escalated", SYSTEM, NOW - HOUR, "core", "no acknowledgement",
                  {"due_at": (NOW - 2 * HOUR).isoformat()})
    later = {"ack_due_at": NOW + timedelta(days=5), "resolve_due_at": NOW + timedelta(days=7)}
    ids = seed(make_uow, (make_ticket(level="core", **later), [climb]), (make_ticket(**later), []),
               (make_ticket(level="lead", **later), []))
    with make_uow() as uow:
        numbers = [uow.decisions.add(replace(decision, number=None)).number
                   for decision in (opened(), passed(), tied_to_core(), tied_to_lead())]
        uow.commit()
    agenda = read_agenda(make_uow, NOW + timedelta(days=4))
    [breach] = agenda.breached
    assert breach.ticket.id == ids[0] and breach.overdue_since == NOW - 2 * HOUR
    assert {(item.decision.number, item.why) for item in agenda.undecided} == {
        (numbers[1], Why.RATIONALE), (numbers[2], Why.CORE_VOTE)}
    assert [item.decision.number for item in agenda.lead_decisions] == [numbers[3]]
    assert [ticket.id for ticket in agenda.lead_tickets] == [ids[2]] and agenda.lead_tickets_total == 1
