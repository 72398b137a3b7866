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
    """A duration in app.yaml's spelling, to the second under a minute (`45s`, `0s`) and rounded to the
    minute from there (`3h12m`, `2d`); `—` for none.

    An acknowledgement 20 seconds after the ping is common in the sandbox and in a busy channel, and
    `0m` read as "no time at all", or as no data.
    """
    if value is None:
        return NO_DATA
    seconds = round(value.total_seconds())
    if abs(seconds) < 60:
        return format_duration(timedelta(seconds=seconds))
    return format_duration(timedelta(minutes=round(seconds / 60)))


def utc_iso(moment: datetime | None) -> str:
    """`2026-11-23T09:00:00Z`; `—` for none."""
    return NO_DATA if moment is None else moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def relative(moment: datetime, now: datetime) -> str:
    """`in 3h`, `overdue by 2h`, `in 40s` or `due now`, as precise as `format_span`."""
    span = format_span(abs(moment - now))
    if span == "0s":
        return "due now"
    return f"in {span}" if moment > now else f"overdue by {span}"
