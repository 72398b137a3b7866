"""The only code that writes SQL for the weekly digests' schedules (`uow.digests`).

    uow.digests.ensure({"core": ("1 09:00 Europe/London", first_due)}, now)   # the scopes switched on
    states = uow.digests.claim_due(now)        # locked: a second sweeper skips them, then finds them not due
    uow.digests.save(replace(state, next_due_at=next_moment, last_sent_at=now))

A digest is a deadline like the others: one `digests` row per scope, its `next_due_at` locked
`FOR UPDATE SKIP LOCKED` by the sweep that sends it and moved in the same transaction as the outbox
row that carries it, so one digest goes out however many replicas sweep, and one after any downtime
(a passed `next_due_at` stays due until a sweep moves it). Not a `tickets` row: a digest has no `#N`.
SQLite has one writer at a time (see `storage.repositories`).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import and_, bindparam, func, or_, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from bot.domain.digest_schedule import DigestState
from bot.domain.ticket import Event
from storage.mapping import event_from_row
from storage.repositories import NUMBERED_ELSEWHERE, _Repository
from storage.tables import DigestRow, EventRow, TicketRow

_DIGESTS = DigestRow.__table__
_INSERT = {"sqlite": sqlite_insert(_DIGESTS).on_conflict_do_nothing(index_elements=["scope"]),
           "postgresql": postgresql_insert(_DIGESTS).on_conflict_do_nothing(index_elements=["scope"])}
# A scope switched on again, or whose schedule changed, starts from its next occurrence.
_RESCHEDULE = (update(_DIGESTS).where(_DIGESTS.c.scope == bindparam("key_scope"),
                                      or_(_DIGESTS.c.schedule != bindparam("key_schedule"),
                                          _DIGESTS.c.next_due_at.is_(None)))
               .values(schedule=bindparam("key_schedule"), next_due_at=bindparam("first_due")))


class DigestRepository(_Repository):
    def ensure(self, wanted: dict[str, tuple[str, datetime]]) -> None:
        """Make the schedules match the config: each scope in `wanted` (scope → schedule key, its
        first due moment) exists and runs that schedule; every other scope is paused (no next digest)."""
        if wanted:
            self._core.execute(_INSERT[self._core.dialect.name], [
                {"scope": scope, "schedule": schedule, "next_due_at": first}
                for scope, (schedule, first) in sorted(wanted.items())])
            self._core.execute(_RESCHEDULE, [{"key_scope": scope, "key_schedule": schedule, "first_due": first}
                                             for scope, (schedule, first) in sorted(wanted.items())])
        self._core.execute(update(_DIGESTS).where(_DIGESTS.c.scope.not_in(list(wanted)),
                                                  _DIGESTS.c.next_due_at.is_not(None)).values(next_due_at=None))

    def due(self, now: datetime) -> list[str]:
        """The scopes due at `now`, unlocked: whether a sweep has anything to prepare."""
        return list(self._core.scalars(select(_DIGESTS.c.scope).where(_DIGESTS.c.next_due_at <= now)
                                       .order_by(_DIGESTS.c.scope)))

    def claim_due(self, now: datetime) -> list[DigestState]:
        """The digests due at `now`, locked for this transaction; those another sweep holds are skipped."""
        statement = (select(_DIGESTS).where(_DIGESTS.c.next_due_at <= now).order_by(_DIGESTS.c.scope)
                     .with_for_update(skip_locked=True))
        return [_state(row) for row in self._core.execute(statement)]

    def save(self, state: DigestState) -> None:
        self._core.execute(update(_DIGESTS).where(_DIGESTS.c.scope == state.scope).values(
            schedule=state.schedule, next_due_at=state.next_due_at, last_sent_at=state.last_sent_at,
            last_since=state.last_since, last_until=state.last_until))

    def get(self, scope: str) -> DigestState | None:
        row = self._core.execute(select(_DIGESTS).where(_DIGESTS.c.scope == scope)).first()
        return None if row is None else _state(row)

    def all(self) -> list[DigestState]:
        return [_state(row) for row in self._core.execute(select(_DIGESTS).order_by(_DIGESTS.c.scope))]

    def earliest_due(self) -> datetime | None:
        return self._core.scalar(select(func.min(_DIGESTS.c.next_due_at)))

    def breaches_between(self, since: datetime, until: datetime) -> list[tuple[int, Event]]:
        """The tickets' events in [since, until) that may be broken promises (escalations, resolve
        breaches, the lead's overdue reminders), oldest first: `bot.reporting.metrics` says which are."""
        events = EventRow.__table__
        statement = (select(events).join(TicketRow.__table__, TicketRow.id == events.c.ticket_id)
                     .where(and_(events.c.at >= since, events.c.at < until),
                            events.c.kind.in_(("escalated", "breached", "reminded")),
                            TicketRow.kind.not_in(NUMBERED_ELSEWHERE))
                     .order_by(events.c.at, events.c.id))
        return [(row.ticket_id, event_from_row(row)) for row in self._core.execute(statement)]


def _state(row) -> DigestState:
    return DigestState(row.scope, row.schedule, row.next_due_at, row.last_sent_at, row.last_since, row.last_until)


__all__ = ["DigestRepository"]
