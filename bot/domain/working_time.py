"""SLA time: the clocks run around the clock unless the policy sets working hours and holidays.

`add(start, duration)` is the moment `duration` of SLA time after `start`; `between(a, b)` is how
much SLA time passes from a to b. Both take and return timezone-aware UTC datetimes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.domain.ticket import WorkingHours


@dataclass(frozen=True)
class WorkingCalendar:
    hours: WorkingHours | None = None
    holidays: str | None = None

    def add(self, start: datetime, duration: timedelta) -> datetime:
        if self.hours is None and self.holidays is None:
            return start + duration
        raise NotImplementedError("working hours and holidays")

    def between(self, start: datetime, end: datetime) -> timedelta:
        if self.hours is None and self.holidays is None:
            return end - start
        raise NotImplementedError("working hours and holidays")
