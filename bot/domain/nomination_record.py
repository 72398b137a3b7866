"""What a nomination is: plain data that the rules in `nominations` and `nomination_clocks` change and
storage keeps.

`/nominate @kshitij12345 nn Reviews most nn PRs` opens one: numbered `#N` in the tickets' series, an
`action` (add or remove), a `person` (a `people` key, or the Slack ID of someone app.yaml does not
know), a `target` (an area key, or "core") and its nominators, each with their reason. Its `State`:

    nominated ──review──▶ in_review ──ask──▶ asked ──call the vote──▶ voting ──published──▶ confirmed
        │                    │  └──────────call the vote───────────────▲                └──▶ rejected
        └────────────────────┴──── desk-reject (a core maintainer, with a reason) ──▶ desk_rejected

`asked`: the maintainers of the target were asked for information and testimonials (an `Ask` with
one `Answer` per maintainer). `voting`: a Decision (`decision` is its `#N`) of the core — or of the
lead for the core's own membership — runs the vote; its publication ends the nomination with a
`HierarchyChange` when it passed. Like a ticket's, each change is told as events and notices.

    Nomination(Action.ADD, "kshitij12345", "nn", (Nominator("albanD", "Reviews most nn PRs", NOW),),
               State.NOMINATED, opened_at=NOW)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from bot.domain.hierarchy import HierarchyChange
from bot.domain.ticket import Event, Notice

CORE = "core"


class Action(StrEnum):
    ADD = "add"
    REMOVE = "remove"


class State(StrEnum):
    NOMINATED = "nominated"  # waits for the next review
    IN_REVIEW = "in_review"  # on the core's slate
    ASKED = "asked"  # the target's maintainers are asked for information and testimonials
    VOTING = "voting"  # the decision `decision` runs the vote
    CONFIRMED = "confirmed"
    REJECTED = "rejected"
    DESK_REJECTED = "desk_rejected"  # filtered out by a core maintainer, with a published reason


OPEN = (State.NOMINATED, State.IN_REVIEW, State.ASKED, State.VOTING)
ON_SLATE = (State.IN_REVIEW, State.ASKED, State.VOTING)
CLOSED = (State.CONFIRMED, State.REJECTED, State.DESK_REJECTED)


@dataclass(frozen=True)
class Nominator:
    by: str  # a people key, a Slack ID, or SYSTEM for the review's suggestions
    reason: str | None
    at: datetime


@dataclass(frozen=True)
class Answer:
    """One asked maintainer's form: what PyTorch's process asks the module's maintainers for."""

    by: str
    depth: str  # of the nominee's code, review and design contributions
    breadth: str
    testimonials: str  # of their interactions with maintainers, users and the community (good and bad)
    support: bool  # whether this maintainer supports the nomination
    at: datetime


@dataclass(frozen=True)
class Ask:
    """The request for information, reminded at `reminders` fractions of its window, closed at `due_at`."""

    by: str
    at: datetime
    due_at: datetime
    people: tuple[str, ...]  # asked: the target's maintainers, less the nominee
    reminders: tuple[float, ...]  # fractions of the window at which those yet to answer hear
    reminders_sent: int = 0
    closed: bool = False  # the window ended (or everyone answered): those who decide were told
    answers: tuple[Answer, ...] = ()  # one per person, the latest

    @property
    def unanswered(self) -> tuple[str, ...]:
        answered = {answer.by for answer in self.answers}
        return tuple(person for person in self.people if person not in answered)


@dataclass(frozen=True)
class Nomination:
    action: Action
    person: str
    target: str  # an area key, or CORE
    nominators: tuple[Nominator, ...]  # the first opened it; later ones joined
    state: State
    opened_at: datetime
    number: int | None = None  # `#N`, given by storage
    of_lead: bool = False  # the removal of the lead core maintainer: a core vote of a share of all the core
    emeritus: bool = False  # a removal the review suggested for inactivity: to emeritus, not off the list
    reviewed_at: datetime | None = None  # when a review put it on the slate
    ask: Ask | None = None
    decision: int | None = None  # the `#N` of the decision that votes on it
    closed_at: datetime | None = None
    closed_by: str | None = None  # who desk-rejected it, or who published the decision's outcome
    reason: str | None = None  # the published reasoning: the desk-rejection's, or the decision's rationale
    change: HierarchyChange | None = None  # what a confirmation changes in the hierarchy
    next_due_at: datetime | None = None  # the earliest moment the sweeper must look again (the ask's clock)

    @property
    def level(self) -> str:
        """The group it concerns, as decisions name groups: "area:nn" or "core"."""
        return CORE if self.target == CORE else f"area:{self.target}"

    @property
    def open_key(self) -> str | None:
        """What makes two nominations the same one while open (a second joins the first); None once closed."""
        return f"{self.action.value}:{self.target}:{self.person}" if self.state in OPEN else None


@dataclass(frozen=True)
class ReviewSchedule:
    """When the next nominations review is due, and when the last one was held."""

    next_due_at: datetime
    last_started_at: datetime | None = None
    last_started_by: str | None = None


@dataclass
class NominationOutcome:
    """What one action or one clock check did: the nomination after it, its events and its notices."""

    nomination: Nomination
    events: list[Event] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)


@dataclass
class ReviewOutcome:
    """A review: the schedule after it, every nomination it put on the slate (the suggested removals
    are new, without numbers), and the notice to the core."""

    schedule: ReviewSchedule
    slate: list[NominationOutcome] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)
