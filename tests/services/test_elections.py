"""The election use cases against a real database: `/elect lead` opens one only when the seat is vacant
and none is open (even two at once), standing and ranking are one transaction each and safe to retry,
the sweeper moves the phases on once however many sweep, and the new lead's change is stored once."""

import threading
from datetime import UTC, datetime, timedelta
from textwrap import dedent

import pytest
from sqlalchemy import select

from bot.app import sweep_all
from bot.config import load_config_text
from bot.domain.election_record import Failure, Phase, Vacancy
from bot.domain.errors import Refusal, UserError
from bot.domain.hierarchy import ChangeKind
from bot.domain.nomination_record import CORE, Action, Nomination, Nominator, State
from bot.services.decisions import DecisionService
from bot.services.elections import ElectionService
from bot.services.tickets import TicketService
from storage.engine import make_engine, make_session_factory
from storage.repositories import LOW, NORMAL, URGENT
from storage.tables import OutboxRow
from storage.unit_of_work import SqlUnitOfWork

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
DAY = timedelta(days=1)
CORE_MAINTAINERS = ("core1", "core2", "core3", "core4")
CONFIG = load_config_text(dedent("""\
    project: Acme
    lead: lead
    core: {maintainers: [core1, core2, core3, core4]}
    sla:
      question: {ack: 1d, resolve: 7d}
      reminders: [0.5]
    decisions: {core: {duration: 4d}}
    governance: {review_every: 13w}
    areas:
      - key: nn
        maintainers: [nn1]
    people:
      lead: {slack: U0LEAD}
      core1: {slack: U0CORE1}
      core2: {slack: U0CORE2}
      core3: {slack: U0CORE3}
      core4: {slack: U0CORE4}
      nn1: {slack: U0NN1}
    """)).config


def build(make_uow) -> ElectionService:
    tickets = TicketService(CONFIG, make_uow)
    return ElectionService(CONFIG, make_uow, DecisionService(CONFIG, make_uow, tickets), tickets)


@pytest.fixture
def elections(make_uow):
    return build(make_uow)


def outbox(make_uow, refreshes=False):
    """The election rows written, in order: (kind, #N, priority)."""
    with make_uow() as uow:
        rows = uow.session.scalars(select(OutboxRow).where(OutboxRow.kind.startswith("election."))
                                   .order_by(OutboxRow.id))
        return [(row.kind, row.ticket_id, row.priority) for row in rows
                if refreshes or row.kind != "election.refresh"]


def payloads(make_uow, kind):
    with make_uow() as uow:
        return list(uow.session.scalars(select(OutboxRow.payload).where(OutboxRow.kind == kind).order_by(OutboxRow.id)))


def hierarchy(make_uow):
    with make_uow() as uow:
        return uow.hierarchy.all()


def lead_removed(make_uow, at=NOW - DAY):
    """A confirmed `/nominate remove @lead core`, as its published vote leaves it."""
    with make_uow() as uow:
        uow.nominations.add(Nomination(Action.REMOVE, "lead", CORE, (Nominator("core1", "Gone", at),),
                                       State.CONFIRMED, at, of_lead=True, closed_at=at, closed_by="core1"))
        uow.commit()


def stood(elections, number, answers, now=NOW):
    for voter, stands in answers.items():
        elections.stand(number, by=voter, stands=stands, now=now)


# -- opening ----------------------------------------------------------------------------------------


def test_the_lead_stepping_down_opens_the_election(elections, make_uow):
    opened = elections.open(by="U0LEAD", now=NOW).election
    assert (opened.vacancy, opened.previous_lead, opened.opened_by) == (Vacancy.STEPPED_DOWN, "lead", "lead")
    assert opened.voters == CORE_MAINTAINERS and opened.phase is Phase.STANDING
    assert opened.stand_until == NOW + 4 * DAY and opened.policy.duration == 4 * DAY  # the core's vote policy
    assert opened.next_due_at == NOW + 2 * DAY  # the reminder at 50%
    number = opened.number
    assert elections.current() == opened == elections.latest() and elections.is_election(number)
    election, history = elections.get(number)
    assert election == opened and [event.kind for event in history] == ["election_opened"]
    assert outbox(make_uow, refreshes=True) == [("election.opened", number, URGENT)]  # new: nothing to refresh
    [sent] = payloads(make_uow, "election.opened")
    assert sent == {"election": number, "to": list(CORE_MAINTAINERS), "level": "core",
                    "data": {"by": "lead", "vacancy": "stepped_down", "previous_lead": "lead",
                             "stand_until": (NOW + 4 * DAY).isoformat()}}


def test_a_confirmed_removal_of_the_lead_leaves_the_seat_vacant_until_a_lead_is_elected(elections, make_uow):
    lead_removed(make_uow)
    opened = elections.open(by="U0CORE1", now=NOW).election
    assert (opened.vacancy, opened.previous_lead, opened.voters) == (Vacancy.REMOVED, "lead", CORE_MAINTAINERS)
    stood(elections, opened.number, {"core1": True, "core2": False, "core3": False, "core4": False})
    assert elections.get(opened.number)[0].winner == "core1"  # unopposed
    # The removal was before that election, whose winner app.yaml does not name yet: no second election.
    with pytest.raises(UserError, match="elected core1 as the lead; app.yaml does not say so yet"):
        elections.open(by="U0CORE2", now=NOW + DAY)


