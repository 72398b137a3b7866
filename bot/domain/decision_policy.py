"""How a group decides: the types `app.yaml`'s `decisions:`, `governance:` and `digest:` keys become.

The domain owns them and the config builds them (bot/config depends on bot/domain, never the other
way round). Semantics, as DESIGN.md ("Governance processes") fixes them for every deployment:
- majority: passes when for > against among the votes cast, and the quorum is met;
- supermajority: for >= 2/3 of for + against;
- unanimous: nobody against;
- lazy_consensus: passes at the deadline when nobody is against; with an objection, decided as
  majority at the deadline;
- quorum: the fraction of the voters who must vote (abstaining counts as voting);
- a tie, a missed quorum, or a group that cannot settle a dispute is *no decision*: it goes up;
- share_of_all (only for removing the lead): passes when For ≥ `quorum` of all the voters.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time, timedelta
from enum import StrEnum


class Rule(StrEnum):
    MAJORITY = "majority"
    SUPERMAJORITY = "supermajority"
    UNANIMOUS = "unanimous"
    LAZY_CONSENSUS = "lazy_consensus"
    # Not offered in app.yaml: the core's vote on removing the lead, `quorum` being the share of all
    # the core that must vote For (`governance.lead_removal`); see bot.domain.tally.
    SHARE_OF_ALL = "share_of_all"


CONFIGURABLE_RULES = (Rule.MAJORITY, Rule.SUPERMAJORITY, Rule.UNANIMOUS, Rule.LAZY_CONSENSUS)


@dataclass(frozen=True)
class VotePolicy:
    """The promises a vote is called under, copied onto it when it opens (like a ticket's SLA)."""

    rule: Rule = Rule.MAJORITY
    quorum: float = 0.5  # in (0, 1]
    duration: timedelta = timedelta(days=7)  # how long the vote stays open
    rationale_within: timedelta = timedelta(days=3)  # to write the rationale once decided
    veto_window: timedelta = timedelta(days=7)  # the core may veto a module decision this long after publication
    reminders: tuple[float, ...] = (0.5, 0.9)  # fractions of `duration` at which those who have not voted hear


@dataclass(frozen=True)
class DecisionSettings:
    """Everything `decisions:` says for one group: its own votes, and how the core votes on what reaches it."""

    vote: VotePolicy = VotePolicy()
    core: VotePolicy = VotePolicy(duration=timedelta(days=5))
    channel: str | None = None  # where outcomes are published; else the area's channel and the core's


@dataclass(frozen=True)
class GovernancePolicy:
    review_every: timedelta = timedelta(weeks=13)  # the nominations review (quarterly)
    inactive_after: timedelta = timedelta(weeks=26)  # no activity this long: suggested for emeritus
    lead_removal: float = 0.75  # share of all active core maintainers needed to remove the lead


@dataclass(frozen=True)
class DigestSchedule:
    """When a weekly digest goes out: a weekday and a wall-clock time in `tz`."""

    weekday: int = 1  # ISO: 1 = Monday … 7 = Sunday
    at: time = time(9, 0)
    tz: str = "UTC"  # an IANA zone
