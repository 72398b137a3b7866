"""The only code that writes SQL for nominations and the schedule of their review (`uow.nominations`).

    nomination = uow.nominations.add(nomination)            # numbered in the #N series
    same = uow.nominations.open_same(Action.ADD, "kshitij", "nn")   # locked: a duplicate joins it
    schedule = uow.nominations.claim_review()               # None: another sweeper holds the review

A nomination's `#N` is a `tickets` row of kind "nomination", the rest its `nominations` row; its
deadline (`next_due_at`) lives in that row, claimed `FOR UPDATE SKIP LOCKED` like the tickets'.

The review's schedule is one `review_schedule` row, not a `tickets` row of its own: a tickets row
would take a number from the public `#N` series, and the tickets' sweeper sleeps until the earliest
`next_due_at` of every tickets row, so a review it does not sweep would keep waking it. The sweep
that holds the review locks that row `FOR UPDATE SKIP LOCKED` (a second replica skips it rather than
waiting, then finds the review no longer due) and moves `next_due_at` in the same transaction: one
review however many replicas sweep, and one after any downtime, since a passed `next_due_at` is due
until a review moves it. SQLite has one writer at a time (see `storage.repositories`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import datetime

from sqlalchemy import bindparam, func, insert, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError

from bot.domain.nomination_record import OPEN, Action, Nomination, ReviewSchedule, State
from storage.nomination_mapping import NOMINATION, nomination_from_row, nomination_values, number_values, summary
from storage.repositories import _Repository
from storage.tables import NominationRow, ReviewScheduleRow, TicketRow

_NUMBERS = TicketRow.__table__
_NOMINATIONS = NominationRow.__table__
_SCHEDULE = ReviewScheduleRow.__table__
REVIEW = "nominations"  # the schedule row's key
_OPEN = tuple(state.value for state in OPEN)
_UPDATE_NUMBERS = (update(_NUMBERS).where(_NUMBERS.c.id == bindparam("number"))
                   .values(state=bindparam("state"), level=bindparam("level"), text=bindparam("text")))
_UPDATE_NOMINATIONS = (update(_NOMINATIONS).where(_NOMINATIONS.c.id == bindparam("number"))
                       .values({name: bindparam(name) for name in (
                           "state", "open_key", "decision_id", "closed_at", "next_due_at", "body")}))
_INSERT_SCHEDULE = {"sqlite": sqlite_insert(_SCHEDULE).on_conflict_do_nothing(index_elements=["key"]),
                    "postgresql": postgresql_insert(_SCHEDULE).on_conflict_do_nothing(index_elements=["key"])}


class NominationTaken(Exception):
    """Another transaction opened the same nomination first: try again, and join it."""


class NominationRepository(_Repository):
    def add(self, nomination: Nomination) -> Nomination:
        """Insert a new nomination; it comes back with its number. Raises `NominationTaken` when the
        same one (action, person, target) was opened meanwhile: the transaction is then spoilt."""
        if nomination.number is not None:
            raise ValueError(f"nomination #{nomination.number} already has a number; use save() to change it")
        number = self._core.execute(insert(_NUMBERS).returning(_NUMBERS.c.id),
                                    number_values(nomination)).scalar_one()
        try:
            self._core.execute(insert(_NOMINATIONS), {"id": number} | nomination_values(nomination))
        except IntegrityError as error:
            if "open_key" in str(error.orig):
                raise NominationTaken(nomination.open_key) from error
            raise
        return replace(nomination, number=number)

    def save_many(self, nominations: Iterable[Nomination]) -> None:
        nominations = list(nominations)
        if not nominations:
            return
        self._core.execute(_UPDATE_NUMBERS, [{"number": n.number, "state": n.state.value, "level": n.level,
                                              "text": summary(n)} for n in nominations])
        rows = []
        for nomination in nominations:
            values = nomination_values(nomination)
            rows.append({"number": nomination.number} | {name: values[name] for name in (
                "state", "open_key", "decision_id", "closed_at", "next_due_at", "body")})
        self._core.execute(_UPDATE_NOMINATIONS, rows)

    def exists(self, number: int) -> bool:
        return self._core.scalar(select(_NOMINATIONS.c.id).where(_NOMINATIONS.c.id == number)) is not None

    def get(self, number: int) -> Nomination | None:
        found = self._select(_NOMINATIONS.c.id == number)
        return found[0] if found else None

    def get_for_update(self, number: int) -> Nomination | None:
        """Read a nomination and hold its row until commit, so two clicks cannot both apply."""
        found = self._select(_NOMINATIONS.c.id == number, lock=True)
        return found[0] if found else None

    def open_same(self, action: Action, person: str, target: str) -> Nomination | None:
        """The open nomination a new one of the same person, change and target joins; locked."""
        found = self._select(_NOMINATIONS.c.open_key == f"{action.value}:{target}:{person}", lock=True)
        return found[0] if found else None

    def in_states(self, states: Iterable[State], target: str | None = None, *, lock: bool = False) -> list[Nomination]:
        """Nominations in `states` (optionally for one target), oldest first."""
        where = [_NOMINATIONS.c.state.in_([state.value for state in states])]
        if target is not None:
            where.append(_NOMINATIONS.c.target == target)
        return self._select(*where, lock=lock)

    def open(self, target: str | None = None, *, lock: bool = False) -> list[Nomination]:
        return self.in_states(OPEN, target, lock=lock)

    def of_person(self, person: str) -> list[Nomination]:
        return self._select(_NOMINATIONS.c.person == person)

    def voted_in(self, decisions: Iterable[int]) -> list[Nomination]:
        """The nominations under vote in these decisions, locked: their publication decides them."""
        numbers = list(decisions)
        if not numbers:
            return []
        return self._select(_NOMINATIONS.c.decision_id.in_(numbers), _NOMINATIONS.c.state == State.VOTING.value,
                            lock=True)

    def claim_due(self, now: datetime, limit: int) -> list[Nomination]:
        """Nominations whose `next_due_at` has come, earliest first, locked for this transaction."""
        numbers = list(self._core.scalars(
            select(_NOMINATIONS.c.id).where(_NOMINATIONS.c.next_due_at <= now)
            .order_by(_NOMINATIONS.c.next_due_at).limit(limit).with_for_update(skip_locked=True)))
        found = {n.number: n for n in self._select(_NOMINATIONS.c.id.in_(numbers))} if numbers else {}
        return [found[number] for number in numbers if number in found]

    def earliest_due(self) -> datetime | None:
        return self._core.scalar(select(func.min(_NOMINATIONS.c.next_due_at)))

    def _select(self, *where, lock: bool = False) -> list[Nomination]:
        statement = select(_NOMINATIONS).where(*where).order_by(_NOMINATIONS.c.id)
        if lock:
            statement = statement.with_for_update()
        return [nomination_from_row(row) for row in self._core.execute(statement)]

    # -- the review's schedule --------------------------------------------------------------------

    def review_schedule(self) -> ReviewSchedule | None:
        """The schedule as it stands, unlocked (None before the first sweep made it)."""
        row = self._core.execute(select(_SCHEDULE).where(_SCHEDULE.c.key == REVIEW)).first()
        return None if row is None else _schedule(row)

    def claim_review(self, first: ReviewSchedule | None = None, *, wait: bool = False) -> ReviewSchedule | None:
        """The schedule, locked until commit; made from `first` when there is none yet. None when
        another transaction holds it (unless `wait`: `/nominate review` waits its turn)."""
        if first is not None:
            self._core.execute(_INSERT_SCHEDULE[self._core.dialect.name], _schedule_values(first))
        statement = select(_SCHEDULE).where(_SCHEDULE.c.key == REVIEW).with_for_update(skip_locked=not wait)
        row = self._core.execute(statement).first()
        return None if row is None else _schedule(row)

    def save_review(self, schedule: ReviewSchedule) -> None:
        self._core.execute(update(_SCHEDULE).where(_SCHEDULE.c.key == REVIEW).values(
            {name: value for name, value in _schedule_values(schedule).items() if name != "key"}))


def _schedule_values(schedule: ReviewSchedule) -> dict:
    return {"key": REVIEW, "next_due_at": schedule.next_due_at, "last_started_at": schedule.last_started_at,
            "last_started_by": schedule.last_started_by}


def _schedule(row) -> ReviewSchedule:
    return ReviewSchedule(row.next_due_at, row.last_started_at, row.last_started_by)


__all__ = ["NOMINATION", "NominationRepository", "NominationTaken", "REVIEW"]
