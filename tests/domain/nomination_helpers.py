"""A small project for the nomination rules, and the moves the tests make on it.

nn has three maintainers, jit one; the core three (core1 also maintains jit) and the lead (`boss`)
stands above them. The core votes for 5d, with reminders at 50% and 90%. NOW is a Monday morning.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from bot.domain import decisions, nominations
from bot.domain.decision_policy import DecisionSettings, Rule, VotePolicy
from bot.domain.decision_record import Decision, Groups, Kind, State
from bot.domain.errors import Refusal
from bot.domain.nomination_record import Action, Nomination
from bot.domain.tally import Choice

NOW = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)
DAY = timedelta(days=1)
LEAD = "boss"
CORE = ("core1", "core2", "core3")
NN = ("nn1", "nn2", "nn3")
GROUPS = Groups(lead=LEAD, core=CORE, areas={"nn": NN, "jit": ("core1", "jit1"), "docs": ()})
POLICY = DecisionSettings(
    vote=VotePolicy(rule=Rule.MAJORITY, quorum=0.5, duration=7 * DAY, rationale_within=3 * DAY, reminders=(0.5, 0.9)),
    core=VotePolicy(rule=Rule.MAJORITY, quorum=0.5, duration=5 * DAY, rationale_within=3 * DAY, reminders=(0.5, 0.9)),
)


def nominated(action: Action = Action.ADD, person: str = "kshitij", target: str = "nn", *, by: str = "U0FAN",
              reason: str | None = "Reviews most nn PRs", groups: Groups = GROUPS, number: int = 41) -> Nomination:
    change = nominations.nominate(action=action, person=person, target=target, by=by, reason=reason, groups=groups,
                                  now=NOW)
    return replace(change.nomination, number=number)


def reviewed(nomination: Nomination, at: datetime = NOW + DAY) -> Nomination:
    from bot.domain.nomination_clocks import start_review

    review = start_review([nomination], by="core1", groups=GROUPS, last_active={}, inactive_after={},
                          every=13 * 7 * DAY, now=at)
    return review.slate[0].nomination


def asked(nomination: Nomination, at: datetime = NOW + DAY, by: str = "core1") -> Nomination:
    return nominations.ask_maintainers(nomination, by=by, groups=GROUPS, window=5 * DAY, reminders=(0.5, 0.9),
                                       now=at).nomination


def voting(nomination: Nomination, at: datetime = NOW + 2 * DAY, number: int = 50,
           by: str = "core2") -> tuple[Nomination, Decision]:
    change, vote = called(nomination, at, by)
    return nominations.linked(change, number).nomination, replace(vote.decision, number=number)


def called(nomination: Nomination, at: datetime = NOW + 2 * DAY, by: str = "core2"):
    return nominations.call_vote(nomination, by=by, groups=GROUPS, policy=POLICY, lead_removal=0.75,
                                 proposal=nominations.proposal(nomination, str), now=at)


def published(decision: Decision, passed: bool, at: datetime = NOW + 3 * DAY) -> Decision:
    """The decision voted (every voter the same way, or the lead's ruling) and published with its rationale."""
    if decision.kind is Kind.LEAD:
        return decisions.lead_decides(decision, by=LEAD, approve=passed, rationale="Strong reviews", now=at,
                                      groups=GROUPS).decision
    choice = Choice.FOR if passed else Choice.AGAINST
    for voter in decision.voters:
        if decision.state is State.VOTING:
            decision = decisions.cast(decision, by=voter, choice=choice, now=at, groups=GROUPS).decision
    return decisions.write_rationale(decision, by="core1", text="Strong reviews", now=at, groups=GROUPS).decision


def kinds(change) -> list[str]:
    """The kinds of a change's notices (an outcome of either machine)."""
    return [notice.kind for notice in change.notices]


def refused(rule, /, *args, **kwargs) -> str:
    """The refusal's sentence, each person it names shown as `@person`; checks that nobody is written
    into the sentence itself (they are placeholders) and that the nomination given is left as it was."""
    before = args[0] if args else None
    try:
        rule(*args, **kwargs)
    except Refusal as refusal:
        assert not args or args[0] == before
        assert not any(person in refusal.message for person in refusal.people.values())
        return refusal.render(lambda person: f"@{person}")
    raise AssertionError(f"{rule.__name__} was not refused")
