"""SLA time: the clocks run around the clock unless the policy sets working hours and holidays.

`add(start, duration)` is the moment `duration` of SLA time after `start`; `between(a, b)` is how
much SLA time passes from a to b. Both take and return timezone-aware UTC datetimes.

What users get:
- no hours, no holidays: SLA time is real time.
- hours (Mon-Fri 09:00-17:00 Europe/London): the clock runs only inside that local window. A ticket
  opened Friday 16:00 with a 2h promise is due Monday 10:00; one opened Saturday starts Monday 09:00.
- holidays ("GB", "US-CA", "DE-BY"): that calendar's public holidays count zero. Without hours every
  other day counts in full, days being taken in UTC.

Daylight saving: a window opens at the first instant the local clock reads its start time and
closes at the first instant it reads its end time; SLA time is the real time in between. So
09:00-17:00 is 8h on change days too (clocks change at night) and deadlines land on the promised
local wall-clock time, while a window spanning the skipped hour is an hour shorter and one spanning
the repeated hour an hour longer: that is the time people had. A bound inside the skipped hour
(02:30 in New York) falls at the jump itself (03:00); one inside the repeated hour, at its first pass.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from typing import NamedTuple
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import holidays as holiday_calendars

from bot.domain.ticket import WorkingHours

# A calendar that finds no working time for this many days in a row has none at all (say every
# working day is a holiday); saying so beats searching for ever.
_MAX_IDLE_DAYS = 370
_CLOCK = re.compile(r"(\d{1,2}):(\d\d)")


class _Daily(NamedTuple):
    zone: ZoneInfo
    opens: time
    closes: time | None  # None: the day runs to the next local midnight
    weekdays: frozenset[int]


_AROUND_THE_CLOCK = _Daily(ZoneInfo("UTC"), time(0), None, frozenset(range(1, 8)))


@dataclass(frozen=True)
class WorkingCalendar:
    hours: WorkingHours | None = None
    holidays: str | None = None

    def __post_init__(self) -> None:
        # Fail when the policy is built, not when the sweeper first meets a ticket using it.
        if self.hours is not None:
            _daily(self.hours)
        if self.holidays is not None:
            check_holidays_code(self.holidays)

    def add(self, start: datetime, duration: timedelta) -> datetime:
        if duration < timedelta(0):
            raise ValueError(f"SLA durations cannot be negative, got {duration}")
        start = _utc(start)
        if (self.hours is None and self.holidays is None) or not duration:
            return start + duration
        remaining = duration
        for opens, closes in self._windows(start):
            if closes <= start:
                continue
            opens = max(opens, start)
            if remaining <= closes - opens:
                return opens + remaining
            remaining -= closes - opens
        raise AssertionError("unreachable: _windows never runs out")

    def between(self, start: datetime, end: datetime) -> timedelta:
        start, end = _utc(start), _utc(end)
        if end <= start:
            return timedelta(0)
        if self.hours is None and self.holidays is None:
            return end - start
        total = timedelta(0)
        for opens, closes in self._windows(start):
            if opens >= end:
                break
            total += max(timedelta(0), min(closes, end) - max(opens, start))
        return total

    def _windows(self, start: datetime) -> Iterator[tuple[datetime, datetime]]:
        """The working windows, in UTC and in order, from the one that may hold `start` on."""
        daily = _daily(self.hours) if self.hours is not None else _AROUND_THE_CLOCK
        # Begin a day early: a window never reaches past the next local midnight, so no earlier
        # day can matter, whatever odd offset change the zone had.
        day = start.astimezone(daily.zone).date() - timedelta(days=1)
        idle = 0
        while idle < _MAX_IDLE_DAYS:
            window = self._window(daily, day)
            idle = 0 if window else idle + 1
            if window:
                yield window
            day += timedelta(days=1)
        raise ValueError(f"{self} has no working time in {_MAX_IDLE_DAYS} days from {day - timedelta(idle)}")

    def _window(self, daily: _Daily, day: date) -> tuple[datetime, datetime] | None:
        if day.isoweekday() not in daily.weekdays:
            return None
        if self.holidays is not None and day in _holiday_dates(self.holidays, day.year):
            return None
        opens = _first_instant(day, daily.opens, daily.zone)
        if daily.closes is None:
            closes = _first_instant(day + timedelta(days=1), time(0), daily.zone)
        else:
            closes = _first_instant(day, daily.closes, daily.zone)
        # Only a window lying wholly inside a spring-forward gap comes out empty.
        return (opens, closes) if opens < closes else None


def _first_instant(day: date, at: time, zone: ZoneInfo) -> datetime:
    """The first instant, in UTC, at which the clock in `zone` reads `at` or later on `day`."""
    local = datetime.combine(day, at, zone)
    first, other = local.astimezone(UTC), local.replace(fold=1).astimezone(UTC)
    if other >= first:
        return first  # the time exists; if it occurs twice (fall back), fold=0 is the first
    # `at` was skipped (spring forward): the clock passes it when it jumps, somewhere in (other,
    # first]. zoneinfo does not expose transitions, so bisect on whole seconds, as tzdata does.
    before, after = int(other.timestamp()), int(first.timestamp())
    offset_after = first.astimezone(zone).utcoffset()
    while after - before > 1:
        middle = (before + after) // 2
        if datetime.fromtimestamp(middle, zone).utcoffset() == offset_after:
            after = middle
        else:
            before = middle
    return datetime.fromtimestamp(after, UTC)


def check_holidays_code(code: str) -> None:
    """Raise ValueError unless `code` ("GB", "US-CA") names a calendar the holidays package knows."""
    _calendar(code)


@lru_cache(maxsize=64)
def _calendar(code: str) -> tuple[str, str | None]:
    country, dash, subdivision = code.partition("-")
    try:
        if dash and not subdivision:
            raise NotImplementedError  # "US-": a subdivision was meant but left out
        holiday_calendars.country_holidays(country, subdiv=subdivision or None)
    except NotImplementedError:
        raise ValueError(
            f"unknown holiday calendar {code!r}: use a country code such as GB, US or US-CA"
        ) from None
    return country, subdivision or None


@lru_cache(maxsize=512)
def _holiday_dates(code: str, year: int) -> frozenset[date]:
    # One frozen set per calendar and year: the sweeper asks about the same few days for thousands
    # of tickets, and an immutable set is safe to share where a lazily growing HolidayBase is not.
    country, subdivision = _calendar(code)
    found = holiday_calendars.country_holidays(country, subdiv=subdivision, years=year)
    return frozenset(day for day in found if day.year == year)


@lru_cache(maxsize=64)
def _daily(hours: WorkingHours) -> _Daily:
    try:
        zone = ZoneInfo(hours.tz)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"unknown time zone {hours.tz!r}: use an IANA name such as Europe/London") from None
    opens, closes = _clock_time(hours.start), _clock_time(hours.end)
    if closes <= opens:
        raise ValueError(f"working hours end {hours.end} must be after start {hours.start}")
    weekdays = frozenset(hours.days)
    if not weekdays or not weekdays <= set(range(1, 8)):
        raise ValueError(f"working days {hours.days} must be ISO weekdays 1 (Monday) to 7 (Sunday)")
    return _Daily(zone, opens, closes, weekdays)


def _clock_time(text: str) -> time:
    match = _CLOCK.fullmatch(text.strip())
    if not match or int(match[1]) > 23 or int(match[2]) > 59:
        raise ValueError(f"invalid time of day {text!r}: write HH:MM, e.g. 09:00")
    return time(int(match[1]), int(match[2]))


def _utc(moment: datetime) -> datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"naive datetime {moment}: SLA arithmetic needs timezone-aware UTC")
    return moment.astimezone(UTC)
