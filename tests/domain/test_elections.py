"""Electing the lead: every transition and refusal of bot.domain.elections, and properties of its clocks.

The project: the lead `boss` and three core maintainers; the core votes for 5d, reminded at 50% and 90%.
"""

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain import elections
from bot.domain.decision_policy import VotePolicy
from bot.domain.decision_record import Groups
from bot.domain.election_record import Election, Failure, Phase, Vacancy
from bot.domain.errors import Refusal
from bot.domain.hierarchy import ChangeKind
from bot.domain.ticket import SYSTEM

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
DAY = timedelta(days=1)
LEAD = "boss"
CORE = ("core1", "core2", "core3")
GROUPS = Groups(lead=LEAD, core=CORE, areas={"nn": ("nn1", "core1")})
POLICY = VotePolicy(duration=5 * DAY, reminders=(0.5, 0.9))


def opened(vacancy=Vacancy.REMOVED, departing=LEAD, *, by="core1", groups=GROUPS, number=57) -> Election:
    change = elections.open_election(by=by, vacancy=vacancy, departing=departing, groups=groups, policy=POLICY,
                                     now=NOW)
    return replace(change.election, number=number)


def standing(*answers: tuple[str, bool], at=NOW) -> Election:
    election = opened()
    for person, stands in answers:
        election = elections.stand(election, by=person, stands=stands, now=at).election
    return election


def voting(*candidates: str) -> Election:
    """Everyone answered: `candidates` stand, the other voters do not; the ballot is open."""
    election = standing(*((voter, voter in candidates) for voter in CORE))
    assert election.phase is Phase.VOTING
    return election


def refused(rule, /, *args, **kwargs) -> str:
    """The refusal's sentence with its people as `@person`; no person is written into the sentence itself."""
    with pytest.raises(Refusal) as caught:
        rule(*args, **kwargs)
    refusal = caught.value
    assert not any(person in refusal.message for person in refusal.people.values())
    return refusal.render(lambda person: f"@{person}")


# -- opening ----------------------------------------------------------------------------------------


def test_opening_asks_the_core_less_the_removed_lead_whether_they_stand():
    change = elections.open_election(by="core2", vacancy=Vacancy.REMOVED, departing=LEAD, groups=GROUPS,
                                     policy=POLICY, now=NOW)
    election = change.election
    assert election.phase is Phase.STANDING and election.voters == CORE
    assert election.stand_until == NOW + 5 * DAY and election.previous_lead == LEAD
    assert election.next_due_at == NOW + 2.5 * DAY  # the first reminder
    assert [(n.kind, n.to) for n in change.notices] == [("opened", CORE)]
    assert change.notices[0].data["vacancy"] == "removed"
    assert [e.kind for e in change.events] == ["election_opened"]


def test_the_lead_stepping_down_does_not_elect_their_successor():
    election = opened(Vacancy.STEPPED_DOWN, LEAD, by=LEAD)
    assert LEAD not in election.voters and election.opened_by == LEAD


def test_an_unavailable_lead_leaves_the_core_to_elect():
    assert opened(Vacancy.UNAVAILABLE, LEAD).voters == CORE


def test_only_the_core_opens_an_election():
    assert refused(elections.open_election, by="nn1", vacancy=Vacancy.REMOVED, departing=LEAD, groups=GROUPS,
                   policy=POLICY, now=NOW) == ("Only the core maintainers elect the lead; a core maintainer, or the "
                                               "lead (@boss), opens the election.")


def test_a_seat_that_is_not_vacant_has_no_election():
    sentence = refused(elections.open_election, by="core1", vacancy=None, departing=None, groups=GROUPS,
                       policy=POLICY, now=NOW)
    assert sentence.startswith("The lead's seat is not vacant") and "(@boss)" in sentence


def test_a_core_of_nobody_but_the_departing_lead_cannot_elect():
    alone = Groups(lead=LEAD, core=(LEAD,))
    assert "no core maintainer left" in refused(elections.open_election, by=LEAD, vacancy=Vacancy.STEPPED_DOWN,
                                                departing=LEAD, groups=alone, policy=POLICY, now=NOW)


