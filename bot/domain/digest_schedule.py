"""When a weekly digest goes out, and the week it covers.

With `digest: {every: "mon 09:00", tz: Europe/London}` the digest goes out every Monday at 09:00 on
London's clocks: 09:00 GMT (09:00 UTC) in winter, 09:00 BST (08:00 UTC) in summer, so the UTC gap
between two digests is 7 days, or 7 days ± the clock change across a change. A local time a spring-
forward night skips (01:30 on the last Sunday of March in London) fires at the first moment after
it that exists (02:00 BST); one an autumn night repeats fires once, at its first occurrence.

    moment = next_after(schedule, now)      # strictly after `now`, in UTC
    latest = latest_at_or_before(schedule, now)
    since = previous_before(schedule, moment)   # the week it covers: [since, moment)
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.domain.decision_policy import DigestSchedule

_SECOND = timedelta(seconds=1)


def fires_on(schedule: DigestSchedule, day: date) -> datetime:
    """The UTC moment the digest of local date `day` fires (whatever weekday `day` is)."""
    zone = ZoneInfo(schedule.tz)
    wall = datetime.combine(day, schedule.at)
    first = wall.replace(tzinfo=zone, fold=0)
    if first.astimezone(UTC).astimezone(zone).replace(tzinfo=None) == wall:
        return first.astimezone(UTC)  # exists; fold=0 is the first of two when it is repeated
    # In a gap: fold=0 reads it with the offset before the change, fold=1 with the one after; the
    # change itself lies between the two, and is the first moment whose wall time is not before `wall`.
    low, high = sorted((first.astimezone(UTC), wall.replace(tzinfo=zone, fold=1).astimezone(UTC)))
    while high - low > _SECOND:
        middle = low + (high - low) / 2
        if middle.astimezone(zone).replace(tzinfo=None) >= wall:
            high = middle
        else:
            low = middle
    return high.replace(microsecond=0)


def _weekday_on_or_before(day: date, weekday: int) -> date:
    return day - timedelta(days=(day.isoweekday() - weekday) % 7)


def next_after(schedule: DigestSchedule, instant: datetime) -> datetime:
    """The first moment the digest fires strictly after `instant` (aware), in UTC."""
    local_day = instant.astimezone(ZoneInfo(schedule.tz)).date()
    day = _weekday_on_or_before(local_day, schedule.weekday) - timedelta(days=7)
    while (moment := fires_on(schedule, day)) <= instant:
        day += timedelta(days=7)
    return moment


def latest_at_or_before(schedule: DigestSchedule, instant: datetime) -> datetime:
    """The last moment the digest fired at or before `instant`, in UTC."""
    local_day = instant.astimezone(ZoneInfo(schedule.tz)).date()
    day = _weekday_on_or_before(local_day, schedule.weekday) + timedelta(days=7)
    while (moment := fires_on(schedule, day)) > instant:
        day -= timedelta(days=7)
    return moment


def previous_before(schedule: DigestSchedule, moment: datetime) -> datetime:
    """The last moment the digest fired strictly before `moment`: a digest at `moment` covers the
    week from then up to `moment` (`bot.reporting.periods.Period(since, moment)`)."""
    return latest_at_or_before(schedule, moment - timedelta(microseconds=1))




@dataclass(frozen=True)
class DigestState:
    """One scope's digest as stored: when the next is due (None: switched off), the schedule that
    moment came from (`key`), and the week the last one covered."""

    scope: str  # "core" or "area:nn"
    schedule: str
    next_due_at: datetime | None
    last_sent_at: datetime | None = None
    last_since: datetime | None = None
    last_until: datetime | None = None


def key(schedule: DigestSchedule) -> str:
    """The schedule in one comparable line ("1 09:00 Europe/London"): a changed one moves the next digest."""
    return f"{schedule.weekday} {schedule.at.strftime('%H:%M')} {schedule.tz}"


__all__ = ["DigestState", "fires_on", "key", "latest_at_or_before", "next_after", "previous_before"]