def test_the_lead_away_longer_than_a_review_period_leaves_the_seat_vacant(elections, make_uow):
    elections.tickets.set_away("U0LEAD", NOW + 2 * 7 * DAY, by="U0LEAD", now=NOW)
    with pytest.raises(Refusal, match="not vacant"):  # two weeks: back well within a review period
        elections.open(by="U0CORE1", now=NOW)
    elections.tickets.set_away("U0LEAD", NOW + 14 * 7 * DAY, by="U0LEAD", now=NOW)
    opened = elections.open(by="U0CORE2", now=NOW).election
    assert (opened.vacancy, opened.previous_lead, opened.opened_by) == (Vacancy.UNAVAILABLE, "lead", "core2")
    assert "lead" not in opened.voters


def test_refusals_store_nothing(elections, make_uow):
    with pytest.raises(Refusal, match="not vacant"):
        elections.open(by="U0CORE1", now=NOW)
    with pytest.raises(Refusal, match="Only the core maintainers elect the lead"):
        elections.open(by="U0NN1", now=NOW)
    assert elections.latest() is None and outbox(make_uow) == []
    number = elections.open(by="U0LEAD", now=NOW).election.number
    with pytest.raises(UserError, match=f"#{number} is already electing the lead"):
        elections.open(by="U0LEAD", now=NOW + DAY)
    with pytest.raises(UserError, match="There is no election #999"):
        elections.stand(999, by="U0CORE1", stands=True, now=NOW)
    assert outbox(make_uow) == [("election.opened", number, URGENT)]


def test_two_opening_at_once_make_one_election(make_uow, database_url):
    engines = [make_engine(database_url) for _ in range(2)]
    outcomes = []
    try:
        services = [build(_units_of(engine)) for engine in engines]

        def open_one(service):
            try:
                outcomes.append(service.open(by="U0LEAD", now=NOW).election.number)
            except UserError as error:
                outcomes.append(error)

        _together([lambda s=service: open_one(s) for service in services])
    finally:
        for engine in engines:
            engine.dispose()
    [number] = [outcome for outcome in outcomes if isinstance(outcome, int)]
    [refused] = [outcome for outcome in outcomes if not isinstance(outcome, int)]
    assert f"#{number} is already electing the lead" in str(refused)
    assert len(outbox(make_uow)) == 1


def test_a_failed_election_lets_another_open(elections, make_uow):
    number = elections.open(by="U0LEAD", now=NOW).election.number
    stood(elections, number, dict.fromkeys(CORE_MAINTAINERS, False))
    failed = elections.get(number)[0]
    assert (failed.phase, failed.failure, failed.next_due_at) == (Phase.FAILED, Failure.NOBODY_STOOD, None)
    assert elections.current() is None
    assert outbox(make_uow)[-1] == ("election.failed", number, NORMAL)
    assert elections.open(by="U0LEAD", now=NOW + DAY).election.number != number


# -- standing and ranking -------------------------------------------------------------------------


def test_standing_and_ranking_elect_a_lead_whose_change_is_stored_once(elections, make_uow):
    number = elections.open(by="U0LEAD", now=NOW).election.number
    elections.stand(number, by="U0CORE1", stands=True, now=NOW)
    again = elections.stand(number, by="U0CORE1", stands=True, now=NOW + timedelta(seconds=1))  # a retried click
    assert again.events == [] and again.notices == []
    stood(elections, number, {"core2": True, "core3": False, "core4": False})
    voting = elections.get(number)[0]
    assert (voting.phase, voting.candidates) == (Phase.VOTING, ("core1", "core2"))  # everyone answered
    elections.cast(number, by="U0CORE3", ranking=["U0CORE2", "core1"], now=NOW + DAY)  # Slack IDs or keys
    assert elections.get(number)[0].poll.ballot_of("core3").ranking == ("core2", "core1")
    retried = elections.cast(number, by="U0CORE3", ranking=["core2", "core1"], now=NOW + DAY)
    assert retried.events == []
    with pytest.raises(Refusal, match="Only the core maintainers who elect the lead can vote"):
        elections.cast(number, by="U0NN1", ranking=["core1"], now=NOW + DAY)
    for voter in ("U0CORE1", "U0CORE2", "U0CORE4"):
        elections.cast(number, by=voter, ranking=["core2"], now=NOW + DAY)
    elected, history = elections.get(number)
    assert (elected.phase, elected.winner, elected.next_due_at) == (Phase.ELECTED, "core2", None)
    [stored] = hierarchy(make_uow)
    assert (stored.kind, stored.person, stored.area, stored.decided_in, stored.slack) == (
        ChangeKind.NEW_LEAD, "core2", None, number, "U0CORE2")
    assert elected.change == stored
    assert [event.kind for event in history].count("elected") == 1
    elections.sweep_due(NOW + 30 * DAY)  # nothing later elects again
    assert len(hierarchy(make_uow)) == 1
    with pytest.raises(UserError, match="`upline governance apply` writes it") as refused:
        elections.open(by="U0LEAD", now=NOW + 2 * DAY)  # the old lead, still lead in app.yaml, cannot unseat them
    assert refused.value.people == {"winner": "core2"}
    assert outbox(make_uow) == [("election.opened", number, URGENT), ("election.ballot", number, URGENT),
                                ("election.elected", number, NORMAL)]
    # one refresh after each visible change: 4 answers, 4 ballots (the retries wrote none)
    assert [kind for kind, _, _ in outbox(make_uow, refreshes=True)].count("election.refresh") == 8
    assert all(priority == LOW for kind, _, priority in outbox(make_uow, refreshes=True) if kind == "election.refresh")


