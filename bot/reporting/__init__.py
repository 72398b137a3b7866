"""What `upline status` and `upline report` show, computed from tickets and their events.

Everything here is pure: no SQL and no clock reads. The CLI loads the rows, reads the clock once and
passes `now` in, so the same history always gives the same numbers. This module holds the two ways
time is written for people, shared by the timeline and the report.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.domain.durations import format_duration

NO_DATA = "—"


def format_span(value: timedelta | None) -> str:
    """A duration rounded to the minute in app.yaml's spelling: `3h12m`, `2d`, `0m`; `—` for none."""
    if value is None:
        return NO_DATA
    minutes = round(value.total_seconds() / 60)
    return format_duration(timedelta(minutes=minutes)) if minutes else "0m"


def utc_iso(moment: datetime | None) -> str:
    """`2026-11-23T09:00:00Z`; `—` for none."""
    return NO_DATA if moment is None else moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def relative(moment: datetime, now: datetime) -> str:
    """`in 3h`, `overdue by 2h` or `due now`, to the minute."""
    span = format_span(abs(moment - now))
    if span == "0m":
        return "due now"
    return f"in {span}" if moment > now else f"overdue by {span}"
