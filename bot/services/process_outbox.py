"""The outbox rows a governance process writes for one `#N` — a decision, a nomination, an election —
in the shape the Slack side reads (`handlers/decision_delivery.py` and its siblings):

    <process>.<notice kind>   {"<process>": N, "to": [people], "level": ..., "data": {...}}
                              urgent when someone is asked to act, else normal
    <process>.refresh         {"<process>": N}, low, after the notices, when a change shows on its messages

Each process says which notices are urgent and which events its messages do not show.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from bot.domain.ticket import Event, Notice
from storage.repositories import LOW, NORMAL, URGENT

Row = tuple[str, dict, int | None, datetime, int]  # what `uow.outbox.add_many` takes


def payload(process: str, number: int | None, notice: Notice) -> dict:
    return {process: number, "to": list(notice.to), "level": notice.level, "data": notice.data}


def notice_rows(process: str, number: int | None, notices: Iterable[Notice], now: datetime,
                urgent: frozenset[str]) -> list[Row]:
    """One row per notice."""
    return [(f"{process}.{notice.kind}", payload(process, number, notice), number, now,
             URGENT if notice.kind in urgent else NORMAL) for notice in notices]


def refresh_rows(process: str, number: int, events: Iterable[Event], now: datetime,
                 invisible: frozenset[str]) -> list[Row]:
    """A refresh of the messages kept of `#number`, when one of `events` changes what they show."""
    if any(event.kind not in invisible for event in events):
        return [(f"{process}.refresh", {process: number}, number, now, LOW)]
    return []
