"""The stretch of time a report or a digest covers, and the one before it to compare with.

    week = Period.ending(monday_9am, timedelta(weeks=1))   # the digest's week: [last Monday 09:00, this one)
    week.previous()                                        # the week before, for the arrow
    Period(since, until).holds(ticket.created_at)

A period holds its start and not its end, so consecutive periods never count a moment twice; a
computation that takes its end inclusive (`metrics.report`'s `now`) is given `last_instant`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

INSTANT = timedelta(microseconds=1)  # the finest step of a datetime


@dataclass(frozen=True)
class Period:
    since: datetime
    until: datetime

    def __post_init__(self) -> None:
        if self.until < self.since:
            raise ValueError(f"a period ends after it starts: {self.since.isoformat()} … {self.until.isoformat()}")

    @classmethod
    def ending(cls, until: datetime, length: timedelta) -> Period:
        return cls(until - length, until)

    @property
    def length(self) -> timedelta:
        return self.until - self.since

    @property
    def last_instant(self) -> datetime:
        """The latest moment the period holds (its end is the next period's start)."""
        return max(self.since, self.until - INSTANT)

    def previous(self) -> Period:
        """The period of the same length just before this one."""
        return Period(self.since - self.length, self.since)

    def holds(self, moment: datetime) -> bool:
        return self.since <= moment < self.until
