"""The only code that writes SQL for decisions and their ballots (see `storage.decision_mapping`).

A decision's `tickets` row gives it its `#N` and holds its state, level and next deadline, so the
sweeper claims decisions from the same indexed column as tickets, with the same row locks: on
PostgreSQL `FOR UPDATE SKIP LOCKED`, so two replicas never close one vote twice; on SQLite one writer
at a time (see `storage.repositories`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import datetime

from sqlalchemy import bindparam, delete, insert, or_, select, update

from bot.domain.decision_record import ENDED, Decision, State
from storage.decision_mapping import DECISION, ballot_rows, decision_from_rows, decision_values, number_values
from storage.repositories import _Repository
from storage.tables import BallotRow, DecisionRow, TicketRow

_NUMBERS = TicketRow.__table__
_DECISIONS = DecisionRow.__table__
_BALLOTS = BallotRow.__table__
_ENDED = tuple(state.value for state in ENDED)
_UPDATE_NUMBERS = (update(_NUMBERS).where(_NUMBERS.c.id == bindparam("number"))
                   .values(state=bindparam("state"), level=bindparam("level"), next_due_at=bindparam("next_due_at"),
                           level_started_at=bindparam("level_started_at")))
_UPDATE_DECISIONS = (update(_DECISIONS).where(_DECISIONS.c.id == bindparam("number"))
                     .values({name: bindparam(name) for name in ("kind", "area", "state", "outcome", "opened_at",
                                                                  "published_at", "ticket_id", "body")}))


def _level_started_at(decision: Decision):
    return decision.current.opened_at if decision.rounds else decision.opened_at


class DecisionRepository(_Repository):
    def add(self, decision: Decision) -> Decision:
        """Insert a new decision; it comes back with its number."""
        if decision.number is not None:
            raise ValueError(f"decision #{decision.number} already has a number; use save() to change it")
        number = self._core.execute(insert(_NUMBERS).returning(_NUMBERS.c.id), number_values(decision)).scalar_one()
        decision = replace(decision, number=number)
        self._core.execute(insert(_DECISIONS), {"id": number} | decision_values(decision))
        self._write_ballots(decision)
        return decision

    def save(self, decision: Decision) -> None:
        """Write a changed decision back: its number row, its row and its ballots."""
        self.save_many([decision])

    def save_many(self, decisions: Iterable[Decision]) -> None:
        """Write changed decisions back in a few statements, however many (a sweep closes hundreds)."""
        decisions = list(decisions)
        if not decisions:
            return
        numbers = [decision.number for decision in decisions]
        self._core.execute(_UPDATE_NUMBERS, [
            {"number": decision.number, "state": decision.state.value, "level": decision.level,
             "next_due_at": decision.next_due_at, "level_started_at": _level_started_at(decision)}
            for decision in decisions])
        self._core.execute(_UPDATE_DECISIONS, [{"number": decision.number} | decision_values(decision)
                                               for decision in decisions])
        self._core.execute(delete(_BALLOTS).where(_BALLOTS.c.decision_id.in_(numbers)))
        rows = [row for decision in decisions for row in ballot_rows(decision)]
        if rows:
            self._core.execute(insert(_BALLOTS), rows)

    def _write_ballots(self, decision: Decision) -> None:
        rows = ballot_rows(decision)
        if rows:
            self._core.execute(insert(_BALLOTS), rows)

    def exists(self, number: int) -> bool:
        return self._core.scalar(select(_DECISIONS.c.id).where(_DECISIONS.c.id == number)) is not None

    def get(self, number: int) -> Decision | None:
        found = self._load_numbers([number])
        return found[0] if found else None

    def get_for_update(self, number: int) -> Decision | None:
        """Read a decision and hold its row until commit, so two clicks cannot both apply."""
        locked = select(_NUMBERS.c.id).where(_NUMBERS.c.id == number, _NUMBERS.c.kind == DECISION).with_for_update()
        if self._core.scalar(locked) is None:
            return None
        return self.get(number)

    def claim_due(self, now: datetime, limit: int) -> list[Decision]:
        """Decisions whose `next_due_at` has come, earliest first, locked for this transaction."""
        numbers = list(self._core.scalars(
            select(_NUMBERS.c.id).where(_NUMBERS.c.next_due_at <= now, _NUMBERS.c.kind == DECISION)
            .order_by(_NUMBERS.c.next_due_at).limit(limit).with_for_update(skip_locked=True)))
        return self._load_numbers(numbers)

    def open(self, area: str | None = None) -> list[Decision]:
        """Every decision not yet final or vetoed, oldest first (optionally one area's)."""
        ids = select(_DECISIONS.c.id).where(_DECISIONS.c.state.not_in(_ENDED))
        if area is not None:
            ids = ids.where(_DECISIONS.c.area == area)
        return self._load(ids)

    def in_states(self, states: Iterable[State]) -> list[Decision]:
        """The decisions in `states`, oldest first (`ix_decisions_state`)."""
        return self._load(select(_DECISIONS.c.id).where(_DECISIONS.c.state.in_([state.value for state in states])))

    def open_on_ticket(self, ticket_id: int) -> list[Decision]:
        """The decisions not yet final or vetoed that were called on ticket `ticket_id` (`/vote #N`)."""
        return self._load(select(_DECISIONS.c.id).where(_DECISIONS.c.ticket_id == ticket_id,
                                                        _DECISIONS.c.state.not_in(_ENDED)))

    def latest_published(self, limit: int, area: str | None = None) -> list[Decision]:
        """The `limit` decisions published last, newest first."""
        ids = select(_DECISIONS.c.id).where(_DECISIONS.c.published_at.is_not(None))
        if area is not None:
            ids = ids.where(_DECISIONS.c.area == area)
        ids = ids.order_by(_DECISIONS.c.published_at.desc(), _DECISIONS.c.id.desc()).limit(limit)
        return self._load_numbers(list(self._core.scalars(ids)))

    def since(self, since: datetime, area: str | None = None, until: datetime | None = None) -> list[Decision]:
        """Decisions opened or published in [since, until), oldest first (the decision log's population)."""
        moment = or_(_DECISIONS.c.opened_at >= since, _DECISIONS.c.published_at >= since)
        ids = select(_DECISIONS.c.id).where(moment)
        if until is not None:
            ids = ids.where(_DECISIONS.c.opened_at < until)
        if area is not None:
            ids = ids.where(_DECISIONS.c.area == area)
        return self._load(ids)

    def _load(self, ids) -> list[Decision]:
        return self._load_numbers(list(self._core.scalars(ids.order_by(_DECISIONS.c.id))))

    def _load_numbers(self, numbers: list[int]) -> list[Decision]:
        """The decisions with these numbers, in the order given (three queries, however many)."""
        if not numbers:
            return []
        heads = {row.id: row for row in self._core.execute(
            select(_NUMBERS.c.id, _NUMBERS.c.text, _NUMBERS.c.level, _NUMBERS.c.next_due_at)
            .where(_NUMBERS.c.id.in_(numbers)))}
        rows = {row.id: row for row in self._core.execute(select(_DECISIONS).where(_DECISIONS.c.id.in_(numbers)))}
        ballots: dict[int, list] = {}
        for ballot in self._core.execute(select(_BALLOTS).where(_BALLOTS.c.decision_id.in_(numbers))):
            ballots.setdefault(ballot.decision_id, []).append(ballot)
        return [decision_from_rows(number, heads[number].text, heads[number].level, heads[number].next_due_at,
                                   rows[number], ballots.get(number, []))
                for number in dict.fromkeys(numbers) if number in rows and number in heads]
