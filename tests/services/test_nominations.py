"""The nomination use cases against a real database: each one transaction, the review once, and a
confirmed nomination's change to the hierarchy stored once, in the transaction that publishes its vote."""

import threading
from datetime import UTC, datetime, timedelta
from textwrap import dedent

import pytest
from sqlalchemy import func, select

from bot.config import load_config_text
from bot.domain import nominations as rules
from bot.domain.decision_policy import Rule
from bot.domain.decision_record import Kind
from bot.domain.errors import Refusal
from bot.domain.hierarchy import ChangeKind
from bot.domain.nomination_record import CORE, Action, State
from bot.domain.tally import Choice
from bot.services.decisions import DecisionService
from bot.services.nominations import NominationService
from bot.services.tickets import TicketService
from storage.engine import make_engine, make_session_factory
from storage.tables import OutboxRow
from storage.unit_of_work import SqlUnitOfWork

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
DAY = timedelta(days=1)
QUARTER = timedelta(weeks=13)
CONFIG = load_config_text(dedent("""\
    project: Acme
    lead: lead
    core: {maintainers: [core1, core2, core3, core4]}
    sla:
      question: {ack: 1d, resolve: 7d}
      reminders: [0.5]
    decisions: {core: {duration: 4d}, rationale_within: 1d}
    governance: {review_every: 13w, inactive_after: 26w, lead_removal: 0.75}
    areas:
      - key: nn
        aliases: [torch.nn]
        maintainers: [nn1, nn2, nn3]
        governance: {inactive_after: 4w}
      - key: jit
        maintainers: [jit1]
    people:
      lead: {slack: U0LEAD}
      core1: {slack: U0CORE1}
      core2: {slack: U0CORE2}
      core3: {slack: U0CORE3}
      core4: {slack: U0CORE4}
      nn1: {slack: U0NN1}
      nn2: {slack: U0NN2}
      nn3: {slack: U0NN3}
      jit1: {slack: U0JIT1}
      kshitij: {slack: U0KSH, name: Kshitij K}
    """)).config


def build(make_uow, last_active=None):
    tickets = TicketService(CONFIG, make_uow)
    decisions = DecisionService(CONFIG, make_uow, tickets)
    nominations = NominationService(CONFIG, make_uow, decisions, tickets,
                                    last_active=lambda now: last_active or {})
    return nominations, decisions


@pytest.fixture
def services(make_uow):
    return build(make_uow)


def outbox(make_uow, prefix="nomination."):
    """The notices written, in order (the refreshes of kept messages left out)."""
    with make_uow() as uow:
        rows = uow.session.scalars(select(OutboxRow).where(OutboxRow.kind.startswith(prefix)).order_by(OutboxRow.id))
        return [(row.kind, row.ticket_id) for row in rows if row.kind != "nomination.refresh"]


def count(make_uow, kind):
    with make_uow() as uow:
        return uow.session.scalar(select(func.count()).select_from(OutboxRow).where(OutboxRow.kind == kind))


# -- nominating -----------------------------------------------------------------------------------


def test_every_commit_wakes_the_outbox_even_with_no_deadline_to_set(make_uow):
    woken = []
    tickets = TicketService(CONFIG, make_uow)
    decisions = DecisionService(CONFIG, make_uow, tickets)
    nominations = NominationService(CONFIG, make_uow, decisions, tickets, on_commit=woken.append,
                                    last_active=lambda now: {})
    nominations.nominate(by="U0FAN", person="U0KSH", target="nn", reason="Reviews", now=NOW)
    nominations.start_review(by="U0CORE1", now=NOW)
    assert woken == [None, None]  # the nominee's DM and the slate go out now, not at the outbox's next pass


def test_a_nomination_is_numbered_and_a_duplicate_joins_it(services, make_uow):
    nominations, _ = services
    first = nominations.nominate(by="U0FAN", person="U0KSH", target="torch.nn", reason="Reviews", now=NOW)
    number = first.nomination.number
    assert (first.nomination.person, first.nomination.target) == ("kshitij", "nn")  # people keys, area keys
    again = nominations.nominate(by="U0NN1", person="kshitij", target="nn", reason="Design docs", now=NOW + DAY)
    assert again.nomination.number == number
    stored, history = nominations.get(number)
    assert [(n.by, n.reason) for n in stored.nominators] == [("U0FAN", "Reviews"), ("nn1", "Design docs")]
    assert [event.kind for event in history] == ["nominated", "joined"]
    assert outbox(make_uow) == [("nomination.nominated", number)]  # the nominee is told once
    assert [n.number for n in nominations.listing("nn")] == [number]
    other = nominations.nominate(by="U0FAN", person="U0KSH", target="jit", reason=None, now=NOW)
    assert other.nomination.number != number  # another target is another nomination


