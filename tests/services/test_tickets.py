"""The ticket use cases against a real database: one transaction each, nothing half-written."""

import threading
from datetime import UTC, datetime, timedelta
from textwrap import dedent

import pytest
from sqlalchemy import func, select

from bot.config import load_config_text
from bot.domain.errors import UserError
from bot.domain.ticket import Kind, State
from bot.services.tickets import NewTicket, TicketService
from storage.engine import make_engine, make_session_factory
from storage.tables import EventRow, OutboxRow
from storage.unit_of_work import SqlUnitOfWork

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)  # a Monday
CONFIG = load_config_text(dedent("""\
    project: Acme
    lead: lead
    core: {maintainers: [core1, core2]}
    sla:
      question: {ack: 1d, resolve: 7d}
      reminders: [0.5]
    areas:
      - key: nn
        maintainers: [nn1, nn2]
    people:
      lead: {slack: U0LEAD}
      core1: {slack: U0CORE1}
      core2: {slack: U0CORE2}
      nn1: {slack: U0NN1}
      nn2: {slack: U0NN2}
    """)).config


@pytest.fixture
def service(make_uow):
    return TicketService(CONFIG, make_uow)


def counts(make_uow):
    with make_uow() as uow:
        session = uow.session
        return (session.scalar(select(func.count()).select_from(EventRow)),
                session.scalar(select(func.count()).select_from(OutboxRow)))


def history(make_uow, ticket_id):
    with make_uow() as uow:
        return [(event.kind, event.level) for event in uow.events.for_ticket(ticket_id)]


def test_ask_stores_the_ticket_its_event_and_the_ping_together(service, make_uow):
    ticket = service.ask(asker="U0ASKER", kind=Kind.QUESTION, area="NN", text="How?", now=NOW)
    assert ticket.id == 1 and ticket.area == "nn" and ticket.level == "area:nn"
    with make_uow() as uow:
        stored = uow.tickets.get(ticket.id)
        [ping] = uow.outbox.next_batch(NOW, 10)
    assert stored.policy.ack == timedelta(days=1)
    assert history(make_uow, ticket.id) == [("created", "area:nn")]
    assert ping.kind == "ping" and ping.payload["to"] == ["nn1", "nn2"]


def test_slack_ids_are_translated_to_people_keys(service, make_uow):
    ticket = service.ask(asker="U0ASKER", kind=Kind.QUESTION, area="nn", text="How?", now=NOW)
    outcome = service.acknowledge(ticket.id, by="U0NN2", now=NOW + timedelta(minutes=5))
    assert outcome.ticket.acknowledged_by == "nn2"


def test_a_refusal_changes_nothing(service, make_uow):
    ticket = service.ask(asker="U0ASKER", kind=Kind.QUESTION, area="nn", text="How?", now=NOW)
    before = counts(make_uow)
    with pytest.raises(UserError, match="Only the nn maintainers, core maintainers or the lead"):
        service.acknowledge(ticket.id, by="U0STRANGER", now=NOW)
    assert counts(make_uow) == before


def test_unknown_ticket_and_unknown_area_are_user_errors(service):
    with pytest.raises(UserError, match="There is no ticket #42"):
        service.resolve(42, by="U0LEAD", now=NOW)
    with pytest.raises(UserError, match="There is no area 'nope'"):
        service.ask(asker="U0ASKER", kind=Kind.QUESTION, area="nope", text="?", now=NOW)


def test_asks_opened_together_each_get_their_own_number_and_a_refusal_stays_their_own(service, make_uow):
    results = service.open_many([
        NewTicket("U0ASKER", Kind.QUESTION, "nn", "first"),
        NewTicket("U0ASKER", Kind.QUESTION, "nope", "lost"),
        NewTicket("U0NN1", Kind.ESCALATION, "nn", "third", thread=("C0GENERAL", "1700000000.000100")),
    ], NOW)
    first, refused, third = results
    assert isinstance(refused, UserError) and "There is no area 'nope'" in str(refused)
    assert (first.ticket.id, third.ticket.id) == (1, 2)
    with make_uow() as uow:
        assert [(t.id, t.text, t.asker) for t in uow.tickets.list_open()] == [(1, "first", "U0ASKER"),
                                                                            (2, "third", "nn1")]
        assert uow.tickets.find_by_thread("C0GENERAL", "1700000000.000100").id == 2
        assert uow.tickets.slack_refs(1).thread_ts is None
        [ping_1, ping_2] = uow.outbox.next_batch(NOW, 10)
    assert (ping_1.ticket_id, ping_2.ticket_id) == (1, 2)
    assert history(make_uow, 2)[0] == ("created", "area:nn")


