"""share_of_all, the rule of the core's vote on removing the lead: For from a share of *all* the voters.

The general properties every rule has (closing early agrees with waiting for every vote, a changed
vote counts once, outsiders never count) are in test_tally.py, which runs them over every `Rule`.
"""

import math
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain.decision_policy import CONFIGURABLE_RULES, Rule
from bot.domain.tally import Choice, Result, decided_early, tally

F, A, B = Choice.FOR, Choice.AGAINST, Choice.ABSTAIN
RULE = Rule.SHARE_OF_ALL
CORE = ("c1", "c2", "c3", "c4", "c5", "c6", "c7", "c8")


def counted(voters: int, *choices: Choice, share: float = 0.75) -> Result:
    return tally(RULE, share, CORE[:voters], dict(zip(CORE, choices, strict=False))).result


@pytest.mark.parametrize(("voters", "choices", "expected"), [
    (4, (F, F, F), Result.PASSED),  # 3 of all 4: exactly 75%
    (4, (F, F), Result.REJECTED),  # everyone who voted said For, but they are half the core
    (4, (F, F, F, A), Result.PASSED),
    (4, (F, F, B, B), Result.REJECTED),  # abstaining is not a For
    (5, (F, F, F), Result.REJECTED),  # 3 of 5 is 60%: 4 are needed (ceil 3.75)
    (5, (F, F, F, F), Result.PASSED),
    (8, (F, F, F, F, F, F), Result.PASSED),  # 6 of 8
    (8, (F, F, F, F, F, A, A, A), Result.REJECTED),
    (1, (F,), Result.PASSED),
    (1, (), Result.REJECTED),  # silence is not consent here: there is no quorum to miss, nor a tie
])
def test_passes_with_the_share_of_all_the_voters_voting_for(voters, choices, expected):
    assert counted(voters, *choices) is expected


def test_it_is_not_offered_in_app_yaml():
    assert RULE not in CONFIGURABLE_RULES


def test_it_closes_early_once_the_share_is_reached_or_out_of_reach():
    assert decided_early(RULE, 0.75, CORE[:4], {"c1": F, "c2": F, "c3": F}) is Result.PASSED
    assert decided_early(RULE, 0.75, CORE[:4], {"c1": A, "c2": B}) is Result.REJECTED  # 2 For at most
    assert decided_early(RULE, 0.75, CORE[:4], {"c1": F, "c2": A}) is None  # 3 For still possible


shares = st.sampled_from([0.01, 0.5, 2 / 3, 0.75, 0.9, 1.0])
not_for = st.sampled_from([A, B, None])  # None: did not vote


@st.composite
def core_votes(draw):
    voters = CORE[:draw(st.integers(1, len(CORE)))]
    return voters, {voter: choice for voter in voters if (choice := draw(st.sampled_from([F, A, B, None])))}


@settings(max_examples=300, deadline=None)
@given(vote=core_votes(), share=shares)
def test_only_the_count_of_for_against_all_the_voters_matters(vote, share):
    voters, cast = vote
    in_favour = sum(1 for choice in cast.values() if choice is F)
    needed = math.ceil(Fraction(str(share)) * len(voters))
    expected = Result.PASSED if in_favour >= needed else Result.REJECTED
    assert tally(RULE, share, voters, cast).result is expected


@settings(max_examples=300, deadline=None)
@given(vote=core_votes(), share=shares, who=st.integers(0, 7), instead=not_for)
def test_against_abstain_and_silence_weigh_the_same(vote, share, who, instead):
    voters, cast = vote
    voter = voters[who % len(voters)]
    if cast.get(voter) is F:
        return
    changed = {name: choice for name, choice in cast.items() if name != voter}
    if instead is not None:
        changed[voter] = instead
    assert tally(RULE, share, voters, changed).result is tally(RULE, share, voters, cast).result


@settings(max_examples=300, deadline=None)
@given(vote=core_votes(), share=shares)
def test_one_more_core_maintainer_who_does_not_vote_for_never_helps_it_pass(vote, share):
    voters, cast = vote
    before = tally(RULE, share, voters, cast).result
    after = tally(RULE, share, (*voters, "newcomer"), cast).result
    if before is Result.REJECTED:
        assert after is Result.REJECTED


@settings(max_examples=300, deadline=None)
@given(vote=core_votes(), share=shares)
def test_a_unanimous_turnout_is_not_enough_when_it_is_short_of_the_share(vote, share):
    voters, cast = vote
    voted_for = {voter: F for voter in voters[:len(cast)]}  # everyone who voted said For
    if len(voted_for) < math.ceil(Fraction(str(share)) * len(voters)):
        assert tally(RULE, share, voters, voted_for).result is Result.REJECTED