def test_a_refusal_stores_nothing(services, make_uow):
    nominations, _ = services
    with pytest.raises(Refusal, match="Only core and module maintainers"):
        nominations.nominate(by="U0FAN", person="U0KSH", target="core", reason=None, now=NOW)
    with pytest.raises(Refusal, match="There is no area 'vision'"):
        nominations.nominate(by="U0FAN", person="U0KSH", target="vision", reason=None, now=NOW)
    assert nominations.listing() == [] and outbox(make_uow) == []


def test_two_people_nominating_the_same_at_once_make_one_nomination(make_uow, database_url):
    engines = [make_engine(database_url) for _ in range(2)]
    try:
        services = [build(_units_of(engine))[0] for engine in engines]
        errors = []

        def nominate(service, by):
            try:
                service.nominate(by=by, person="kshitij", target="nn", reason=f"from {by}", now=NOW)
            except Exception as error:  # noqa: BLE001
                errors.append(error)

        _together([lambda s=service, by=by: nominate(s, by)
                   for service, by in zip(services, ("nn1", "nn2"), strict=True)])
        assert errors == []
    finally:
        for engine in engines:
            engine.dispose()
    [only] = build(make_uow)[0].listing()
    assert sorted(n.by for n in only.nominators) == ["nn1", "nn2"]


def test_a_nomination_opened_meanwhile_by_another_transaction_is_joined(make_uow, database_url, migrated_engine):
    if migrated_engine.dialect.name != "postgresql":
        pytest.skip("SQLite has one writer at a time: a second nomination always sees the first")
    nominations, _ = build(make_uow)
    first = make_uow()
    uow = first.__enter__()
    errors = []

    def nominate():
        try:
            nominations.nominate(by="U0NN2", person="kshitij", target="nn", reason="second", now=NOW)
        except Exception as error:  # noqa: BLE001
            errors.append(error)

    try:  # opened by another transaction, not yet committed: the service's insert waits on its key
        opened = rules.nominate(action=Action.ADD, person="kshitij", target="nn", by="nn1", reason="first",
                                groups=nominations.groups, now=NOW)
        number = uow.nominations.add(opened.nomination).number
        thread = threading.Thread(target=nominate)
        thread.start()
        _until_someone_waits_on_a_lock(migrated_engine)
        uow.commit()
    finally:
        first.__exit__(None, None, None)
    thread.join()
    assert errors == []
    [only] = nominations.listing()
    assert only.number == number and [n.reason for n in only.nominators] == ["first", "second"]


# -- the review -----------------------------------------------------------------------------------


def test_the_first_sweep_schedules_the_review_a_period_later(services):
    nominations, _ = services
    assert nominations.sweep_due(NOW) == NOW + QUARTER
    assert nominations.sweep_due(NOW + DAY) == NOW + QUARTER  # made once
    assert nominations.slate().schedule.last_started_at is None


def test_two_sweepers_hold_the_due_review_once(services, make_uow, database_url):
    nominations, _ = services
    nominations.sweep_due(NOW)
    numbers = [nominations.nominate(by="U0FAN", person=f"person{i}", target="nn", reason=None, now=NOW)
               .nomination.number for i in range(3)]
    later = NOW + QUARTER + timedelta(minutes=1)
    engines = [make_engine(database_url) for _ in range(2)]
    try:
        sweepers = [build(_units_of(engine))[0] for engine in engines]
        errors = []

        def sweep(sweeper):
            try:
                sweeper.sweep_due(later)
            except Exception as error:  # noqa: BLE001
                errors.append(error)

        _together([lambda s=sweeper: sweep(s) for sweeper in sweepers])
        assert errors == []
    finally:
        for engine in engines:
            engine.dispose()
    assert count(make_uow, "nomination.review") == 1
    slate = nominations.slate()
    assert [n.number for n in slate.nominations] == numbers
    assert slate.schedule.next_due_at == later + QUARTER and slate.schedule.last_started_by == "upline"
    assert all([e.kind for e in nominations.get(n)[1]] == ["nominated", "in_review"] for n in numbers)


