"""The only code that writes SQL for elections of the lead (`uow.elections`; see `storage.election_mapping`).

    election = uow.elections.add(election)        # numbered in the #N series; ElectionTaken if one is open
    election = uow.elections.get_for_update(57)   # held until commit, so two clicks cannot both apply
    due = uow.elections.claim_due(now, 500)       # FOR UPDATE SKIP LOCKED on PostgreSQL

An election's `#N` is a `tickets` row of kind "election", which holds its phase and its next deadline
(`next_due_at`), so the sweeper claims elections from the same indexed column as tickets and decisions,
with the same row locks; the rest is its `elections` row. `open_key` is set while the election is open
and unique, so at most one is ever open: a second `/elect lead` committed at the same moment by another
transaction fails on the key (PostgreSQL makes it wait for the first to commit), and on SQLite, with
one writer at a time, the second always sees the first.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import datetime

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.exc import IntegrityError

from bot.domain.election_record import Election, Phase
from storage.election_mapping import ELECTION, OPEN_KEY, election_from_rows, election_values, number_values, summary
from storage.repositories import _Repository
from storage.tables import ElectionRow, TicketRow

_NUMBERS = TicketRow.__table__
_ELECTIONS = ElectionRow.__table__
_COLUMNS = ("phase", "vacancy", "open_key", "opened_by", "opened_at", "closed_at", "winner", "body")
_UPDATE_NUMBERS = (update(_NUMBERS).where(_NUMBERS.c.id == bindparam("number"))
                   .values(state=bindparam("state"), text=bindparam("text"), next_due_at=bindparam("next_due_at")))
_UPDATE_ELECTIONS = (update(_ELECTIONS).where(_ELECTIONS.c.id == bindparam("number"))
                     .values({name: bindparam(name) for name in _COLUMNS}))


class ElectionTaken(Exception):
    """Another election of the lead is open (or was opened meanwhile); the transaction is then spoilt."""


class ElectionRepository(_Repository):
    def add(self, election: Election) -> Election:
        """Insert a new election; it comes back with its number."""
        if election.number is not None:
            raise ValueError(f"election #{election.number} already has a number; use save_many() to change it")
        number = self._core.execute(insert(_NUMBERS).returning(_NUMBERS.c.id), number_values(election)).scalar_one()
        try:
            self._core.execute(insert(_ELECTIONS), {"id": number} | election_values(election))
        except IntegrityError as error:
            if "open_key" in str(error.orig):
                raise ElectionTaken() from error
            raise
        return replace(election, number=number)

    def save_many(self, elections: Iterable[Election]) -> None:
        """Write changed elections back in two statements, however many."""
        elections = list(elections)
        if not elections:
            return
        self._core.execute(_UPDATE_NUMBERS, [{"number": e.number, "state": e.phase.value, "text": summary(e),
                                              "next_due_at": e.next_due_at} for e in elections])
        self._core.execute(_UPDATE_ELECTIONS, [{"number": e.number} | election_values(e) for e in elections])

    def exists(self, number: int) -> bool:
        return self._core.scalar(select(_ELECTIONS.c.id).where(_ELECTIONS.c.id == number)) is not None

    def get(self, number: int) -> Election | None:
        found = self._select(_ELECTIONS.c.id == number)
        return found[0] if found else None

    def get_for_update(self, number: int) -> Election | None:
        """Read an election and hold its row until commit, so two clicks cannot both apply."""
        locked = select(_NUMBERS.c.id).where(_NUMBERS.c.id == number, _NUMBERS.c.kind == ELECTION).with_for_update()
        if self._core.scalar(locked) is None:
            return None
        return self.get(number)

    def open(self) -> Election | None:
        """The open election, if any (there is at most one)."""
        found = self._select(_ELECTIONS.c.open_key == OPEN_KEY)
        return found[0] if found else None

    def latest(self, phase: Phase | None = None) -> Election | None:
        """The election opened last (of those in `phase`, when given)."""
        where = [] if phase is None else [_ELECTIONS.c.phase == phase.value]
        found = self._select(*where, newest_first=True, limit=1)
        return found[0] if found else None

    def claim_due(self, now: datetime, limit: int) -> list[Election]:
        """Elections whose `next_due_at` has come, earliest first, locked for this transaction."""
        numbers = list(self._core.scalars(
            select(_NUMBERS.c.id).where(_NUMBERS.c.next_due_at <= now, _NUMBERS.c.kind == ELECTION)
            .order_by(_NUMBERS.c.next_due_at).limit(limit).with_for_update(skip_locked=True)))
        found = {e.number: e for e in self._select(_ELECTIONS.c.id.in_(numbers))} if numbers else {}
        return [found[number] for number in numbers if number in found]

    def _select(self, *where, newest_first: bool = False, limit: int | None = None) -> list[Election]:
        statement = (select(_ELECTIONS, _NUMBERS.c.next_due_at).join(_NUMBERS, _NUMBERS.c.id == _ELECTIONS.c.id)
                     .where(*where).order_by(_ELECTIONS.c.id.desc() if newest_first else _ELECTIONS.c.id))
        if limit is not None:
            statement = statement.limit(limit)
        return [election_from_rows(row, row.next_due_at) for row in self._core.execute(statement)]


__all__ = ["ELECTION", "ElectionRepository", "ElectionTaken"]
