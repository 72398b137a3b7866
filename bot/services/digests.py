"""The weekly digests: when one is due, compute what it says and promise it to Slack, once.

    service = DigestService(config, unit_of_work, decisions, last_active=activity_of)
    next_due = service.sweep_due(now)            # bot.app.sweep_all runs it with the other deadlines

With `digest: {every: "mon 09:00", tz: Europe/London}` the core (scope "core") and each area ("area:nn")
get a digest every Monday at 09:00 London time; an area's own `digest:` changes its schedule. A sweep
that finds a scope due computes its content (`bot.reporting.digest_content`) and, in the transaction
that moves its `next_due_at` to the first occurrence after now, writes one outbox row — `digest.core`
or `digest.area` — carrying the content as JSON: what was decided to send is never lost, and a
replica never recomputes it differently. One digest per period across replicas (the row is claimed
`FOR UPDATE SKIP LOCKED`); after downtime one digest, marked late, never one per missed period.

Where the issue is silent:
- A new scope's first digest is its next occurrence, not at once; a scope switched off is paused
  (no next digest), and when switched on again, or when its schedule changes, it starts from its
  next occurrence under the new schedule.
- A late digest covers the week up to the moment it missed (the latest occurrence before now); the
  lists of what is open are as of now. The next digest covers from that moment on.
- Sunset areas get no digest.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from bot.config.decisions import digest_schedule, governance_policy
from bot.config.schema import Config
from bot.domain import digest_schedule as schedules
from bot.domain.decision_clocks import LATE
from bot.domain.decision_policy import DigestSchedule
from bot.domain.nomination_clocks import start_review
from bot.domain.nomination_record import CORE, Nomination
from bot.domain.ticket import SYSTEM
from bot.reporting.digest_content import DigestData, area_digest, core_digest
from bot.reporting.periods import Period
from bot.services.decisions import DecisionService
from storage.repositories import NORMAL
from storage.unit_of_work import SqlUnitOfWork

CORE_SCOPE = "core"


def scopes(config: Config) -> dict[str, DigestSchedule]:
    """The scopes whose digest is on, and their schedules."""
    found = {}
    if (core := digest_schedule(config)) is not None:
        found[CORE_SCOPE] = core
    for area in config.areas:
        if not area.sunset and (schedule := digest_schedule(config, area.key)) is not None:
            found[f"area:{area.key}"] = schedule
    return found


@dataclass
class DigestService:
    config: Config
    unit_of_work: Callable[..., SqlUnitOfWork]
    decisions: DecisionService  # who stands where (its `groups`, kept current on reload)
    last_active: Callable[[datetime], Mapping[str, datetime]] = field(default=lambda now: {})
    on_commit: Callable[[datetime | None], None] = field(default=lambda due: None)
    _ensured: Config | None = field(default=None, init=False, repr=False)  # the config the schedules match

    def reload(self, config: Config) -> None:
        self.config = config

    def next_due(self) -> datetime | None:
        """When the next digest is due, as scheduled now (None: none is)."""
        with self.unit_of_work(read_only=True) as uow:
            return uow.digests.earliest_due()

    def sweep_due(self, now: datetime) -> datetime | None:
        """Send the digests due at `now`; returns when the next one is due."""
        wanted = scopes(self.config)
        if self._ensured is not self.config:  # at the first sweep, and after a reload
            with self.unit_of_work() as uow:
                uow.digests.ensure({scope: (schedules.key(s), schedules.next_after(s, now))
                                    for scope, s in wanted.items()})
                uow.commit()
            self._ensured = self.config
        with self.unit_of_work(read_only=True) as uow:
            due, earliest = uow.digests.due(now), uow.digests.earliest_due()
        if not due:
            return earliest
        data = self._data(now)  # before the write transaction: it reads a good part of the history
        with self.unit_of_work() as uow:
            for state in uow.digests.claim_due(now):
                schedule = wanted.get(state.scope)
                if schedule is None:  # switched off since `ensure`
                    continue
                uow.digests.save(self._send(uow, state, schedule, data, now))
            earliest = uow.digests.earliest_due()
            uow.commit()
        self.on_commit(None)  # the outbox has rows to deliver
        return earliest

    def _send(self, uow: SqlUnitOfWork, state: schedules.DigestState, schedule: DigestSchedule, data: DigestData,
              now: datetime) -> schedules.DigestState:
        moment = schedules.latest_at_or_before(schedule, now)  # the one it missed, when late
        week = Period(schedules.previous_before(schedule, moment), moment)
        late = now - state.next_due_at > LATE
        if state.scope == CORE_SCOPE:
            kind, content = "digest.core", core_digest(data, self.config, week, now=now, late=late)
        else:
            area = state.scope.removeprefix("area:")
            kind, content = "digest.area", area_digest(data, area, week, now=now, late=late)
        uow.outbox.add_many([(kind, content | {"due_at": state.next_due_at.isoformat()}, None, now, NORMAL)])
        return replace(state, next_due_at=schedules.next_after(schedule, now), last_sent_at=now,
                       last_since=week.since, last_until=week.until)

    def _data(self, now: datetime) -> DigestData:
        """What the digests due now are computed from: two weeks of tickets back from now, to compare."""
        reach = now - timedelta(weeks=3)  # a late digest's week and the one before it, and then some
        seen = self.last_active(now)
        with self.unit_of_work(read_only=True) as uow:
            breaches = uow.digests.breaches_between(reach, now)
            tickets = {number: ticket for number, (ticket, _) in
                       uow.tickets.with_refs(sorted({number for number, _ in breaches})).items()}
            nominations = uow.nominations.open()
            schedule = uow.nominations.review_schedule()
            return DigestData(
                open_tickets=uow.tickets.list_open(), breaches=breaches, tickets=tickets,
                reported=uow.tickets.opened_since(reach), events=uow.events.for_tickets_opened_since(reach),
                open_decisions=uow.decisions.open(), recent_decisions=uow.decisions.since(reach),
                nominations=nominations, suggested=self._suggested(nominations, seen, now),
                next_review_at=schedule.next_due_at if schedule else None)

    def _suggested(self, nominations: list[Nomination], seen: Mapping[str, datetime],
                   now: datetime) -> list[Nomination]:
        """Whom the nominations review would suggest for emeritus if it were held now (its own rule)."""
        policy = governance_policy(self.config)
        limits = {area.key: governance_policy(self.config, area.key).inactive_after for area in self.config.areas}
        review = start_review(nominations, by=SYSTEM, groups=self.decisions.groups, last_active=seen,
                              inactive_after=limits | {CORE: policy.inactive_after}, every=policy.review_every,
                              now=now)
        return [change.nomination for change in review.slate if change.nomination.number is None]


__all__ = ["CORE_SCOPE", "DigestService", "scopes"]
