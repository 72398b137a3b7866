"""How an election's changes are written: the election, its events (under its `#N`), and one outbox row
per notice, in the transaction of the use case that made them.

    record(uow, [change], now)              # a change to a stored election (+ `election.refresh`)
    record(uow, [change], now, new=True)    # a new one, already added (numbered)

The outbox rows are the Slack side's contract:
    election.<notice kind>   {"election": N, "to": [people], "level": "core", "data": {...}}
                             (opened, stand_reminder, ballot, vote_reminder: urgent; elected, failed: normal)
    election.refresh         {"election": N}, low, after every change an election's message shows
An election just elected has its NEW_LEAD change stored in `uow.hierarchy` here, in the same
transaction, for `upline governance apply`; stored once, since only that transaction elects.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from bot.domain.election_record import ElectionOutcome
from bot.services.process_outbox import notice_rows, refresh_rows
from storage.unit_of_work import SqlUnitOfWork

_URGENT = frozenset({"opened", "ballot", "stand_reminder", "vote_reminder"})  # the voters are asked to act
# Events that change nothing the election's message shows: no refresh for them.
_INVISIBLE = frozenset({"reminded", "reminder_skipped"})


def record(uow: SqlUnitOfWork, changes: list[ElectionOutcome], now: datetime, new: bool = False) -> None:
    """The elections (with the change to the hierarchy of any just elected), their events, their notices,
    and — for an existing election whose change shows — an `election.refresh` after its notices."""
    elected = [change for change in changes if _store_new_lead(uow, change, now)]
    uow.elections.save_many([change.election for change in (elected if new else changes)])
    uow.events.append_many([(change.election.number, event) for change in changes for event in change.events])
    messages = []
    for change in changes:
        number = change.election.number
        messages += notice_rows("election", number, change.notices, now, _URGENT)
        if not new:
            messages += refresh_rows("election", number, change.events, now, _INVISIBLE)
    uow.outbox.add_many(messages)


def _store_new_lead(uow: SqlUnitOfWork, change: ElectionOutcome, now: datetime) -> bool:
    """Whether the election was just elected, its change now stored (and numbered with the election's `#N`)."""
    election = change.election
    if election.change is None or election.change.id is not None:
        return False
    lead = election.change
    stored = uow.hierarchy.add(replace(lead, decided_in=lead.decided_in or election.number), now)
    change.election = replace(election, change=stored)
    return True
