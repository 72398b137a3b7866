"""Counting a vote: what the ballots say under a group's rule, and whether the rest could change it.

A vote message shows, say, "majority · quorum 50% · For 2 · Against 1 · Abstain 0 · not voted: nn3"
and closes with *passed*, *rejected* or *no decision*. Each voter has one ballot, **For**, **Against**
or **Abstain**, and may change it until the vote closes: only their latest choice counts. A ballot from
anyone who is not a voter is never counted, whatever it says.

The rules (DESIGN.md, "Governance processes"), with the quorum as `ceil(quorum × voters)` votes
(abstaining counts as voting) and a missed quorum as *no decision* under every rule:
- majority: passed when For > Against, rejected when For < Against, *no decision* on a tie (0-0 too);
- supermajority: passed when For ≥ 2/3 of For + Against, else rejected;
- unanimous: rejected when anyone is Against, else passed;
- lazy_consensus: passed when nobody is Against; with an objection, decided as majority.
- share_of_all (not for app.yaml: the core's vote on removing the lead, `governance.lead_removal`):
  passed when For ≥ `ceil(quorum × voters)` — `quorum` is then the share of **all** the voters who
  must vote For, not of those voting — else rejected. Against, Abstain and not voting weigh the same
  (none is a For), so there is no quorum to miss and no tie: it reaches *no decision* only without voters.

Where DESIGN.md is silent:
- **Lazy consensus without an objection passes whatever the turnout**: silence is its consent, so the
  quorum only applies once somebody objects and the vote is decided as a majority.
- **All abstaining is no decision** under supermajority and unanimous, as under majority (0-0 is a
  tie): nobody said For, so nothing passes.
- **A group without voters reaches no decision**, under every rule: there is nobody to decide.
- A vote closes early (`decided_early`) when no way the voters who have **not** voted yet could still
  vote — For, Against, Abstain, or not at all — would change the outcome. Changes of mind by those who
  have voted are not waited for: once the outcome is settled, the vote closes.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from fractions import Fraction

from bot.domain.decision_policy import Rule


class Choice(StrEnum):
    FOR = "for"
    AGAINST = "against"
    ABSTAIN = "abstain"


class Result(StrEnum):
    PASSED = "passed"
    REJECTED = "rejected"
    NO_DECISION = "no_decision"  # a tie, a missed quorum, or nobody to decide: it goes up


@dataclass(frozen=True)
class Ballot:
    """One voter's choice; when a voter has several, the one cast last counts."""

    voter: str
    choice: Choice
    at: datetime | None = None


Ballots = Mapping[str, Choice] | Iterable[Ballot]


@dataclass(frozen=True)
class Tally:
    """The count of one vote as it stands: what it would decide if it closed now."""

    rule: Rule
    quorum: float
    voters: tuple[str, ...]
    choices: Mapping[str, Choice]  # voter → latest choice, voters only
    in_favour: int
    against: int
    abstain: int
    needed: int  # votes the quorum asks for
    result: Result  # what it decides if it closes now

    @property
    def turnout(self) -> int:
        return self.in_favour + self.against + self.abstain

    @property
    def quorum_met(self) -> bool:
        return self.turnout >= self.needed

    @property
    def not_voted(self) -> tuple[str, ...]:
        return tuple(voter for voter in self.voters if voter not in self.choices)

    @property
    def why_no_decision(self) -> str | None:
        """Why the vote decides nothing ("a tie", "quorum missed: 1 of the 2 votes needed"), else None."""
        if self.result is not Result.NO_DECISION:
            return None
        if not self.voters:
            return "nobody to vote"
        if not self.quorum_met:
            return f"quorum missed: {self.turnout} of the {self.needed} votes needed"
        return "a tie" if self.in_favour or self.against else "nobody voted For or Against"


