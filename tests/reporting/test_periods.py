"""Periods: consecutive ones never share a moment; the previous one is as long and ends where this starts."""

from datetime import UTC, datetime, timedelta

import pytest

from bot.reporting.periods import Period

MONDAY = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
WEEK = timedelta(weeks=1)


def test_a_week_ending_on_monday_and_the_one_before():
    week = Period.ending(MONDAY, WEEK)
    assert (week.since, week.until, week.length) == (MONDAY - WEEK, MONDAY, WEEK)
    assert week.previous() == Period(MONDAY - 2 * WEEK, MONDAY - WEEK)


def test_a_period_holds_its_start_and_not_its_end():
    week = Period.ending(MONDAY, WEEK)
    assert week.holds(MONDAY - WEEK) and not week.holds(MONDAY)
    assert week.previous().holds(MONDAY - WEEK - timedelta(microseconds=1))
    assert not week.previous().holds(MONDAY - WEEK)


def test_a_period_cannot_end_before_it_starts():
    with pytest.raises(ValueError, match="ends after it starts"):
        Period(MONDAY, MONDAY - WEEK)


def test_the_last_instant_is_the_latest_moment_held():
    week = Period.ending(MONDAY, WEEK)
    assert week.holds(week.last_instant) and week.last_instant == MONDAY - timedelta(microseconds=1)
    assert Period(MONDAY, MONDAY).last_instant == MONDAY  # an empty period has no later moment to give
