"""The decision use cases against a real database: each one transaction, every deadline once."""

import threading
from datetime import UTC, datetime, timedelta
from textwrap import dedent

import pytest
from sqlalchemy import func, select

from bot.config import load_config_text
from bot.domain.decision_record import Kind, State
from bot.domain.errors import UserError
from bot.domain.tally import Choice, Result
from bot.domain.ticket import Kind as TicketKind
from bot.domain.ticket import State as TicketState
from bot.services.decisions import PROPOSAL_MAX, DecisionService
from bot.services.tickets import TicketService
from storage.engine import make_engine, make_session_factory
from storage.tables import BallotRow, OutboxRow
from storage.unit_of_work import SqlUnitOfWork

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
CONFIG = load_config_text(dedent("""\
    project: Acme
    lead: lead
    core: {maintainers: [core1, core2, core3]}
    sla:
      question: {ack: 1d, resolve: 7d}
      reminders: [0.5]
    decisions: {duration: 2d, rationale_within: 1d, veto_window: 3d, core: {duration: 1d}}
    areas:
      - key: nn
        maintainers: [nn1, nn2, nn3]
      - key: jit
        maintainers: [nn1, jit1]
    people:
      lead: {slack: U0LEAD}
      core1: {slack: U0CORE1}
      core2: {slack: U0CORE2}
      core3: {slack: U0CORE3}
      nn1: {slack: U0NN1}
      nn2: {slack: U0NN2}
      nn3: {slack: U0NN3}
      jit1: {slack: U0JIT1}
    """)).config


@pytest.fixture
def tickets(make_uow):
    return TicketService(CONFIG, make_uow)


@pytest.fixture
def service(make_uow, tickets):
    return DecisionService(CONFIG, make_uow, tickets)


def outbox_kinds(make_uow, number):
    with make_uow() as uow:
        rows = uow.session.scalars(select(OutboxRow).where(OutboxRow.ticket_id == number).order_by(OutboxRow.id))
        return [row.kind for row in rows]


def test_a_vote_is_numbered_in_the_tickets_series_and_comes_back_as_it_went_in(service, tickets, make_uow):
    ticket = tickets.ask(asker="U0ASKER", kind=TicketKind.QUESTION, area="nn", text="How?", now=NOW)
    change = service.call(by="U0NN1", area="nn", proposal="Deprecate nn.Container", now=NOW)
    decision = change.decision
    assert decision.number == ticket.id + 1 and decision.state is State.VOTING
    assert decision.voters == ("nn1", "nn2", "nn3")
    service.cast(decision.number, by="U0NN2", choice=Choice.FOR, now=NOW + timedelta(hours=1))
    stored, history = service.get(decision.number)
    assert stored.ballots[0].voter == "nn2" and stored.ballots[0].choice is Choice.FOR
    assert stored.policy == decision.policy and stored.proposal == "Deprecate nn.Container"
    assert [event.kind for event in history] == ["called", "voted"]
    assert outbox_kinds(make_uow, decision.number) == ["decision.vote", "decision.refresh"]
    with make_uow() as uow:  # a decision is not a ticket, to anything that reads tickets
        assert uow.tickets.get(decision.number) is None
        assert [t.id for t in uow.tickets.opened_since(NOW - timedelta(days=1))] == [ticket.id]
        assert uow.tickets.claim_due(NOW + timedelta(days=30), 10)[0].id == ticket.id


def test_the_caller_area_is_inferred_or_asked_for(service):
    assert service.call(by="U0NN2", area=None, proposal="x", now=NOW).decision.area == "nn"
    assert service.call(by="U0CORE1", area=None, proposal="x", now=NOW).decision.kind is Kind.CORE
    with pytest.raises(UserError, match="Only a core maintainer or the lead"):
        service.call(by="U0NN2", area="core", proposal="x", now=NOW)
    with pytest.raises(UserError, match="You maintain jit, nn: name the area"):
        service.call(by="U0NN1", area=None, proposal="x", now=NOW)
    with pytest.raises(UserError, match="Only an area's maintainers"):
        service.call(by="U0STRANGER", area=None, proposal="x", now=NOW)
    with pytest.raises(UserError, match="There is no area 'vision'"):
        service.call(by="U0NN1", area="vision", proposal="x", now=NOW)


def test_bad_text_is_refused_and_nothing_is_written(service, make_uow):
    with pytest.raises(UserError, match="2,001 characters long; keep it to 2,000"):
        service.call(by="U0NN1", area="nn", proposal="x" * (PROPOSAL_MAX + 1), now=NOW)
    with pytest.raises(UserError, match="control character"):
        service.call(by="U0NN1", area="nn", proposal="a\x00b", now=NOW)
    with make_uow() as uow:
        assert uow.decisions.open() == []