def test_a_review_missed_during_downtime_is_held_once_and_the_next_counts_from_it(services, make_uow):
    nominations, _ = services
    nominations.sweep_due(NOW)
    back = NOW + 3 * QUARTER  # two reviews' worth of downtime
    assert nominations.sweep_due(back) == back + QUARTER
    assert nominations.sweep_due(back + DAY) == back + QUARTER
    assert count(make_uow, "nomination.review") == 1


def test_the_review_suggests_the_inactive_for_emeritus(make_uow):
    seen = {"nn1": NOW - 5 * 7 * DAY, "nn2": NOW - DAY, "core3": NOW - 30 * 7 * DAY, "jit1": NOW - 5 * 7 * DAY}
    nominations, _ = build(make_uow, last_active=seen)
    review = nominations.start_review(by="U0CORE1", now=NOW)
    suggested = [(c.nomination.person, c.nomination.target, c.nomination.emeritus) for c in review.slate]
    assert suggested == [("nn1", "nn", True), ("core3", CORE, True)]  # jit1 is within jit's 26 weeks
    assert all(c.nomination.number for c in review.slate)
    assert sorted(kind for kind, _ in outbox(make_uow)) == ["nomination.nominated", "nomination.nominated",
                                                            "nomination.review", "nomination.slate",
                                                            "nomination.slate"]  # one message each
    assert nominations.slate().schedule.next_due_at == NOW + QUARTER
    with pytest.raises(Refusal, match="Only a core maintainer"):
        nominations.start_review(by="U0NN1", now=NOW)


# -- asking, answering, desk-rejecting ------------------------------------------------------------


def on_slate(nominations, person="kshitij", target="nn", action=Action.ADD, by="U0FAN"):
    number = nominations.nominate(by=by, person=person, target=target, reason="Reviews", now=NOW,
                                  action=action).nomination.number
    nominations.start_review(by="U0CORE1", now=NOW)
    return number


def test_the_asked_are_reminded_and_the_core_told_when_the_window_ends(services, make_uow):
    nominations, _ = services
    number = on_slate(nominations)
    asked = nominations.ask_maintainers(number, by="U0CORE1", now=NOW).nomination
    assert asked.ask.due_at == NOW + 4 * DAY  # the core's vote duration
    nominations.answer(number, by="U0NN1", depth="Owns nn.init", breadth="nn", testimonials=None, support=True,
                       now=NOW + DAY)
    assert [n.number for n in nominations.asked_of("U0NN2")] == [number] and nominations.asked_of("U0NN1") == []
    assert nominations.sweep_due(NOW + 2 * DAY) == NOW + 4 * DAY  # the reminder at 50%, then the window's end
    nominations.sweep_due(NOW + 4 * DAY)
    nominations.sweep_due(NOW + 5 * DAY)
    kinds = [kind for kind, _ in outbox(make_uow) if kind != "nomination.review"]
    assert kinds == ["nomination.nominated", "nomination.slate", "nomination.ask", "nomination.answer_reminder",
                     "nomination.answers_in"]


def test_a_desk_rejection_is_published(services, make_uow):
    nominations, _ = services
    number = on_slate(nominations)
    closed = nominations.desk_reject(number, by="U0CORE2", reason="Too early", now=NOW).nomination
    assert closed.state is State.DESK_REJECTED and nominations.slate().nominations == []
    assert outbox(make_uow)[-2:] == [("nomination.published", number), ("nomination.outcome", number)]


# -- the vote and its outcome ---------------------------------------------------------------------


def hierarchy(make_uow):
    with make_uow() as uow:
        return uow.hierarchy.all()


def test_a_nomination_voted_and_confirmed_makes_exactly_one_change_to_the_hierarchy(services, make_uow):
    nominations, decisions = services
    number = on_slate(nominations)
    change, vote = nominations.call_vote(number, by="U0CORE1", now=NOW + DAY)
    decision = vote.decision
    assert (decision.kind, decision.area, change.nomination.decision) == (Kind.CORE, "nn", decision.number)
    assert decision.proposal.startswith(f"Nomination #{number}: add Kshitij K to the nn maintainers.")
    for voter in ("U0CORE1", "U0CORE2", "U0CORE3"):
        decisions.cast(decision.number, by=voter, choice=Choice.FOR, now=NOW + DAY)
    assert nominations.get(number)[0].state is State.VOTING  # decided, but not published yet
    decisions.write_rationale(decision.number, by="U0CORE1", text="Strong nn reviews", now=NOW + 2 * DAY)
    confirmed = nominations.get(number)[0]
    assert (confirmed.state, confirmed.reason) == (State.CONFIRMED, "Strong nn reviews")
    [stored] = hierarchy(make_uow)
    assert (stored.kind, stored.person, stored.area, stored.decided_in) == (
        ChangeKind.ADD_MAINTAINER, "kshitij", "nn", decision.number)
    assert stored.slack == "U0KSH" and confirmed.change == stored
    decisions.sweep_due(NOW + 30 * DAY)  # nothing later decides it again
    assert len(hierarchy(make_uow)) == 1
    assert ("nomination.published", number) in outbox(make_uow)