def latest(ballots: Ballots) -> dict[str, Choice]:
    """Each voter's latest choice: a mapping as it is, a sequence of ballots in the order cast."""
    if isinstance(ballots, Mapping):
        return {voter: Choice(choice) for voter, choice in ballots.items()}
    choices: dict[str, Choice] = {}
    for ballot in ballots:
        choices.pop(ballot.voter, None)  # a changed vote moves to where it was cast last
        choices[ballot.voter] = ballot.choice
    return choices


def quorum_needed(quorum: float, voters: int) -> int:
    """How many of `voters` must vote: `ceil(quorum × voters)`, exactly (0.1 × 30 is 3, not 4)."""
    return math.ceil(Fraction(str(quorum)) * voters)


def tally(rule: Rule, quorum: float, voters: Iterable[str], ballots: Ballots) -> Tally:
    """Count the latest choice of each voter (nobody else) and say what the vote decides if it closes now."""
    electorate = tuple(dict.fromkeys(voters))
    members = set(electorate)
    choices = {voter: choice for voter, choice in latest(ballots).items() if voter in members}
    counts = {choice: 0 for choice in Choice}
    for choice in choices.values():
        counts[choice] += 1
    needed = quorum_needed(quorum, len(electorate))
    result = outcome(rule, counts[Choice.FOR], counts[Choice.AGAINST], counts[Choice.ABSTAIN],
                     voters=len(electorate), needed=needed)
    return Tally(rule, quorum, electorate, choices, counts[Choice.FOR], counts[Choice.AGAINST],
                 counts[Choice.ABSTAIN], needed, result)


def outcome(rule: Rule, in_favour: int, against: int, abstain: int, *, voters: int, needed: int) -> Result:
    """What a vote with these counts decides at its deadline (the rules of the module docstring)."""
    if voters == 0:
        return Result.NO_DECISION
    if rule is Rule.LAZY_CONSENSUS and against == 0:
        return Result.PASSED
    if rule is Rule.SHARE_OF_ALL:  # `needed` is the For votes the share of all the voters asks for
        return Result.PASSED if in_favour >= needed else Result.REJECTED
    if in_favour + against + abstain < needed:
        return Result.NO_DECISION
    if rule is Rule.SUPERMAJORITY:
        if in_favour + against == 0:
            return Result.NO_DECISION
        return Result.PASSED if 3 * in_favour >= 2 * (in_favour + against) else Result.REJECTED
    if rule is Rule.UNANIMOUS:
        if against:
            return Result.REJECTED
        return Result.PASSED if in_favour else Result.NO_DECISION
    # majority, and lazy consensus with an objection
    if in_favour == against:
        return Result.NO_DECISION
    return Result.PASSED if in_favour > against else Result.REJECTED


def decided_early(rule: Rule, quorum: float, voters: Iterable[str], ballots: Ballots) -> Result | None:
    """The outcome when no remaining vote can change it, else None.

    "Remaining" means the voters who have not voted: each may still vote For, Against, Abstain, or
    not vote at all. The outcome depends only on the counts, not on who cast which, so it is enough
    to go over how many of them add For (`f`) and Against (`a`); the rest abstain or stay silent, which
    differ only in the turnout, so of those only the two extremes — all of them abstain (the most
    turnout) and none of them votes (the least) — need checking: with `f` and `a` fixed the outcome
    depends on the rest through `quorum_met` alone, and that is monotone in the turnout. That is
    O(k²) for k voters left, and the same answer as trying all 4ᵏ ways (tests/domain/test_tally.py
    checks it against that brute force).
    """
    now = tally(rule, quorum, voters, ballots)
    left = len(now.not_voted)
    possible = set()
    for extra_for in range(left + 1):
        for extra_against in range(left - extra_for + 1):
            rest = left - extra_for - extra_against
            for extra_abstain in {0, rest}:
                possible.add(outcome(rule, now.in_favour + extra_for, now.against + extra_against,
                                     now.abstain + extra_abstain, voters=len(now.voters), needed=now.needed))
            if len(possible) > 1:
                return None
    return possible.pop()