def test_a_refused_ballot_changes_nothing(service, make_uow):
    number = service.call(by="U0NN1", area="nn", proposal="x", now=NOW).decision.number
    with pytest.raises(UserError, match="Only .* can vote"):
        service.cast(number, by="U0JIT1", choice=Choice.FOR, now=NOW)
    service.cast(number, by="U0NN1", choice=Choice.FOR, now=NOW)
    with pytest.raises(UserError, match="already voted For"):  # a retried click
        service.cast(number, by="U0NN1", choice=Choice.FOR, now=NOW)
    assert outbox_kinds(make_uow, number) == ["decision.vote", "decision.refresh"]
    with pytest.raises(UserError, match="There is no decision #99"):
        service.cast(99, by="U0NN1", choice=Choice.FOR, now=NOW)


def test_a_tie_goes_to_the_core_then_the_lead_whose_word_is_final(service, make_uow):
    number = service.call(by="U0JIT1", area="jit", proposal="Merge the frontends", now=NOW).decision.number
    service.cast(number, by="U0NN1", choice=Choice.FOR, now=NOW)
    change = service.cast(number, by="U0JIT1", choice=Choice.AGAINST, now=NOW)  # 1-1 with everyone voted: closes
    assert change.decision.level == "core" and change.decision.state is State.VOTING
    service.cast(number, by="U0CORE1", choice=Choice.FOR, now=NOW)
    service.cast(number, by="U0CORE2", choice=Choice.AGAINST, now=NOW)
    change = service.recuse(number, by="U0CORE3", now=NOW)
    assert change.decision.state is State.LEAD
    with pytest.raises(UserError, match="Only the lead"):
        service.lead_decides(number, by="U0CORE1", approve=True, rationale="r", now=NOW)
    change = service.lead_decides(number, by="U0LEAD", approve=False, rationale="Not now.", now=NOW)
    assert change.decision.state is State.FINAL and change.decision.outcome is Result.REJECTED
    assert "decision.published" in outbox_kinds(make_uow, number)
    with make_uow() as uow:  # every round's ballots kept, one per voter
        assert uow.session.scalar(select(func.count()).select_from(BallotRow)) == 5


def test_a_vote_on_a_ticket_resolves_it_with_the_rationale(service, tickets, make_uow):
    ticket = tickets.ask(asker="U0ASKER", kind=TicketKind.ESCALATION, area="nn", text="Which API?", now=NOW)
    number = service.call_on_ticket(ticket.id, by="U0NN1", now=NOW).decision.number
    with pytest.raises(UserError, match=f"#{number} is already the vote on #{ticket.id}"):
        service.call_on_ticket(ticket.id, by="U0NN1", now=NOW)
    for voter in ("U0NN1", "U0NN2"):
        service.cast(number, by=voter, choice=Choice.FOR, now=NOW)
    service.write_rationale(number, by="U0NN2", text="Two of three for.", now=NOW)
    with make_uow() as uow:
        resolved = uow.tickets.get(ticket.id)
    assert resolved.state is TicketState.RESOLVED and resolved.resolved_by == "nn2"
    assert resolved.resolution == f"Decided in #{number} (passed): Two of three for."


def test_a_ticket_resolved_by_a_vote_takes_the_outcome_it_was_revoted_to_and_its_asker_is_told(
        service, tickets, make_uow):
    ticket = tickets.ask(asker="U0ASKER", kind=TicketKind.ESCALATION, area="nn", text="Which API?", now=NOW)
    number = service.call_on_ticket(ticket.id, by="U0NN1", now=NOW).decision.number
    for voter in ("U0NN1", "U0NN2"):
        service.cast(number, by=voter, choice=Choice.FOR, now=NOW)
    service.write_rationale(number, by="U0NN2", text="Two of three for.", now=NOW)
    later = NOW + timedelta(hours=2)
    service.dispute(number, by="U0JIT1", reason="jit needs the old one", now=later)
    service.answer_dispute(number, by="U0NN1", uphold=False, explanation=None, now=later)
    for voter in ("U0NN1", "U0NN3"):
        service.cast(number, by=voter, choice=Choice.AGAINST, now=later)
    service.write_rationale(number, by="U0NN3", text="jit keeps it after all.", now=later)
    with make_uow() as uow:
        resolved = uow.tickets.get(ticket.id)
        history = uow.events.for_ticket(ticket.id)
    assert (resolved.state, resolved.resolved_at, resolved.resolved_by) == (TicketState.RESOLVED, NOW, "nn3")
    assert resolved.resolution == f"Decided in #{number} (rejected): jit keeps it after all."
    assert [(e.kind, e.data) for e in history if e.kind == "resolved"] == [
        ("resolved", {"decision": number}), ("resolved", {"decision": number, "again": True})]
    assert outbox_kinds(make_uow, ticket.id) == ["ping", "resolved", "refresh", "resolved", "refresh"], (
        "the asker hears the new outcome, and the ticket's copies show it")