def test_the_lead_decides_a_core_nomination(services, make_uow):
    nominations, decisions = services
    number = on_slate(nominations, person="nn1", target="core", by="U0NN2")
    _, vote = nominations.call_vote(number, by="U0CORE1", now=NOW)
    assert vote.decision.kind is Kind.LEAD
    decisions.lead_decides(vote.decision.number, by="U0LEAD", approve=True, rationale="Leads nn", now=NOW + DAY)
    [stored] = hierarchy(make_uow)
    assert (stored.kind, stored.person, stored.area) == (ChangeKind.ADD_MAINTAINER, "nn1", None)


def test_a_rejected_nomination_changes_nothing(services, make_uow):
    nominations, decisions = services
    number = on_slate(nominations)
    _, vote = nominations.call_vote(number, by="U0CORE1", now=NOW)
    for voter in ("U0CORE1", "U0CORE2", "U0CORE3"):
        decisions.cast(vote.decision.number, by=voter, choice=Choice.AGAINST, now=NOW)
    decisions.write_rationale(vote.decision.number, by="U0CORE1", text="Not yet", now=NOW)
    assert nominations.get(number)[0].state is State.REJECTED and hierarchy(make_uow) == []


def test_removing_the_lead_counts_all_the_core_not_those_voting(services, make_uow):
    nominations, decisions = services
    number = on_slate(nominations, person="lead", target="core", action=Action.REMOVE, by="U0CORE1")
    _, vote = nominations.call_vote(number, by="U0CORE1", now=NOW)
    assert vote.decision.current.policy.rule is Rule.SHARE_OF_ALL
    for voter in ("U0CORE1", "U0CORE2"):  # all who voted are For, but they are half the core
        decisions.cast(vote.decision.number, by=voter, choice=Choice.FOR, now=NOW)
    decisions.sweep_due(NOW + 4 * DAY)  # the deadline: rejected, not a no decision for the lead to rule on
    closed, _ = decisions.get(vote.decision.number)
    assert closed.outcome.value == "rejected" and closed.level == "core"
    decisions.write_rationale(vote.decision.number, by="U0CORE2", text="Not enough of the core", now=NOW + 4 * DAY)
    assert nominations.get(number)[0].state is State.REJECTED

    again = on_slate(nominations, person="lead", target="core", action=Action.REMOVE, by="U0CORE1")
    _, vote = nominations.call_vote(again, by="U0CORE2", now=NOW + 5 * DAY)
    for voter in ("U0CORE1", "U0CORE2", "U0CORE3"):  # 3 of all 4: closes at once
        decisions.cast(vote.decision.number, by=voter, choice=Choice.FOR, now=NOW + 5 * DAY)
    decisions.write_rationale(vote.decision.number, by="U0CORE1", text="Lost the core's trust", now=NOW + 5 * DAY)
    removed = nominations.get(again)[0]
    assert removed.state is State.CONFIRMED and hierarchy(make_uow) == []  # the seat is vacant; an election fills it
    assert ("nomination.lead_vacant", again) in outbox(make_uow)


def test_nominations_stay_out_of_the_tickets_sweep(services, make_uow):
    nominations, _ = services
    number = on_slate(nominations)
    nominations.ask_maintainers(number, by="U0CORE1", now=NOW)
    with make_uow() as uow:
        assert uow.tickets.earliest_due() is None and uow.nominations.earliest_due() == NOW + 2 * DAY


def _until_someone_waits_on_a_lock(engine, tries=500):
    from sqlalchemy import text

    for _ in range(tries):
        with engine.connect() as connection:
            if connection.scalar(text("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                                      "AND query LIKE 'INSERT INTO nominations%'")):
                return
        threading.Event().wait(0.01)
    raise AssertionError("nobody waited on the lock")


def _together(actions):
    threads = [threading.Thread(target=action) for action in actions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def _units_of(engine):
    factory = make_session_factory(engine)
    return lambda **options: SqlUnitOfWork(factory, **options)
