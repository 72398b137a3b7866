"""The nomination use cases: nominate (or join), the review, ask the maintainers, answer, desk-reject,
call the vote — and sweep the review and the reminders when they fall due.

    service = NominationService(config, unit_of_work, decisions, tickets, last_active=activity_of)
    service.nominate(by="U0FAN", person="U0KSHITIJ", target="nn", reason="Reviews most nn PRs", now=now)
    service.start_review(by="U0CORE1", now=now)            # /nominate review
    change, vote = service.call_vote(41, by="U0CORE1", now=now)   # vote: the Decision that votes on #41

Each is one transaction, as for tickets and decisions: the nomination, its events and the outbox rows
`nomination.<notice kind>` (`nomination.review` without a ticket) are committed together. The vote
is a Decision run by `DecisionService` (its vote message, reminders, rationale and publication); this
service hooks into its publication (`DecisionService.published_hooks`) and, in the transaction that
publishes the decision, confirms or rejects the nomination and stores its `HierarchyChange` in
`uow.hierarchy`, for `upline governance apply`.

Where DESIGN.md is silent:
- The maintainers are asked within the core's vote `duration` (the time the core gives itself to
  decide), reminded at the area's `sla.reminders` fractions of it.
- `last_active(now)` says when each maintainer last took part (people keys); the caller decides
  what no activity at all means (bot.reporting.activity counts from the start of its history).
- `bot.app.sweep_all` runs `sweep_due`; handlers/nomination_delivery.py renders the notices.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

from bot.config.decisions import decision_settings, governance_policy
from bot.config.schema import Config
from bot.domain import nomination_clocks as clocks
from bot.domain import nominations as rules
from bot.domain.decision_record import DecisionOutcome, Groups
from bot.domain.errors import UserError
from bot.domain.nomination_record import (
    CORE,
    ON_SLATE,
    Action,
    Nomination,
    NominationOutcome,
    ReviewOutcome,
    ReviewSchedule,
    State,
)
from bot.domain.ticket import SYSTEM
from bot.services import storable
from bot.services.decisions import PROPOSAL_MAX, REASON_MAX, DecisionService
from bot.services.nomination_records import decide_published, record, record_review
from bot.services.tickets import TicketService
from storage.nomination_repository import NominationTaken
from storage.unit_of_work import SqlUnitOfWork


@dataclass(frozen=True)
class Slate:
    """What the core reviews: the nominations on its slate, oldest first, and when the next review is due."""

    nominations: list[Nomination]
    schedule: ReviewSchedule | None


@dataclass
class NominationService:
    config: Config
    unit_of_work: Callable[..., SqlUnitOfWork]
    decisions: DecisionService  # runs the votes; who stands where (its `groups`, kept current on reload)
    tickets: TicketService  # who is who
    last_active: Callable[[datetime], Mapping[str, datetime]] = field(default=lambda now: {})
    on_commit: Callable[[datetime | None], None] = field(default=lambda due: None)

    def __post_init__(self) -> None:
        # A nomination's vote is settled when its decision is published, in that same transaction.
        self.decisions.published_hooks.append(lambda uow, published, now: decide_published(uow, self.config,
                                                                                           published, now))

    def reload(self, config: Config) -> None:
        self.config = config

    @property
    def groups(self) -> Groups:
        return self.decisions.groups

    def person_of(self, user: str) -> str:
        return self.tickets.person_of(user)

    # -- nominating -------------------------------------------------------------------------------

    def nominate(self, *, by: str, person: str, target: str, reason: str | None, now: datetime,
                 action: Action = Action.ADD) -> NominationOutcome:
        """`/nominate [remove] @person <area|core> [why]`: a new nomination, or — when the same one is
        open — this nominator joins it with their reason."""
        by, person, target = self.person_of(by), self.person_of(person), self._target(target)
        if problem := storable.id_problem(person, "nominations", "person", "the person nominated"):
            raise problem
        reason = _checked(reason, "The reason", REASON_MAX) if reason else None
        for attempt in range(2):
            try:
                with self.unit_of_work() as uow:
                    same = uow.nominations.open_same(action, person, target)
                    if same is not None:
                        change = rules.join(same, by=by, reason=reason, groups=self.groups, now=now)
                        record(uow, [change], now)
                    else:
                        change = rules.nominate(action=action, person=person, target=target, by=by, reason=reason,
                                                groups=self.groups, now=now)
                        change.nomination = uow.nominations.add(change.nomination)
                        record(uow, [change], now, new=True)
                    uow.commit()
                self._committed([change])
                return change
            except NominationTaken:  # opened by someone else meanwhile: the second try joins it
                if attempt:
                    raise
        raise AssertionError("unreachable")

    def join(self, number: int, *, by: str, reason: str | None, now: datetime) -> NominationOutcome:
        reason = _checked(reason, "The reason", REASON_MAX) if reason else None
        return self._apply(number, now, lambda n: rules.join(n, by=self.person_of(by), reason=reason,
                                                             groups=self.groups, now=now))

    # -- the core's moves -------------------------------------------------------------------------

    def start_review(self, *, by: str, now: datetime) -> ReviewOutcome:
        """`/nominate review`: the review now, whenever the next was due; the one after comes `review_every` later."""
        review = self._review(self.person_of(by), now, first=True)
        assert review is not None  # a review asked for waits for the schedule's lock, which always exists
        return review

    def desk_reject(self, number: int, *, by: str, reason: str, now: datetime) -> NominationOutcome:
        reason = _checked(reason, "The reason", REASON_MAX)
        return self._apply(number, now, lambda n: rules.desk_reject(n, by=self.person_of(by), reason=reason,
                                                                    groups=self.groups, now=now))

    def ask_maintainers(self, number: int, *, by: str, now: datetime) -> NominationOutcome:
        def ask(nomination: Nomination) -> NominationOutcome:
            settings = decision_settings(self.config, _area(nomination))
            return rules.ask_maintainers(nomination, by=self.person_of(by), groups=self.groups,
                                         window=settings.core.duration, reminders=settings.vote.reminders, now=now)
        return self._apply(number, now, ask)

    def answer(self, number: int, *, by: str, depth: str, breadth: str, testimonials: str | None, support: bool,
               now: datetime) -> NominationOutcome:
        """An asked maintainer's form: depth and breadth of the nominee's contributions, testimonials, support."""
        depth, breadth = (_checked(text, what, REASON_MAX) for text, what in ((depth, "The depth"),
                                                                             (breadth, "The breadth")))
        testimonials = _checked(testimonials, "The testimonials", REASON_MAX) if testimonials else None
        return self._apply(number, now, lambda n: rules.answer(
            n, by=self.person_of(by), depth=depth, breadth=breadth, testimonials=testimonials, support=support,
            groups=self.groups, now=now))

    def call_vote(self, number: int, *, by: str, now: datetime) -> tuple[NominationOutcome, DecisionOutcome]:
        """Put it to the vote, in the same transaction as the Decision that runs it."""
        by = self.person_of(by)
        with self.unit_of_work() as uow:
            nomination = self._locked(uow, number)
            proposal = rules.proposal(nomination, self._name)
            proposal = proposal if len(proposal) <= PROPOSAL_MAX else proposal[:PROPOSAL_MAX - 1] + "…"
            change, vote = rules.call_vote(
                nomination, by=by, groups=self.groups, policy=decision_settings(self.config, _area(nomination)),
                lead_removal=governance_policy(self.config).lead_removal, proposal=proposal, now=now)
            self.decisions.open_in(uow, vote, now)
            rules.linked(change, vote.decision.number)
            record(uow, [change], now)
            uow.commit()
        self.decisions.on_commit(vote.decision.next_due_at)
        return change, vote

    # -- deadlines --------------------------------------------------------------------------------

    def sweep_due(self, now: datetime, batch: int = 500) -> datetime | None:
        """The review when it is due (once across replicas), then the reminders of the requests for
        information; returns when the next of either falls due."""
        with self.unit_of_work(read_only=True) as uow:
            schedule = uow.nominations.review_schedule()
        if schedule is None or clocks.review_due(schedule, now):
            self._review(SYSTEM, now, first=schedule is None)
        while True:
            with self.unit_of_work() as uow:
                due = uow.nominations.claim_due(now, batch)
                changes = [clocks.due(nomination, now=now, groups=self.groups) for nomination in due]
                record(uow, changes, now)
                next_due = uow.nominations.earliest_due() if len(due) < batch else None
                schedule = uow.nominations.review_schedule()
                uow.commit()
            if len(due) < batch:
                moments = [moment for moment in (next_due, schedule and schedule.next_due_at) if moment]
                return min(moments, default=None)

    def _review(self, by: str, now: datetime, *, first: bool) -> ReviewOutcome | None:
        """The review, unless it is not due (for the sweeper) or another replica holds it: None then."""
        policy = governance_policy(self.config)
        seen = self.last_active(now)  # before the transaction: it may read the whole history
        with self.unit_of_work() as uow:
            claimed = uow.nominations.claim_review(clocks.first_schedule(now, policy.review_every) if first else None,
                                                   wait=by != SYSTEM)
            if claimed is None or (by == SYSTEM and not clocks.review_due(claimed, now)):
                uow.commit()  # the first schedule, when this sweep made it
                return None
            limits = {area.key: governance_policy(self.config, area.key).inactive_after for area in self.config.areas}
            review = clocks.start_review(uow.nominations.open(lock=True), by=by, groups=self.groups, last_active=seen,
                                         inactive_after=limits | {CORE: policy.inactive_after},
                                         every=policy.review_every, now=now)
            record_review(uow, review, now)
            uow.commit()
        self._committed(review.slate)
        return review

    # -- views ------------------------------------------------------------------------------------

    def get(self, number: int) -> tuple[Nomination, list]:
        """The nomination and its history (`/status #N`)."""
        with self.unit_of_work(read_only=True) as uow:
            nomination = uow.nominations.get(number)
            if nomination is None:
                raise UserError(f"There is no nomination #{number}.")
            return nomination, uow.events.for_ticket(number)

    def is_nomination(self, number: int) -> bool:
        with self.unit_of_work(read_only=True) as uow:
            return uow.nominations.exists(number)

    def slate(self) -> Slate:
        with self.unit_of_work(read_only=True) as uow:
            return Slate(uow.nominations.in_states(ON_SLATE), uow.nominations.review_schedule())

    def listing(self, target: str | None = None) -> list[Nomination]:
        """Every open nomination (optionally for one area, or "core"), oldest first."""
        with self.unit_of_work(read_only=True) as uow:
            return uow.nominations.open(None if target is None else self._target(target))

    def asked_of(self, user: str) -> list[Nomination]:
        """The nominations waiting on this person's answer (App Home)."""
        person = self.person_of(user)
        with self.unit_of_work(read_only=True) as uow:
            asking = uow.nominations.in_states([State.ASKED])
        return [nomination for nomination in asking if person in nomination.ask.unanswered]

    # -- recording --------------------------------------------------------------------------------

    def _apply(self, number: int, now: datetime, rule: Callable[[Nomination], NominationOutcome]) -> NominationOutcome:
        with self.unit_of_work() as uow:
            change = rule(self._locked(uow, number))
            record(uow, [change], now)
            uow.commit()
        self._committed([change])
        return change

    @staticmethod
    def _locked(uow: SqlUnitOfWork, number: int) -> Nomination:
        nomination = uow.nominations.get_for_update(number)
        if nomination is None:
            raise UserError(f"There is no nomination #{number}.")
        return nomination

    def _committed(self, changes: list[NominationOutcome]) -> None:
        # Always: the outbox has the rows just committed, even when no deadline came with them.
        deadlines = [change.nomination.next_due_at for change in changes if change.nomination.next_due_at]
        self.on_commit(min(deadlines, default=None))

    def _target(self, target: str) -> str:
        target = target.strip()
        if target.casefold() == CORE:
            return CORE
        folded = target.casefold()
        found = self.config.area(target) or next(
            (area for area in self.config.areas if any(alias.casefold() == folded for alias in area.aliases)), None)
        return found.key if found else target  # an unknown area is the rules' to refuse

    def _name(self, person: str) -> str:
        return self.config.display_name(person) if person in self.config.people else person


def _area(nomination: Nomination) -> str | None:
    return None if nomination.target == CORE else nomination.target


def _checked(text: str | None, what: str, limit: int) -> str:
    text = (text or "").strip()
    if problem := storable.text_problem(text, what, limit):
        raise problem
    return text


__all__ = ["NominationService", "Slate"]
