"""What an election of the lead is: plain data that the rules in `elections` change and storage keeps.

When the core has removed the lead, when the lead is away for longer than a review period, or when the
lead steps down, `/elect lead` opens one, numbered `#N` in the tickets' series. The core maintainers
who elect (the `voters`: the active core, less the lead whose seat is vacant) first say whether they
stand; then each ranks the candidates on a ballot (a `Poll`), counted by instant runoff
(`bot.domain.runoff`):

    standing ──everyone answered, or stand_until──▶ voting ──everyone ranked, or closes_at──▶ elected
       │   └── one candidate: elected unopposed          │  └── a tie: another poll, among the tied
       └── nobody stood ──▶ failed                       └── no ballot at all ──▶ failed

The ballot is secret: who has voted is shown, how they ranked is kept for the count alone. The count
is never stored; it is recomputed from a poll's ballots, which always gives the same rounds.

    Election(Vacancy.REMOVED, "soumith", "ezyang", NOW, voters=("ezyang", "gchanan", "malfet"),
             stand_until=NOW + timedelta(days=5), policy=VotePolicy(duration=timedelta(days=5)))
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from bot.domain import runoff
from bot.domain.decision_policy import VotePolicy
from bot.domain.hierarchy import HierarchyChange
from bot.domain.ticket import Event, Notice

LEVEL = "core"  # an election is the core's: its events and notices are at that rung


class Phase(StrEnum):
    STANDING = "standing"  # the voters say whether they stand
    VOTING = "voting"  # the voters rank the candidates of the latest poll
    ELECTED = "elected"
    FAILED = "failed"  # nobody stood, or nobody voted: the seat stays vacant, `/elect lead` may open another


OPEN = (Phase.STANDING, Phase.VOTING)


class Vacancy(StrEnum):
    """Why the lead's seat is to be filled."""

    REMOVED = "removed"  # the core removed the lead (a passed `/nominate remove @lead core`)
    UNAVAILABLE = "unavailable"  # the lead is away for longer than a nominations review period
    STEPPED_DOWN = "stepped_down"  # the lead opened the election themselves


class Failure(StrEnum):
    NOBODY_STOOD = "nobody_stood"
    NO_BALLOTS = "no_ballots"


@dataclass(frozen=True)
class Candidacy:
    """A voter's answer to "do you stand?", the latest one counting."""

    person: str
    stands: bool
    at: datetime


@dataclass(frozen=True)
class RankedBallot:
    """A voter's ranking of a poll's candidates, most preferred first (possibly not all of them)."""

    voter: str
    ranking: tuple[str, ...]
    at: datetime


@dataclass(frozen=True)
class Poll:
    """One round of ranked ballots: the first among every candidate, each later one among a tie."""

    candidates: tuple[str, ...]
    opened_at: datetime
    closes_at: datetime
    ballots: tuple[RankedBallot, ...] = ()  # one per voter, the latest, in the order they were last cast
    reminders_sent: int = 0
    closed_at: datetime | None = None
    early: bool = False  # closed before its deadline: every voter had ranked

    def ballot_of(self, voter: str) -> RankedBallot | None:
        return next((ballot for ballot in self.ballots if ballot.voter == voter), None)

    def count(self) -> runoff.Count:
        return runoff.count(self.candidates, [ballot.ranking for ballot in self.ballots])


@dataclass(frozen=True)
class Election:
    vacancy: Vacancy
    previous_lead: str | None  # whose seat is vacant (a people key), when known
    opened_by: str
    opened_at: datetime
    voters: tuple[str, ...]  # the core maintainers who elect (and may stand), as it opened
    stand_until: datetime
    policy: VotePolicy  # the core's vote policy as it opened: each phase's duration and reminders
    phase: Phase = Phase.STANDING
    candidacies: tuple[Candidacy, ...] = ()  # one per voter who answered, the latest, in the order first given
    stand_reminders_sent: int = 0
    polls: tuple[Poll, ...] = ()
    winner: str | None = None
    closed_at: datetime | None = None
    failure: Failure | None = None
    change: HierarchyChange | None = None  # NEW_LEAD, once elected
    number: int | None = None  # `#N`, given by storage
    next_due_at: datetime | None = None  # the earliest moment the sweeper must look again

    level = LEVEL

    @property
    def is_open(self) -> bool:
        return self.phase in OPEN

    @property
    def candidates(self) -> tuple[str, ...]:
        """Those who stand, in the order they first answered."""
        return tuple(candidacy.person for candidacy in self.candidacies if candidacy.stands)

    @property
    def unanswered(self) -> tuple[str, ...]:
        """The voters who have not said whether they stand."""
        answered = {candidacy.person for candidacy in self.candidacies}
        return tuple(voter for voter in self.voters if voter not in answered)

    @property
    def poll(self) -> Poll | None:
        """The latest poll (the open one while voting)."""
        return self.polls[-1] if self.polls else None

    @property
    def not_voted(self) -> tuple[str, ...]:
        """The voters without a ballot in the latest poll."""
        poll = self.poll
        if poll is None:
            return self.voters
        return tuple(voter for voter in self.voters if poll.ballot_of(voter) is None)


@dataclass
class ElectionOutcome:
    """What one action or one clock check did: the election after it, its events and its notices."""

    election: Election
    events: list[Event] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)
