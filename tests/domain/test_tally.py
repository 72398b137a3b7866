"""Counting a vote: each rule's outcome, the quorum, changed votes, outsiders, and closing early."""

from itertools import product

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain.decision_policy import Rule
from bot.domain.tally import Ballot, Choice, Result, decided_early, latest, quorum_needed, tally

F, A, B = Choice.FOR, Choice.AGAINST, Choice.ABSTAIN
PASSED, REJECTED, NONE = Result.PASSED, Result.REJECTED, Result.NO_DECISION
GROUP = ("v1", "v2", "v3", "v4", "v5", "v6")


def ballots(*choices: Choice) -> dict[str, Choice]:
    """The first voters of GROUP voting `choices`, in order; the rest have not voted."""
    return dict(zip(GROUP, choices, strict=False))


def result(rule: Rule, quorum: float, voters: int, *choices: Choice) -> Result:
    return tally(rule, quorum, GROUP[:voters], ballots(*choices)).result


# -- each rule, at the deadline -------------------------------------------------------------------


@pytest.mark.parametrize(("voters", "quorum", "choices", "expected"), [
    (3, 0.5, (F, F, A), PASSED),
    (3, 0.5, (F, A, A), REJECTED),
    (4, 0.5, (F, A), NONE),  # a tie, quorum exactly met
    (4, 0.5, (F, F, A, A), NONE),  # a tie with everyone voting
    (4, 0.5, (F, F), PASSED),  # quorum exactly met: 2 of 4
    (4, 0.5, (F,), NONE),  # quorum missed: 1 of the 2 needed
    (4, 0.75, (F, F, B), PASSED),  # abstaining counts towards the quorum
    (4, 0.75, (F, F), NONE),
    (3, 0.5, (B, B, B), NONE),  # all abstain: 0-0 is a tie
    (3, 0.5, (F, B, B), PASSED),  # for > against among the votes cast
    (5, 1.0, (F, F, F, F), NONE),  # quorum 1: everyone must vote
    (5, 1.0, (F, F, F, F, A), PASSED),
])
def test_majority(voters, quorum, choices, expected):
    assert result(Rule.MAJORITY, quorum, voters, *choices) is expected


@pytest.mark.parametrize(("voters", "quorum", "choices", "expected"), [
    (3, 0.5, (F, F, A), PASSED),  # exactly 2/3 of for + against
    (5, 0.5, (F, F, F, A, A), REJECTED),  # 3/5 < 2/3
    (4, 0.5, (F, F, A, B), PASSED),  # abstentions are not in for + against
    (4, 0.5, (F, A), REJECTED),  # a tie is simply short of 2/3
    (6, 0.5, (F, F, F, F, A, A), PASSED),  # 4/6 = 2/3
    (6, 0.5, (F, F, F, F, F, A), PASSED),
    (4, 0.5, (F,), NONE),  # quorum missed
    (3, 0.5, (B, B), NONE),  # all abstain: nobody said For
    (3, 0.5, (F, F), PASSED),
])
def test_supermajority(voters, quorum, choices, expected):
    assert result(Rule.SUPERMAJORITY, quorum, voters, *choices) is expected


@pytest.mark.parametrize(("voters", "quorum", "choices", "expected"), [
    (3, 0.5, (F, F, F), PASSED),
    (3, 0.5, (F, F, A), REJECTED),  # one against is enough
    (3, 0.5, (F, B), PASSED),  # nobody against; abstaining is not objecting
    (3, 0.5, (F,), NONE),  # quorum missed
    (4, 0.5, (F, A), REJECTED),  # quorum exactly met
    (3, 0.5, (B, B, B), NONE),  # all abstain: nobody said For
])
def test_unanimous(voters, quorum, choices, expected):
    assert result(Rule.UNANIMOUS, quorum, voters, *choices) is expected


@pytest.mark.parametrize(("voters", "quorum", "choices", "expected"), [
    (5, 0.5, (), PASSED),  # silence is consent: no objection, whatever the turnout
    (5, 0.5, (F,), PASSED),
    (3, 0.5, (B, B, B), PASSED),  # all abstain: nobody against
    (5, 0.5, (F, F, A), PASSED),  # an objection: decided as majority, quorum met
    (5, 0.5, (F, A, A), REJECTED),
    (4, 0.5, (F, A), NONE),  # an objection, then a tie
    (5, 0.5, (A,), NONE),  # an objection with the quorum missed
    (5, 0.5, (A, B, B), REJECTED),
])
def test_lazy_consensus(voters, quorum, choices, expected):
    assert result(Rule.LAZY_CONSENSUS, quorum, voters, *choices) is expected


