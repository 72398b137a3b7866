"""The digest's schedule: weekday and local time as configured, strictly after, a week apart, across DST."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.decision_policy import DigestSchedule
from bot.domain.digest_schedule import fires_on, latest_at_or_before, next_after, previous_before

LONDON = "Europe/London"
ZONES = ["UTC", LONDON, "America/New_York", "Asia/Kolkata", "Australia/Adelaide", "America/St_Johns",
         "Australia/Lord_Howe", "Pacific/Chatham"]

schedules = st.builds(DigestSchedule, weekday=st.integers(1, 7),
                      at=st.times().map(lambda at: at.replace(second=0, microsecond=0)),
                      tz=st.sampled_from(ZONES))
instants = st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2040, 1, 1),
                        timezones=st.just(UTC))


def _utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


def _wall(schedule: DigestSchedule, moment: datetime) -> datetime:
    return moment.astimezone(ZoneInfo(schedule.tz)).replace(tzinfo=None)


def _exists(schedule: DigestSchedule, moment: datetime) -> bool:
    return _wall(schedule, moment).time() == schedule.at


@given(schedules, instants)
def test_next_is_strictly_after_and_nothing_fires_in_between(schedule, instant):
    moment = next_after(schedule, instant)
    assert moment > instant
    assert previous_before(schedule, moment) <= instant
    assert latest_at_or_before(schedule, instant) <= instant
    assert next_after(schedule, latest_at_or_before(schedule, instant)) == moment


@given(schedules, instants)
def test_it_fires_on_the_weekday_at_the_local_time(schedule, instant):
    moment = next_after(schedule, instant)
    wall = _wall(schedule, moment)
    assert wall.isoweekday() == schedule.weekday
    if not _exists(schedule, moment):
        # a time the clocks skipped: the first moment after it that exists
        assert wall.time() > schedule.at
        assert _wall(schedule, moment - timedelta(seconds=1)) < datetime.combine(wall.date(), schedule.at)


@given(schedules, instants)
def test_digests_are_seven_local_days_apart(schedule, instant):
    first = next_after(schedule, instant)
    second = next_after(schedule, first)
    gap = second - first
    assert (_wall(schedule, second).date() - _wall(schedule, first).date()).days == 7
    assert abs(gap - timedelta(weeks=1)) <= timedelta(hours=1)
    zone = ZoneInfo(schedule.tz)
    if _exists(schedule, first) and _exists(schedule, second):
        change = second.astimezone(zone).utcoffset() - first.astimezone(zone).utcoffset()
        assert gap == timedelta(weeks=1) - change


@given(schedules, instants)
def test_the_week_covered_ends_where_the_next_begins(schedule, instant):
    moment = next_after(schedule, instant)
    since = previous_before(schedule, moment)
    assert since < moment
    assert next_after(schedule, since) == moment


def test_london_monday_nine_is_nine_local_in_winter_and_in_summer():
    schedule = DigestSchedule(1, time(9, 0), LONDON)
    assert next_after(schedule, _utc(2026, 1, 7)) == _utc(2026, 1, 12, 9)  # GMT
    assert next_after(schedule, _utc(2026, 7, 1)) == _utc(2026, 7, 6, 8)  # BST
    # the Monday after the last Sunday of March (29 March 2026) comes 7 days less an hour later
    assert next_after(schedule, _utc(2026, 3, 23, 9)) == _utc(2026, 3, 30, 8)
    # and after the last Sunday of October (25 October 2026), 7 days and an hour
    assert next_after(schedule, _utc(2026, 10, 19, 8)) == _utc(2026, 10, 26, 9)


def test_a_time_spring_forward_skips_fires_when_the_clocks_have_moved():
    schedule = DigestSchedule(7, time(1, 30), LONDON)  # 01:00 GMT → 02:00 BST on 29 March 2026
    moment = next_after(schedule, _utc(2026, 3, 28))
    assert moment == _utc(2026, 3, 29, 1)
    assert _wall(schedule, moment) == datetime(2026, 3, 29, 2, 0)


def test_a_time_autumn_repeats_fires_once_at_the_first():
    schedule = DigestSchedule(7, time(1, 30), LONDON)  # 02:00 BST → 01:00 GMT on 25 October 2026
    first = next_after(schedule, _utc(2026, 10, 24))
    assert first == _utc(2026, 10, 25, 0, 30)  # 01:30 BST
    assert next_after(schedule, first) == _utc(2026, 11, 1, 1, 30)  # not 01:30 GMT the same night


@pytest.mark.parametrize(("zone", "expected"), [
    ("Asia/Kolkata", _utc(2026, 2, 2, 3, 30)),  # +05:30 all year
    ("America/St_Johns", _utc(2026, 2, 2, 12, 30)),  # -03:30 in winter
])
def test_a_zone_with_a_half_hour_offset(zone, expected):
    schedule = DigestSchedule(1, time(9, 0), zone)
    assert next_after(schedule, _utc(2026, 1, 29)) == expected
    assert next_after(schedule, expected) == expected + timedelta(weeks=1)


def test_a_half_hour_clock_change_moves_the_gap_by_half_an_hour():
    schedule = DigestSchedule(1, time(9, 0), "Australia/Lord_Howe")  # +11 → +10:30 on 5 April 2026
    before = next_after(schedule, _utc(2026, 3, 29))
    assert next_after(schedule, before) - before == timedelta(weeks=1, minutes=30)


def test_fires_on_any_weekday_given_the_day():
    assert fires_on(DigestSchedule(1, time(9), "UTC"), date(2026, 3, 4)) == _utc(2026, 3, 4, 9)