# -- the sweeper ----------------------------------------------------------------------------------


def test_the_sweep_reminds_then_opens_the_ballot_then_closes_it(elections, make_uow):
    number = elections.open(by="U0LEAD", now=NOW).election.number
    stood(elections, number, {"core1": True, "core2": True})
    assert elections.sweep_due(NOW + 2 * DAY) == NOW + 4 * DAY  # the stand reminder, then standing's end
    assert payloads(make_uow, "election.stand_reminder")[0]["to"] == ["core3", "core4"]
    assert elections.sweep_due(NOW + 4 * DAY) == NOW + 6 * DAY  # the ballot is open, its reminder next
    assert elections.get(number)[0].phase is Phase.VOTING
    elections.cast(number, by="U0CORE1", ranking=["core1"], now=NOW + 5 * DAY)
    elections.sweep_due(NOW + 6 * DAY)
    assert payloads(make_uow, "election.vote_reminder")[0]["to"] == ["core2", "core3", "core4"]
    assert elections.sweep_due(NOW + 8 * DAY) is None
    assert elections.get(number)[0].winner == "core1"
    assert [kind for kind, _, _ in outbox(make_uow)] == [
        "election.opened", "election.stand_reminder", "election.ballot", "election.vote_reminder", "election.elected"]


def test_deadlines_passed_while_down_close_each_phase_once(elections, make_uow):
    number = elections.open(by="U0LEAD", now=NOW).election.number
    stood(elections, number, {"core1": True, "core2": True})
    back = NOW + 20 * DAY  # standing's reminder and end both passed
    assert elections.sweep_due(back) == back + 2 * DAY
    election, history = elections.get(number)
    assert election.phase is Phase.VOTING and election.poll.opened_at == back
    kinds = [event.kind for event in history]
    assert kinds[-3:] == ["reminder_skipped", "standing_closed", "ballot_opened"]
    assert elections.sweep_due(back + 30 * DAY) is None  # nobody ranked: the poll fails the election, once
    assert elections.sweep_due(back + 31 * DAY) is None
    assert elections.get(number)[0].failure is Failure.NO_BALLOTS
    assert [kind for kind, _, _ in outbox(make_uow)] == ["election.opened", "election.ballot", "election.failed"]


def test_sweepers_together_move_each_phase_on_once(elections, make_uow, database_url):
    number = elections.open(by="U0LEAD", now=NOW).election.number
    stood(elections, number, {"core1": True, "core2": True, "core3": False})  # core4 never answers
    engines = [make_engine(database_url) for _ in range(4)]
    errors = []
    try:
        sweepers = [build(_units_of(engine)) for engine in engines]

        def sweep(sweeper, moments):
            try:
                for moment in moments:
                    sweeper.sweep_due(moment)
            except Exception as error:  # noqa: BLE001
                errors.append(error)

        _together([lambda s=sweeper: sweep(s, (NOW + 2 * DAY, NOW + 4 * DAY)) for sweeper in sweepers])
        assert elections.get(number)[0].phase is Phase.VOTING
        elections.cast(number, by="U0CORE3", ranking=["core2"], now=NOW + 5 * DAY)
        _together([lambda s=sweeper: sweep(s, (NOW + 6 * DAY, NOW + 7 * DAY, NOW + 8 * DAY)) for sweeper in sweepers])
    finally:
        for engine in engines:
            engine.dispose()
    assert errors == []
    assert elections.get(number)[0].winner == "core2"
    assert [kind for kind, _, _ in outbox(make_uow)] == [
        "election.opened", "election.stand_reminder", "election.ballot", "election.vote_reminder", "election.elected"]
    assert len(hierarchy(make_uow)) == 1


def test_sweep_all_sweeps_the_elections_too(elections, make_uow):
    number = elections.open(by="U0LEAD", now=NOW).election.number
    assert sweep_all(elections.tickets, elections.decisions, NOW + DAY, elections=elections) == NOW + 2 * DAY
    sweep_all(elections.tickets, elections.decisions, NOW + 5 * DAY, elections=elections)
    assert elections.get(number)[0].failure is Failure.NOBODY_STOOD


def _together(actions):
    threads = [threading.Thread(target=action) for action in actions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def _units_of(engine):
    factory = make_session_factory(engine)
    return lambda **options: SqlUnitOfWork(factory, **options)