@pytest.mark.parametrize("rule", list(Rule))
def test_a_group_without_voters_decides_nothing(rule):
    count = tally(rule, 0.5, (), {"outsider": F})
    assert count.result is NONE
    assert count.why_no_decision == "nobody to vote"
    assert decided_early(rule, 0.5, (), {}) is NONE


def test_the_count_says_who_has_not_voted_and_why_nothing_was_decided():
    count = tally(Rule.MAJORITY, 0.5, GROUP[:4], ballots(F))
    assert (count.in_favour, count.against, count.abstain, count.needed) == (1, 0, 0, 2)
    assert count.not_voted == ("v2", "v3", "v4")
    assert not count.quorum_met
    assert count.why_no_decision == "quorum missed: 1 of the 2 votes needed"
    assert tally(Rule.MAJORITY, 0.5, GROUP[:4], ballots(F, A)).why_no_decision == "a tie"
    assert tally(Rule.UNANIMOUS, 0.5, GROUP[:2], ballots(B, B)).why_no_decision == "nobody voted For or Against"
    assert tally(Rule.MAJORITY, 0.5, GROUP[:2], ballots(F)).why_no_decision is None


@pytest.mark.parametrize(("quorum", "voters", "needed"), [
    (0.5, 4, 2), (0.5, 5, 3), (0.1, 30, 3), (0.7, 10, 7), (2 / 3, 3, 2), (2 / 3, 6, 4), (1.0, 5, 5),
    (0.01, 1, 1), (0.5, 0, 0),
])
def test_the_quorum_is_a_whole_number_of_votes_rounded_up_exactly(quorum, voters, needed):
    assert quorum_needed(quorum, voters) == needed


# -- ballots --------------------------------------------------------------------------------------


def test_only_the_latest_choice_of_a_voter_counts():
    cast = [Ballot("v1", F), Ballot("v2", A), Ballot("v1", A), Ballot("v1", B)]
    assert latest(cast) == {"v2": A, "v1": B}
    count = tally(Rule.MAJORITY, 0.5, GROUP[:2], cast)
    assert (count.in_favour, count.against, count.abstain) == (0, 1, 1)


def test_ballots_from_outside_the_voters_are_never_counted():
    count = tally(Rule.MAJORITY, 0.5, ("v1", "v2"), {"v1": A, "lead": F, "stranger": F})
    assert (count.in_favour, count.against, count.choices) == (0, 1, {"v1": A})
    assert count.result is REJECTED


def test_a_voter_listed_twice_is_one_voter():
    assert tally(Rule.MAJORITY, 1.0, ("v1", "v1", "v2"), {"v1": F}).needed == 2


# -- closing early --------------------------------------------------------------------------------


@pytest.mark.parametrize(("rule", "voters", "choices", "expected"), [
    (Rule.MAJORITY, 2, (F,), None),  # the other could still tie it
    (Rule.MAJORITY, 2, (F, F), PASSED),  # everyone voted
    (Rule.MAJORITY, 3, (F, F), PASSED),  # the third cannot undo 2-0
    (Rule.MAJORITY, 5, (F, F, F), PASSED),
    (Rule.MAJORITY, 5, (F, F, A), None),
    (Rule.MAJORITY, 4, (F, F, A, A), NONE),  # everyone voted: a tie
    (Rule.UNANIMOUS, 5, (A,), None),  # rejected, unless the quorum is missed
    (Rule.UNANIMOUS, 5, (A, B, B), REJECTED),  # the quorum is met and someone is against
    (Rule.UNANIMOUS, 3, (F, F), None),  # the last one could object
    (Rule.SUPERMAJORITY, 3, (F, A), None),
    (Rule.SUPERMAJORITY, 4, (A, A), REJECTED),  # even two more For, 2-2, is short of 2/3
    (Rule.SUPERMAJORITY, 5, (A, A, B), REJECTED),  # 2 for could join: 2/4 < 2/3
    (Rule.LAZY_CONSENSUS, 3, (F, F), PASSED),  # the last objection would be outvoted
    (Rule.LAZY_CONSENSUS, 3, (F,), None),
    (Rule.LAZY_CONSENSUS, 3, (), None),  # passes at the deadline, unless someone objects
])
def test_decided_early(rule, voters, choices, expected):
    assert decided_early(rule, 0.5, GROUP[:voters], ballots(*choices)) == expected