def test_a_batch_that_fails_to_commit_leaves_none_of_its_tickets(service, make_uow, monkeypatch):
    def broken_add(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr("storage.repositories.EventRepository.append_many", broken_add)
    results = service.open_many([NewTicket("U0ASKER", Kind.QUESTION, "nn", f"q{n}") for n in range(3)], NOW)
    assert [str(result) for result in results] == ["disk full"] * 3  # tried together, then each alone
    monkeypatch.undo()
    with make_uow() as uow:
        assert uow.tickets.list_open() == []
    assert counts(make_uow) == (0, 0)


def test_a_failure_midway_leaves_nothing_half_written(service, make_uow, monkeypatch):
    def broken_add(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr("storage.repositories.OutboxRepository.add_many", broken_add)
    with pytest.raises(RuntimeError):
        service.ask(asker="U0ASKER", kind=Kind.QUESTION, area="nn", text="How?", now=NOW)
    monkeypatch.undo()
    with make_uow() as uow:
        assert uow.tickets.list_open() == []
    assert counts(make_uow) == (0, 0)


def test_sweep_reminds_then_escalates_each_exactly_once(service, make_uow):
    ticket = service.ask(asker="U0ASKER", kind=Kind.QUESTION, area="nn", text="How?", now=NOW)
    service.sweep_due(NOW + timedelta(hours=12))
    service.sweep_due(NOW + timedelta(hours=12))  # nothing new at the same moment
    next_due = service.sweep_due(NOW + timedelta(days=1))
    service.sweep_due(NOW + timedelta(days=1))
    assert history(make_uow, ticket.id) == [
        ("created", "area:nn"), ("reminded", "area:nn"), ("escalated", "core")]
    assert next_due == NOW + timedelta(days=1, hours=12)  # core's own reminder


def test_acknowledged_ticket_does_not_escalate(service, make_uow):
    ticket = service.ask(asker="U0ASKER", kind=Kind.QUESTION, area="nn", text="How?", now=NOW)
    service.acknowledge(ticket.id, by="U0NN1", now=NOW + timedelta(hours=1))
    service.sweep_due(NOW + timedelta(days=2))
    with make_uow() as uow:
        assert uow.tickets.get(ticket.id).level == "area:nn"


def test_deadline_missed_while_down_fires_once_after_restart(database_url, migrated_engine):
    first = TicketService(CONFIG, lambda: SqlUnitOfWork(make_session_factory(migrated_engine)))
    ticket = first.ask(asker="U0ASKER", kind=Kind.QUESTION, area="nn", text="How?", now=NOW)
    migrated_engine.dispose()  # "down" for a day and an hour: no sweep ran at the reminder or the breach
    restarted_engine = make_engine(database_url)
    try:
        factory = make_session_factory(restarted_engine)
        restarted = TicketService(CONFIG, lambda: SqlUnitOfWork(factory))
        later = NOW + timedelta(days=1, hours=1)
        restarted.sweep_due(later)
        restarted.sweep_due(later)
        with SqlUnitOfWork(factory) as uow:
            kinds = [event.kind for event in uow.events.for_ticket(ticket.id)]
            assert uow.tickets.get(ticket.id).level == "core"
        # The stale reminder is not sent after the breach: the history says it was skipped.
        assert kinds == ["created", "reminder_skipped", "escalated"]
    finally:
        restarted_engine.dispose()


def test_whole_rung_away_is_skipped_and_the_asker_told(service, make_uow):
    service.set_away("nn1", NOW + timedelta(days=3), by="U0NN1", now=NOW)
    service.set_away("U0NN2", NOW + timedelta(days=3), by="U0NN2", now=NOW)
    ticket = service.ask(asker="U0ASKER", kind=Kind.QUESTION, area="nn", text="How?", now=NOW)
    assert ticket.level == "core"
    with make_uow() as uow:
        kinds = [message.kind for message in uow.outbox.next_batch(NOW, 10)]
    assert kinds == ["ping"]  # one per ticket at a time: the asker's notice waits behind the ping
    service.set_away("nn1", None, by="U0NN1", now=NOW)
    assert service.ask(asker="U0ASKER", kind=Kind.QUESTION, area="nn", text="2", now=NOW).level == "area:nn"


def test_away_until_must_be_in_the_future(service):
    with pytest.raises(UserError, match="in the future"):
        service.set_away("nn1", NOW - timedelta(days=1), by="U0NN1", now=NOW)


def test_two_sweepers_in_parallel_escalate_each_ticket_exactly_once(service, make_uow):
    opened = [service.ask(asker="U0ASKER", kind=Kind.QUESTION, area="nn", text=f"q{n}", now=NOW)
              for n in range(1000)]
    later = NOW + timedelta(days=1, minutes=1)
    sweepers = [TicketService(CONFIG, make_uow) for _ in range(2)]
    errors = []

    def sweep(sweeper):
        try:
            sweeper.sweep_due(later, batch=50)
        except Exception as error:  # surfaced below: a thread's exception is otherwise lost
            errors.append(error)

    threads = [threading.Thread(target=sweep, args=(sweeper,)) for sweeper in sweepers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with make_uow() as uow:
        escalations = uow.session.scalar(
            select(func.count()).select_from(EventRow).where(EventRow.kind == "escalated"))
        reminders = uow.session.scalar(
            select(func.count()).select_from(EventRow).where(EventRow.kind == "reminded"))
        states = {uow.tickets.get(ticket.id).level for ticket in opened[:: 97]}
    assert escalations == 1000
    assert reminders == 0  # the reminder's moment had passed with the breach: not sent late
    assert states == {"core"}
    assert all(ticket.state is State.OPEN for ticket in opened)
