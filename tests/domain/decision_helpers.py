"""A small project for the decision rules, and the moves the tests make on it.

nn has three maintainers (needed for the default quorum of 0.5: two votes), optim one, the core three
and the lead (`boss`) stands above them. Votes run 7d, the rationale is due 3d after, the veto window is 7d,
and the core votes for 5d; reminders at 50% and 90%. Times are fixed: NOW is a Monday morning.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from bot.domain import decisions
from bot.domain.decision_policy import DecisionSettings, Rule, VotePolicy
from bot.domain.decisions import Decision, DecisionOutcome, Groups, Kind
from bot.domain.errors import Refusal
from bot.domain.tally import Choice

NOW = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)
DAY = timedelta(days=1)
F, A, B = Choice.FOR, Choice.AGAINST, Choice.ABSTAIN
NN = ("nn1", "nn2", "nn3")
CORE = ("core1", "core2", "core3")
LEAD = "boss"
GROUPS = Groups(lead=LEAD, core=CORE, areas={"nn": NN, "optim": ("opt1",), "retired": ()})
POLICY = DecisionSettings(
    vote=VotePolicy(rule=Rule.MAJORITY, quorum=0.5, duration=7 * DAY, rationale_within=3 * DAY,
                    veto_window=7 * DAY, reminders=(0.5, 0.9)),
    core=VotePolicy(rule=Rule.MAJORITY, quorum=0.5, duration=5 * DAY, rationale_within=3 * DAY,
                    veto_window=7 * DAY, reminders=(0.5, 0.9)),
    channel="C0DECISIONS",
)


def opened(kind: Kind = Kind.MODULE, *, by: str = "nn1", area: str | None = "nn", now: datetime = NOW,
           policy: DecisionSettings = POLICY, groups: Groups = GROUPS) -> Decision:
    """A decision as `/vote nn …` opens it, numbered #12."""
    outcome = decisions.call_vote(kind=kind, area=area, proposal="Deprecate nn.Container", by=by, groups=groups,
                                  policy=policy, now=now)
    return renumbered(outcome.decision)


def renumbered(decision: Decision) -> Decision:
    return replace(decision, number=12)


def votes(decision: Decision, *ballots: tuple[str, Choice], now: datetime = NOW,
          groups: Groups = GROUPS) -> DecisionOutcome:
    """Cast each (voter, choice) in turn; the outcome of the last, with every event and notice on the way."""
    total = DecisionOutcome(decision)
    for voter, choice in ballots:
        step = decisions.cast(total.decision, by=voter, choice=choice, now=now, groups=groups)
        total = DecisionOutcome(step.decision, total.events + step.events, total.notices + step.notices)
    return total


def decided(*ballots: tuple[str, Choice], now: datetime = NOW) -> Decision:
    """An nn decision whose vote `ballots` settled."""
    return votes(opened(now=now), *ballots, now=now).decision


def published(*ballots: tuple[str, Choice], now: datetime = NOW) -> Decision:
    """An nn decision passed by nn1 and nn2 (or `ballots`), its rationale written by nn1 at `now`."""
    decision = decided(*(ballots or (("nn1", F), ("nn2", F))), now=now)
    return decisions.write_rationale(decision, by="nn1", text="Containers confuse users.", now=now,
                                     groups=GROUPS).decision


def kinds(outcome: DecisionOutcome) -> list[tuple[str, str]]:
    return [(event.kind, event.level) for event in outcome.events]


def told(outcome: DecisionOutcome) -> list[tuple[str, tuple[str, ...]]]:
    return [(notice.kind, notice.to) for notice in outcome.notices]


def refused(action, decision: Decision | None = None, **kwargs) -> str:
    """The refusal's sentence, each person it names shown as `@person`; checks that refusing left the
    decision as it was and that nobody is written into the sentence itself."""
    before = decision
    try:
        action(decision, **kwargs) if decision is not None else action(**kwargs)
    except Refusal as refusal:
        assert decision == before
        assert not any(person in refusal.message for person in refusal.people.values())
        return refusal.render(lambda person: f"@{person}")
    raise AssertionError(f"{action.__name__} was not refused")