def test_a_reopened_ticket_whose_vote_may_still_be_disputed_says_so_to_a_second_vote(service, tickets):
    ticket = tickets.ask(asker="U0ASKER", kind=TicketKind.ESCALATION, area="nn", text="Which API?", now=NOW)
    number = service.call_on_ticket(ticket.id, by="U0NN1", now=NOW).decision.number
    for voter in ("U0NN1", "U0NN2"):
        service.cast(number, by=voter, choice=Choice.FOR, now=NOW)
    service.write_rationale(number, by="U0NN2", text="Two of three for.", now=NOW)
    tickets.reopen(ticket.id, by="U0ASKER", now=NOW, reason="Still unclear")
    with pytest.raises(UserError) as refused:
        service.call_on_ticket(ticket.id, by="U0NN1", now=NOW)
    assert str(refused.value) == (f"#{number} already decided #{ticket.id} (passed) and may still be disputed: "
                                  f"`/dispute #{number} <reason>` challenges it, and `/status #{number}` says until "
                                  "when.")


def test_a_deadline_passed_while_down_closes_the_vote_once(service, make_uow):
    number = service.call(by="U0NN1", area="nn", proposal="x", now=NOW).decision.number
    service.cast(number, by="U0NN1", choice=Choice.FOR, now=NOW)
    later = NOW + timedelta(days=5)  # past the 2d deadline, the 1d rationale window and beyond
    service.sweep_due(later)
    service.sweep_due(later)
    decision, history = service.get(number)
    kinds = [event.kind for event in history]
    assert kinds.count("closed") == 1 and decision.level == "core"  # quorum missed: the core votes
    closed = next(event for event in history if event.kind == "closed")
    assert closed.data["late"] is True


def test_listing_and_waiting_on(service):
    first = service.call(by="U0NN1", area="nn", proposal="one", now=NOW).decision.number
    second = service.call(by="U0NN1", area="nn", proposal="two", now=NOW).decision.number
    for voter in ("U0NN1", "U0NN2"):
        service.cast(second, by=voter, choice=Choice.FOR, now=NOW)
    service.write_rationale(second, by="U0NN1", text="why", now=NOW)
    listing = service.listing("nn")
    assert [d.number for d in listing.open] == [first] and [d.number for d in listing.recent] == [second]
    assert [d.number for d in service.waiting_on("U0NN3")] == [first]
    assert service.waiting_on("U0JIT1") == []  # not an nn maintainer
    assert [d.number for d, _ in service.log(NOW - timedelta(days=1))] == [second, first]


def test_two_sweepers_close_the_same_500_due_votes_each_exactly_once(service, make_uow, database_url):
    for index in range(500):
        service.call(by="U0NN1", area="nn", proposal=f"proposal {index}", now=NOW)
    later = NOW + timedelta(days=2, minutes=1)
    engines = [make_engine(database_url) for _ in range(2)]
    try:
        sweepers = [DecisionService(CONFIG, _units_of(engine), TicketService(CONFIG, make_uow)) for engine in engines]
        errors = []

        def sweep(sweeper):
            try:
                sweeper.sweep_due(later, batch=50)
            except Exception as error:  # noqa: BLE001
                errors.append(error)

        threads = [threading.Thread(target=sweep, args=(sweeper,)) for sweeper in sweepers]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert errors == []
    finally:
        for engine in engines:
            engine.dispose()
    with make_uow() as uow:
        votes = select(func.count()).select_from(OutboxRow).where(OutboxRow.kind == "decision.vote")
        closes = uow.session.scalar(votes)
        decisions = uow.decisions.open()
    assert closes == 1000  # 500 module votes called, then 500 core votes opened once each
    assert all(d.level == "core" and len(d.rounds) == 2 for d in decisions)


def _units_of(engine):
    factory = make_session_factory(engine)
    return lambda **options: SqlUnitOfWork(factory, **options)
