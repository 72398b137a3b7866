"""What a decision is: plain data that the rules in `decisions` and `decision_clocks` change and storage keeps.

A decision is one proposal put to a vote, numbered `#N` in the same series as tickets. It carries a
copy of the policy it was opened under (`DecisionSettings`: the group's votes and the core's), stands
at one level (`area:nn`, `core` or `lead`) in one `State`, and keeps every vote held on it as a
`Round` — the group's, the core's on a no decision, a dispute or a veto, and the lead's ruling (a
round of one) — each with its ballots, result and rationale, so that the published record shows who
voted how. Like a ticket's, each change is told as events (the history) and notices (who must hear).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from bot.domain.decision_policy import DecisionSettings, VotePolicy
from bot.domain.tally import Ballot, Result, Tally, tally
from bot.domain.ticket import Event, Notice

LEAD = "lead"
CORE = "core"
OUTCOMES = (Result.PASSED, Result.REJECTED)  # what a round settles on; no decision climbs instead


class Kind(StrEnum):
    MODULE = "module"  # a module vote: the area's maintainers decide
    CORE = "core"  # a core vote: the core maintainers decide
    LEAD = "lead"  # put to the lead, who decides alone


class Purpose(StrEnum):
    """What a round decides. The lead's Approve is a For, Reject an Against."""

    DECIDE = "decide"  # the proposal itself
    DISPUTE = "dispute"  # a dispute: For upholds the outcome, Against overturns it
    VETO = "veto"  # a veto: For vetoes the decision


class State(StrEnum):
    VOTING = "voting"  # a group votes: `level` says which, "area:nn" or "core"
    LEAD = "lead"  # waiting on the lead's Approve or Reject
    DECIDED = "decided"  # the outcome stands; its rationale is pending
    PUBLISHED = "published"  # a module decision, published: open to dispute and veto until `settles_at`
    DISPUTED = "disputed"  # the group that decided must answer Uphold or Revote
    FINAL = "final"  # settled for good: nothing more can change it
    VETOED = "vetoed"  # the core (or the lead) vetoed it; published as vetoed, with the reason


ENDED = (State.FINAL, State.VETOED)


@dataclass(frozen=True)
class Groups:
    """Who stands where today, from the config: the lead, the active core, each area's active maintainers."""

    lead: str
    core: tuple[str, ...] = ()
    areas: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def of_area(self, area: str | None) -> tuple[str, ...]:
        return tuple(dict.fromkeys(self.areas.get(area, ()))) if area else ()

    def of_core(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(self.core))

    def is_core(self, person: str) -> bool:
        """A core maintainer, or the lead (who is amongst the core)."""
        return person == self.lead or person in self.core

    def is_maintainer(self, person: str) -> bool:
        return self.is_core(person) or any(person in people for people in self.areas.values())


@dataclass(frozen=True)
class Round:
    """One vote of one group on one question about the decision; the lead's ruling is a round of one."""

    level: str  # who decides: "area:nn", "core" or "lead"
    purpose: Purpose
    voters: tuple[str, ...]  # as the round opened, less those who recused
    policy: VotePolicy
    opened_at: datetime
    closes_at: datetime | None  # None for the lead, who has no deadline
    ballots: tuple[Ballot, ...] = ()  # one per voter, the latest choice, in the order they were last cast
    recused: tuple[str, ...] = ()
    reminders_sent: int = 0  # how many of policy.reminders those who had not voted have had
    closed_at: datetime | None = None
    result: Result | None = None
    early: bool = False  # closed before its deadline: no remaining vote could change it
    rationale: str | None = None
    rationale_by: str | None = None
    rationale_at: datetime | None = None

    def count(self) -> Tally:
        return tally(self.policy.rule, self.policy.quorum, self.voters, self.ballots)


@dataclass(frozen=True)
class Dispute:
    by: str
    reason: str
    at: datetime
    answer_due_at: datetime  # the group that decided answers by then, or it goes to the core
    answer: str | None = None  # the group's answer: "uphold" or "revote"
    answered_by: str | None = None
    explanation: str | None = None  # why the group upheld it (published), or why it revotes
    escalated: str | None = None  # it went to the core: "disputer" (they pressed it) or "unanswered"
    resolution: str | None = None  # "upheld", "overturned" or "revote"
    resolved_by: str | None = None  # the level that resolved it: "area:nn", "core" or "lead"


@dataclass(frozen=True)
class Veto:
    by: str
    reason: str
    at: datetime
    resolution: str | None = None  # "vetoed" or "declined"
    resolved_by: str | None = None  # "core" or "lead"


@dataclass(frozen=True)
class Decision:
    kind: Kind
    area: str | None
    proposal: str
    caller: str
    policy: DecisionSettings  # copied on at opening: `vote` for the group, `core` for what reaches the core
    opened_at: datetime
    level: str  # where it stands: "area:nn", "core" or "lead"
    state: State
    rounds: tuple[Round, ...] = ()  # every vote held, oldest first; the last is the current one
    number: int | None = None  # `#N`, given by storage
    ticket: int | None = None  # the escalation ticket `/vote #N` was called on
    outcome: Result | None = None  # the proposal's standing outcome: passed or rejected (None until then)
    rationale_due_at: datetime | None = None
    rationale_reminders_sent: int = 0
    rationale_missing_told: bool = False
    lead_remind_at: datetime | None = None
    published_at: datetime | None = None
    settles_at: datetime | None = None  # a published module decision becomes final then
    disputes: tuple[Dispute, ...] = ()
    vetoes: tuple[Veto, ...] = ()
    next_due_at: datetime | None = None  # the earliest moment the sweeper must look again

    @property
    def current(self) -> Round:
        return self.rounds[-1]

    @property
    def voters(self) -> tuple[str, ...]:
        return self.current.voters

    @property
    def ballots(self) -> tuple[Ballot, ...]:
        return self.current.ballots

    @property
    def deciding(self) -> Round | None:
        """The latest round that gave the proposal an outcome (what a dispute argues with)."""
        return next((r for r in reversed(self.rounds) if r.purpose is Purpose.DECIDE and r.result in OUTCOMES),
                    None)

    @property
    def rationale(self) -> str | None:
        """The latest reasoning published on it: the outcome's, a dispute's or a veto's."""
        return next((r.rationale for r in reversed(self.rounds) if r.rationale), None)


@dataclass
class DecisionOutcome:
    """What one action or one clock check did: the decision after it, its events and its notices."""

    decision: Decision
    events: list[Event] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)


def waiting_on(decision: Decision) -> tuple[str, ...]:
    """Who the decision waits on now (App Home's "votes waiting on you"): those yet to vote, the lead,
    the group owing the rationale, the group asked to answer a dispute."""
    if decision.state is State.VOTING:
        return decision.current.count().not_voted
    if decision.state is State.LEAD or (decision.state is State.DECIDED and decision.current.rationale is None):
        return decision.current.voters
    if decision.state is State.DISPUTED and decision.deciding is not None:
        return decision.deciding.voters
    return ()