# -- standing ---------------------------------------------------------------------------------------


def test_standing_is_recorded_and_may_be_changed_until_everyone_has_answered():
    election = standing(("core1", True), ("core2", True))
    assert election.candidates == ("core1", "core2") and election.unanswered == ("core3",)
    changed = elections.stand(election, by="core1", stands=False, now=NOW + DAY)
    assert changed.election.candidates == ("core2",) and [e.kind for e in changed.events] == ["not_standing"]


def test_a_retried_click_changes_nothing():
    election = standing(("core1", True))
    again = elections.stand(election, by="core1", stands=True, now=NOW + DAY)
    assert again.election == election and not again.events and not again.notices


def test_only_an_elector_stands():
    sentence = refused(elections.stand, opened(), by="nn1", stands=True, now=NOW)
    assert sentence == "Only the core maintainers who elect the lead can stand in #57: @core1, @core2, @core3."
    assert "@boss" not in refused(elections.stand, opened(), by=LEAD, stands=True, now=NOW).split(":")[1]


def test_when_everyone_has_answered_the_ballot_opens_at_once():
    change = elections.stand(standing(("core1", True), ("core2", True)), by="core3", stands=False, now=NOW + DAY)
    election = change.election
    assert election.phase is Phase.VOTING and election.poll.candidates == ("core1", "core2")
    assert election.poll.closes_at == NOW + 6 * DAY and election.next_due_at == NOW + 3.5 * DAY
    assert [(n.kind, n.to, n.data["tie"]) for n in change.notices] == [("ballot", CORE, False)]
    assert [e.kind for e in change.events] == ["not_standing", "standing_closed", "ballot_opened"]


def test_standing_after_the_ballot_opened_is_refused():
    assert "the ballot is open now" in refused(elections.stand, voting("core1", "core2"), by="core3", stands=True,
                                               now=NOW + DAY)


def test_one_candidate_is_elected_unopposed():
    change = elections.stand(standing(("core1", False), ("core2", True)), by="core3", stands=False, now=NOW + DAY)
    election = change.election
    assert election.phase is Phase.ELECTED and election.winner == "core2" and not election.polls
    assert election.change.kind is ChangeKind.NEW_LEAD and election.change.person == "core2"
    assert election.change.area is None and election.change.decided_in == 57
    assert [(n.kind, n.to, n.data) for n in change.notices] == [
        ("elected", (), {"winner": "core2", "unopposed": True, "poll": None})]
    assert election.next_due_at is None


def test_nobody_standing_fails_the_election():
    change = elections.stand(standing(("core1", False), ("core2", False)), by="core3", stands=False, now=NOW)
    assert change.election.phase is Phase.FAILED and change.election.failure is Failure.NOBODY_STOOD
    assert [(n.kind, n.to) for n in change.notices] == [("failed", CORE)]


# -- ranking ----------------------------------------------------------------------------------------


def test_a_ballot_is_cast_and_replaced_and_says_nothing_of_the_ranking():
    election = voting("core1", "core2")
    first = elections.cast(election, by="core3", ranking=["core2", "core1"], now=NOW + DAY)
    assert first.election.poll.ballot_of("core3").ranking == ("core2", "core1")
    assert first.events[0].data == {"poll": 1, "changed": False}
    second = elections.cast(first.election, by="core3", ranking=["core1"], now=NOW + 2 * DAY)
    assert second.election.poll.ballot_of("core3").ranking == ("core1",)
    assert len(second.election.poll.ballots) == 1 and second.events[0].data["changed"] is True
    same = elections.cast(second.election, by="core3", ranking=["core1"], now=NOW + 3 * DAY)
    assert same.election == second.election and not same.events


