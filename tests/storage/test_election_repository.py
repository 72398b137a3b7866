"""Elections in storage: numbered in the #N series, back exactly as they went in, only one open at a time
(even when two transactions open one at once), their deadlines claimed once, out of the tickets' queries."""

import threading
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from bot.domain.decision_policy import Rule, VotePolicy
from bot.domain.election_record import Candidacy, Election, Failure, Phase, Poll, RankedBallot, Vacancy
from bot.domain.hierarchy import ChangeKind, HierarchyChange
from storage.election_repository import ElectionTaken
from tests.storage.conftest import make_ticket

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)
DAY = timedelta(days=1)
POLICY = VotePolicy(rule=Rule.SUPERMAJORITY, quorum=0.6, duration=timedelta(days=5, hours=1, seconds=30),
                    rationale_within=timedelta(days=2), veto_window=timedelta(days=3), reminders=(0.25, 0.75))


def election(**overrides) -> Election:
    fields = {"vacancy": Vacancy.REMOVED, "previous_lead": "soumith", "opened_by": "ezyang", "opened_at": NOW,
              "voters": ("ezyang", "gchanan", "malfet"), "stand_until": NOW + 5 * DAY, "policy": POLICY,
              "next_due_at": NOW + DAY}
    return Election(**(fields | overrides))


def full() -> Election:
    """One with every field set: stood, a tied poll, a second poll among the tied, elected."""
    first = Poll(("ezyang", "gchanan"), NOW + 2 * DAY, NOW + 7 * DAY,
                 ballots=(RankedBallot("malfet", ("ezyang", "gchanan"), NOW + 3 * DAY),
                          RankedBallot("ezyang", ("gchanan",), NOW + 4 * DAY)),
                 reminders_sent=2, closed_at=NOW + 7 * DAY, early=False)
    second = Poll(("ezyang", "gchanan"), NOW + 7 * DAY, NOW + 12 * DAY,
                  ballots=(RankedBallot("gchanan", ("ezyang", "gchanan"), NOW + 8 * DAY),), reminders_sent=1,
                  closed_at=NOW + 9 * DAY, early=True)
    change = HierarchyChange(ChangeKind.NEW_LEAD, "ezyang", None, decided_in=57, decided_at=NOW + 9 * DAY,
                             name="Edward Z. Yang", slack="U0EZYANG", id=4, applied_at=NOW + 10 * DAY)
    return election(vacancy=Vacancy.STEPPED_DOWN, previous_lead=None, phase=Phase.ELECTED,
                    candidacies=(Candidacy("ezyang", True, NOW), Candidacy("gchanan", True, NOW + DAY),
                                 Candidacy("malfet", False, NOW + DAY)),
                    stand_reminders_sent=1, polls=(first, second), winner="ezyang", closed_at=NOW + 9 * DAY,
                    change=change, next_due_at=None)


def test_an_election_is_numbered_with_tickets_and_comes_back_as_it_went_in(make_uow):
    with make_uow() as uow:
        ticket_id = uow.tickets.add(make_ticket())
        done = uow.elections.add(full())
        failed = uow.elections.add(election(phase=Phase.FAILED, failure=Failure.NO_BALLOTS, closed_at=NOW,
                                            next_due_at=None, vacancy=Vacancy.UNAVAILABLE))
        uow.commit()
    assert (done.number, failed.number) == (ticket_id + 1, ticket_id + 2)
    with make_uow() as uow:
        assert uow.elections.get(done.number) == done
        assert uow.elections.get_for_update(failed.number) == failed
        assert uow.elections.exists(done.number) and not uow.elections.exists(ticket_id)
        assert uow.elections.get(ticket_id) is None and uow.elections.get_for_update(ticket_id) is None
        # an election is not a ticket to anything that reads tickets
        assert uow.tickets.get(done.number) is None
        assert [t.id for t in uow.tickets.opened_since(NOW - DAY)] == [ticket_id]
        assert uow.elections.open() is None
        assert uow.elections.latest() == failed and uow.elections.latest(Phase.ELECTED) == done


def test_a_saved_election_keeps_its_changes(make_uow):
    with make_uow() as uow:
        stored = uow.elections.add(election())
        uow.commit()
    poll = Poll(("ezyang", "malfet"), NOW + DAY, NOW + 6 * DAY, (RankedBallot("gchanan", ("malfet",), NOW + DAY),))
    changed = replace(stored, phase=Phase.VOTING, polls=(poll,), next_due_at=NOW + 3 * DAY,
                      candidacies=(Candidacy("ezyang", True, NOW), Candidacy("malfet", True, NOW)))
    with make_uow() as uow:
        uow.elections.save_many([changed])
        uow.elections.save_many([])
        uow.commit()
    with make_uow() as uow:
        assert uow.elections.get(stored.number) == changed
        assert uow.elections.open() == changed
        assert uow.tickets.earliest_due() == NOW + 3 * DAY  # the sweeper wakes for it


def test_only_one_election_is_open_at_a_time(make_uow):
    with make_uow() as uow:
        first = uow.elections.add(election())
        uow.commit()
    with make_uow() as uow, pytest.raises(ElectionTaken):
        uow.elections.add(election(opened_by="malfet"))
    with make_uow() as uow:  # closed, the seat may be contested again
        uow.elections.save_many([replace(first, phase=Phase.FAILED, failure=Failure.NOBODY_STOOD, closed_at=NOW,
                                         next_due_at=None)])
        again = uow.elections.add(election(opened_by="malfet"))
        uow.commit()
    with make_uow() as uow:
        assert uow.elections.open() == again and uow.elections.latest() == again


def test_two_transactions_opening_an_election_at_once_make_one(make_uow, migrated_engine):
    if migrated_engine.dialect.name != "postgresql":
        pytest.skip("SQLite has one writer at a time: the second transaction waits and then sees the first")
    first = make_uow()
    uow = first.__enter__()
    errors = []

    def second():
        try:
            with make_uow() as other:
                other.elections.add(election(opened_by="malfet"))
                other.commit()
        except Exception as error:  # noqa: BLE001
            errors.append(error)

    try:
        uow.elections.add(election())
        thread = threading.Thread(target=second)
        thread.start()
        thread.join(0.3)  # the second insert waits on the first's uncommitted key
        uow.commit()
    finally:
        first.__exit__(None, None, None)
    thread.join()
    assert [type(error) for error in errors] == [ElectionTaken]


def test_due_elections_are_claimed_earliest_first_out_of_the_tickets_sweep(make_uow, migrated_engine):
    with make_uow() as uow:
        later = uow.elections.add(election(phase=Phase.FAILED, next_due_at=NOW + 2 * DAY))  # closed: no open_key
        sooner = uow.elections.add(election(next_due_at=NOW + DAY))
        uow.elections.add(election(phase=Phase.ELECTED, next_due_at=None))
        uow.commit()
    with make_uow() as uow:
        assert [e.number for e in uow.elections.claim_due(NOW + 3 * DAY, 10)] == [sooner.number, later.number]
        assert [e.number for e in uow.elections.claim_due(NOW + 3 * DAY, 1)] == [sooner.number]
        assert uow.elections.claim_due(NOW, 10) == []
        assert uow.tickets.claim_due(NOW + 30 * DAY, 10) == []  # not a ticket
        assert uow.decisions.claim_due(NOW + 30 * DAY, 10) == []  # nor a decision
        if migrated_engine.dialect.name == "postgresql":  # SQLite has one writer: the second would wait
            with make_uow() as other:
                assert other.elections.claim_due(NOW + 3 * DAY, 10) == []  # skipped while the first holds them