def every_way_to_finish(rule, quorum, voters, cast):
    """The outcome of every way the voters who have not voted could still vote (or not)."""
    left = [voter for voter in voters if voter not in latest(cast)]
    outcomes = set()
    for completion in product([None, *Choice], repeat=len(left)):
        finished = dict(cast) | {voter: choice for voter, choice in zip(left, completion, strict=True) if choice}
        outcomes.add(tally(rule, quorum, voters, finished).result)
    return outcomes


rules = st.sampled_from(list(Rule))
quorums = st.sampled_from([0.01, 0.25, 1 / 3, 0.5, 2 / 3, 0.75, 1.0])
choices = st.sampled_from(list(Choice))


@st.composite
def votes(draw, max_voters=6):
    """A group, and the latest choice of some of them (and of a few people outside it)."""
    voters = tuple(f"v{index}" for index in range(draw(st.integers(0, max_voters))))
    voted = draw(st.lists(st.sampled_from(voters), unique=True)) if voters else []
    cast = {voter: draw(choices) for voter in voted}
    outsiders = draw(st.dictionaries(st.sampled_from(["lead", "stranger", "v99"]), choices, max_size=2))
    return voters, cast | outsiders


@settings(max_examples=300, deadline=None)
@given(rule=rules, quorum=quorums, vote=votes())
def test_closing_early_never_gives_another_outcome_than_waiting_for_every_vote(rule, quorum, vote):
    voters, cast = vote
    outcomes = every_way_to_finish(rule, quorum, voters, cast)
    early = decided_early(rule, quorum, voters, cast)
    if early is not None:
        assert outcomes == {early}
    else:  # honest the other way too: it only waits when some way to finish decides otherwise
        assert len(outcomes) > 1


@settings(max_examples=300, deadline=None)
@given(rule=rules, quorum=quorums, voters=st.integers(1, 5),
       sequence=st.lists(st.tuples(st.integers(0, 4), choices), max_size=15))
def test_a_changed_vote_counts_once(rule, quorum, voters, sequence):
    group = GROUP[:voters]
    cast = [Ballot(f"v{index + 1}", choice) for index, choice in sequence if index < voters]
    count = tally(rule, quorum, group, cast)
    final = {}
    for ballot in cast:
        final[ballot.voter] = ballot.choice
    assert count.turnout == len(final)
    assert (count.in_favour, count.against, count.abstain) == tuple(
        sum(1 for choice in final.values() if choice is wanted) for wanted in Choice)
    assert count.result is tally(rule, quorum, group, final).result


@settings(max_examples=300, deadline=None)
@given(rule=rules, quorum=quorums, vote=votes(), who=st.integers(0, 5))
def test_adding_a_for_never_turns_a_pass_into_a_fail(rule, quorum, vote, who):
    voters, cast = vote
    if not voters:
        return
    voter = voters[who % len(voters)]
    before = tally(rule, quorum, voters, cast).result
    after = tally(rule, quorum, voters, cast | {voter: F}).result
    if before is PASSED:
        assert after is PASSED


@settings(max_examples=300, deadline=None)
@given(rule=rules, quorum=quorums, vote=votes(),
       outsiders=st.dictionaries(st.text(min_size=1, max_size=5).filter(lambda name: not name.startswith("v")),
                                 choices, max_size=4))
def test_nobody_outside_the_voters_is_ever_counted(rule, quorum, vote, outsiders):
    voters, cast = vote
    members_only = {voter: choice for voter, choice in cast.items() if voter in voters}
    with_outsiders = cast | outsiders
    assert tally(rule, quorum, voters, with_outsiders) == tally(rule, quorum, voters, members_only)
    assert decided_early(rule, quorum, voters, with_outsiders) == decided_early(rule, quorum, voters, members_only)