@pytest.mark.parametrize(("ranking", "says"), [
    ([], "Rank at least one candidate"),
    (["core3"], "@core3 is not one of them"),
    (["core1", "core1"], "Rank each candidate once"),
])
def test_a_malformed_ranking_is_refused(ranking, says):
    assert says in refused(elections.cast, voting("core1", "core2"), by="core1", ranking=ranking, now=NOW + DAY)


def test_ranking_before_the_ballot_or_by_someone_else_is_refused():
    assert "the ballot opens once candidates have stood" in refused(elections.cast, opened(), by="core1",
                                                                    ranking=["core1"], now=NOW)
    assert "can vote in #57" in refused(elections.cast, voting("core1", "core2"), by="nn1", ranking=["core1"],
                                        now=NOW + DAY)


def test_the_last_ballot_closes_the_poll_and_elects_the_majority():
    election = voting("core1", "core2")
    for voter, ranking in (("core1", ["core1"]), ("core2", ["core2", "core1"])):
        election = elections.cast(election, by=voter, ranking=ranking, now=NOW + DAY).election
    change = elections.cast(election, by="core3", ranking=["core2"], now=NOW + 2 * DAY)
    election = change.election
    assert election.phase is Phase.ELECTED and election.winner == "core2"
    assert election.poll.early and election.poll.closed_at == NOW + 2 * DAY
    assert [e.kind for e in change.events] == ["ranked", "ballot_closed", "elected"]
    assert change.notices[-1].data == {"winner": "core2", "unopposed": False, "poll": 1}


def test_a_tie_opens_another_poll_among_the_tied():
    election = voting("core1", "core2")
    for voter, ranking in (("core1", ["core1"]), ("core2", ["core2"])):
        election = elections.cast(election, by=voter, ranking=ranking, now=NOW + DAY).election
    change = elections.due(election, now=election.poll.closes_at)
    election = change.election
    assert election.phase is Phase.VOTING and len(election.polls) == 2
    assert election.polls[0].closed_at == NOW + 5 * DAY and not election.polls[0].early
    assert election.poll.candidates == ("core1", "core2") and election.poll.closes_at == NOW + 10 * DAY
    assert [(n.kind, n.data["tie"], n.data["poll"]) for n in change.notices] == [("ballot", True, 2)]
    assert election.not_voted == CORE  # the new poll starts with no ballots


def test_a_poll_nobody_voted_in_fails_the_election():
    election = voting("core1", "core2")
    change = elections.due(election, now=election.poll.closes_at + DAY)
    assert change.election.phase is Phase.FAILED and change.election.failure is Failure.NO_BALLOTS
    assert change.events[-1].reason == "no_ballots"


# -- the clocks ---------------------------------------------------------------------------------


def test_reminders_reach_only_those_yet_to_answer_then_standing_closes():
    election = standing(("core1", True), ("core2", True))
    reminded = elections.due(election, now=NOW + 2.5 * DAY)
    assert [(n.kind, n.to) for n in reminded.notices] == [("stand_reminder", ("core3",))]
    assert reminded.election.next_due_at == NOW + 4.5 * DAY
    assert elections.due(reminded.election, now=NOW + 3 * DAY).election == reminded.election  # nothing due
    closed = elections.due(reminded.election, now=NOW + 5 * DAY)
    assert closed.election.phase is Phase.VOTING and closed.election.poll.candidates == ("core1", "core2")


def test_after_downtime_missed_reminders_are_skipped_and_the_phase_ends_once():
    election = standing(("core1", True), ("core2", True))
    change = elections.due(election, now=NOW + 9 * DAY)
    assert [e.kind for e in change.events] == ["reminder_skipped", "reminder_skipped", "standing_closed",
                                               "ballot_opened"]
    assert change.events[2].data["late"] is True
    assert [n.kind for n in change.notices] == ["ballot"]
    assert change.election.poll.opened_at == NOW + 9 * DAY  # the ballot gets its full window from now


def test_vote_reminders_mention_those_without_a_ballot():
    election = elections.cast(voting("core1", "core2"), by="core1", ranking=["core1"], now=NOW).election
    change = elections.due(election, now=election.poll.opened_at + 2.5 * DAY)
    assert [(n.kind, n.to) for n in change.notices] == [("vote_reminder", ("core2", "core3"))]


def test_a_closed_election_has_nothing_due():
    election = elections.stand(standing(("core1", False), ("core2", True)), by="core3", stands=False,
                               now=NOW).election
    assert elections.next_due_at(election) is None
    assert elections.due(election, now=NOW + 30 * DAY).election == election


# -- properties -----------------------------------------------------------------------------------

VOTERS = ("core1", "core2", "core3", "core4", "core5")
BIG = Groups(lead=LEAD, core=VOTERS)

rankings = st.lists(st.sampled_from(VOTERS[:3]), unique=True, min_size=1, max_size=3)


def _voting_big() -> Election:
    election = replace(elections.open_election(by="core1", vacancy=Vacancy.REMOVED, departing=LEAD, groups=BIG,
                                               policy=POLICY, now=NOW).election, number=9)
    for voter in VOTERS:
        election = elections.stand(election, by=voter, stands=voter in VOTERS[:3], now=NOW).election
    return election


@settings(max_examples=150, deadline=None)
@given(st.lists(rankings, min_size=len(VOTERS), max_size=len(VOTERS)))
def test_the_last_ballot_closing_early_elects_as_the_deadline_would(ranked):
    """Closing when everyone has ranked never gives another outcome than counting the same ballots at the deadline."""
    election = _voting_big()
    for voter, ranking in zip(VOTERS[:-1], ranked, strict=False):
        election = elections.cast(election, by=voter, ranking=ranking, now=NOW + DAY).election
    early = elections.cast(election, by=VOTERS[-1], ranking=ranked[-1], now=NOW + DAY).election
    last = replace(early.polls[0].ballots[-1])
    waited = elections.due(replace(election, polls=(replace(election.poll, ballots=(*election.poll.ballots, last)),)),
                           now=election.poll.closes_at).election
    assert early.polls[0].early and not waited.polls[0].early
    assert (waited.phase, waited.winner) == (early.phase, early.winner)
    assert [poll.candidates for poll in waited.polls] == [poll.candidates for poll in early.polls]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(VOTERS), rankings), max_size=15), st.integers(0, 12))
def test_every_voter_counts_once_whatever_they_change(casts, hours):
    """However often voters change their ballots, each has one ballot, the latest, and nobody else does."""
    election = _voting_big()
    latest = {}
    for voter, ranking in casts:
        if election.phase is not Phase.VOTING or len(election.polls) != 1:
            break
        if len(latest) == len(VOTERS) - 1 and voter not in latest:
            continue  # the last voter would close the poll; keep it open to look at its ballots
        election = elections.cast(election, by=voter, ranking=ranking, now=NOW + timedelta(hours=hours)).election
        latest[voter] = tuple(ranking)
    assert {b.voter: b.ranking for b in election.poll.ballots} == latest
    assert all(b.voter in VOTERS for b in election.poll.ballots)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.floats(0, 12), max_size=8))
def test_sweeping_at_any_moments_reminds_at_most_once_per_point_and_ends_each_phase_once(moments):
    """However the sweeper's runs fall (and downtime), each reminder goes at most once and each phase ends once."""
    election = standing(("core1", True), ("core2", True))
    reminders, ballots, actors = 0, 0, set()
    for offset in sorted(moments):
        change = elections.due(election, now=NOW + offset * DAY)
        actors |= {event.actor for event in change.events}
        reminders += sum(1 for n in change.notices if n.kind == "stand_reminder")
        ballots += sum(1 for n in change.notices if n.kind == "ballot")
        election = change.election
        if election.phase is not Phase.STANDING:
            break
    assert reminders <= 2 and ballots <= 1
    assert actors <= {SYSTEM}  # only the clock acts when the sweeper runs
    if moments and max(moments) >= 5:
        assert ballots == 1  # past stand_until the ballot has opened, once
