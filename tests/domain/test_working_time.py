"""SLA time with working hours, holidays and daylight saving: when deadlines fall, how much time passed."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import holidays
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain.ticket import WorkingHours
from bot.domain.working_time import WorkingCalendar, check_holidays_code

WEEKDAYS = (1, 2, 3, 4, 5)
LONDON = ZoneInfo("Europe/London")
NEW_YORK = ZoneInfo("America/New_York")


def office(tz: str = "UTC", start: str = "09:00", end: str = "17:00", days=WEEKDAYS) -> WorkingHours:
    return WorkingHours(days=days, start=start, end=end, tz=tz)


def at(year, month, day, hour=0, minute=0, zone=UTC) -> datetime:
    """A fixed instant in UTC, written as the wall-clock time in `zone`."""
    return datetime(year, month, day, hour, minute, tzinfo=zone).astimezone(UTC)


# --- around the clock -------------------------------------------------------------------------------------

def test_without_hours_or_holidays_sla_time_is_real_time():
    calendar = WorkingCalendar()
    start = at(2026, 1, 10, 23, 30)  # a Saturday night counts like any other time
    assert calendar.add(start, timedelta(hours=2)) == at(2026, 1, 11, 1, 30)
    assert calendar.between(start, at(2026, 1, 11, 1, 30)) == timedelta(hours=2)


def test_no_time_passes_backwards():
    assert WorkingCalendar().between(at(2026, 1, 2), at(2026, 1, 1)) == timedelta(0)
    assert WorkingCalendar(office()).between(at(2026, 1, 6, 12), at(2026, 1, 6, 10)) == timedelta(0)


@pytest.mark.parametrize("calendar", [WorkingCalendar(), WorkingCalendar(office()), WorkingCalendar(None, "GB")])
def test_negative_durations_are_refused(calendar):
    with pytest.raises(ValueError, match="negative"):
        calendar.add(at(2026, 1, 6), timedelta(seconds=-1))


def test_naive_datetimes_are_refused():
    with pytest.raises(ValueError, match="timezone-aware"):
        WorkingCalendar(office()).add(datetime(2026, 1, 6, 10), timedelta(hours=1))


def test_answers_are_in_utc_whatever_zone_the_start_was_written_in():
    deadline = WorkingCalendar(office()).add(datetime(2026, 1, 6, 10, tzinfo=NEW_YORK), timedelta(hours=1))
    assert deadline == at(2026, 1, 6, 16) and deadline.tzinfo == UTC


# --- working hours ----------------------------------------------------------------------------------------

def test_friday_afternoon_promise_runs_over_the_weekend_to_monday_morning():
    calendar = WorkingCalendar(office())
    friday_4pm = at(2026, 1, 9, 16)
    assert calendar.add(friday_4pm, timedelta(hours=2)) == at(2026, 1, 12, 10)
    assert calendar.between(friday_4pm, at(2026, 1, 12, 10)) == timedelta(hours=2)


def test_a_saturday_ticket_starts_its_clock_on_monday_at_nine():
    calendar = WorkingCalendar(office())
    assert calendar.add(at(2026, 1, 10, 14), timedelta(minutes=30)) == at(2026, 1, 12, 9, 30)
    assert calendar.between(at(2026, 1, 10, 14), at(2026, 1, 12, 9)) == timedelta(0)


def test_before_nine_the_clock_waits_for_the_office_to_open():
    assert WorkingCalendar(office()).add(at(2026, 1, 6, 7), timedelta(hours=1)) == at(2026, 1, 6, 10)


def test_after_five_the_clock_waits_for_the_next_morning():
    assert WorkingCalendar(office()).add(at(2026, 1, 6, 18), timedelta(hours=1)) == at(2026, 1, 7, 10)


def test_a_zero_duration_does_not_move_the_start_even_out_of_hours():
    saturday = at(2026, 1, 10, 14)
    assert WorkingCalendar(office(), "GB").add(saturday, timedelta(0)) == saturday


def test_a_deadline_at_closing_time_is_closing_time_not_the_next_morning():
    assert WorkingCalendar(office()).add(at(2026, 1, 6, 9), timedelta(hours=8)) == at(2026, 1, 6, 17)


def test_two_working_weeks_end_at_the_same_time_two_weeks_later():
    calendar = WorkingCalendar(office())
    assert calendar.add(at(2026, 1, 6, 11), timedelta(hours=80)) == at(2026, 1, 20, 11)
    assert calendar.between(at(2026, 1, 1), at(2027, 1, 1)) == timedelta(hours=8 * 261)


# --- holidays ---------------------------------------------------------------------------------------------

def test_the_holidays_package_reports_gb_christmas_2026_with_a_substitute_boxing_day():
    # Boxing Day 2026 is a Saturday, so the bank holiday moves to Monday 28th; the tests below rely on it.
    found = holidays.country_holidays("GB", years=2026)
    assert {day for day in found if day.month == 12} == {date(2026, 12, 25), date(2026, 12, 26), date(2026, 12, 28)}


def test_christmas_and_the_substitute_boxing_day_are_skipped():
    calendar = WorkingCalendar(office("Europe/London"), "GB")
    christmas_eve_4pm = at(2026, 12, 24, 16, zone=LONDON)
    assert calendar.add(christmas_eve_4pm, timedelta(hours=2)) == at(2026, 12, 29, 10, zone=LONDON)
    assert calendar.between(at(2026, 12, 24, 17, zone=LONDON), at(2026, 12, 29, 9, zone=LONDON)) == timedelta(0)


def test_subdivision_holidays_apply_only_to_that_subdivision():
    epiphany_10am = at(2026, 1, 6, 10, zone=ZoneInfo("Europe/Berlin"))
    hours = office("Europe/Berlin")
    assert WorkingCalendar(hours, "DE").add(epiphany_10am, timedelta(hours=1)) == epiphany_10am + timedelta(hours=1)
    assert WorkingCalendar(hours, "DE-BY").add(epiphany_10am, timedelta(hours=1)) == at(
        2026, 1, 7, 10, zone=ZoneInfo("Europe/Berlin"))


def test_without_hours_every_day_but_a_holiday_counts_in_full():
    calendar = WorkingCalendar(holidays="GB")
    # 24th from noon (12h), 25th and 26th off, Sunday 27th counts, 28th (substitute) off.
    assert calendar.add(at(2026, 12, 24, 12), timedelta(hours=24)) == at(2026, 12, 27, 12)
    assert calendar.between(at(2026, 12, 24), at(2026, 12, 29)) == timedelta(days=2)


def test_the_holiday_date_is_the_one_in_the_calendar_zone():
    # 23:30 on 24 December in Los Angeles is already Christmas Day in UTC; here it is still working time.
    los_angeles = ZoneInfo("America/Los_Angeles")
    calendar = WorkingCalendar(office("America/Los_Angeles", "09:00", "23:59"), "US")
    assert calendar.between(at(2026, 12, 24, 23, 0, los_angeles), at(2026, 12, 24, 23, 30, los_angeles)) == (
        timedelta(minutes=30))


@pytest.mark.parametrize("code", ["GB", "US", "US-CA", "DE-BY", "GB-SCT"])
def test_known_holiday_calendars_pass_the_check(code):
    check_holidays_code(code)


@pytest.mark.parametrize("code", ["XX", "US-ZZ", "US-", "gb", ""])
def test_an_unknown_holiday_calendar_is_refused_with_an_example(code):
    expected = f"unknown holiday calendar '{code}': use a country code such as GB, US or US-CA"
    with pytest.raises(ValueError) as raised:
        check_holidays_code(code)
    assert str(raised.value) == expected
    with pytest.raises(ValueError, match="unknown holiday calendar"):
        WorkingCalendar(holidays=code)


@pytest.mark.parametrize(("hours", "message"), [
    (office(start="17:00", end="09:00"), "must be after start"),
    (office(tz="Mars/Olympus"), "unknown time zone"),
    (office(days=()), "ISO weekdays"),
    (office(days=(0, 8)), "ISO weekdays"),
    (office(start="9am"), "invalid time of day"),
])
def test_impossible_working_hours_are_refused_when_the_calendar_is_built(hours, message):
    with pytest.raises(ValueError, match=message):
        WorkingCalendar(hours)


class _NoWorkingTime(WorkingCalendar):
    """What a calendar whose every working day is a holiday looks like to the search."""

    def _window(self, daily, day):
        return None


def test_a_calendar_without_working_time_raises_instead_of_searching_for_ever():
    with pytest.raises(ValueError, match="no working time"):
        _NoWorkingTime(office()).add(at(2026, 1, 6), timedelta(hours=1))


# --- daylight saving --------------------------------------------------------------------------------------

@pytest.mark.parametrize(("zone", "friday_4pm", "monday_10am"), [
    (LONDON, datetime(2026, 3, 27, 16), datetime(2026, 3, 30, 10)),  # spring forward on Sunday 29th
    (LONDON, datetime(2026, 10, 23, 16), datetime(2026, 10, 26, 10)),  # fall back on Sunday 25th
    (NEW_YORK, datetime(2026, 3, 6, 16), datetime(2026, 3, 9, 10)),  # spring forward on Sunday 8th
    (NEW_YORK, datetime(2026, 10, 30, 16), datetime(2026, 11, 2, 10)),  # fall back on Sunday 1st
])
def test_deadlines_across_a_clock_change_land_on_the_promised_local_time(zone, friday_4pm, monday_10am):
    calendar = WorkingCalendar(office(zone.key))
    start = friday_4pm.replace(tzinfo=zone).astimezone(UTC)
    deadline = calendar.add(start, timedelta(hours=2))
    assert deadline.astimezone(zone).replace(tzinfo=None) == monday_10am
    assert calendar.between(start, deadline) == timedelta(hours=2)


@pytest.mark.parametrize("change_day", [date(2026, 3, 29), date(2026, 10, 25)])
def test_nine_to_five_is_eight_hours_on_the_day_the_clocks_change(change_day):
    calendar = WorkingCalendar(office("Europe/London", days=(7,)))  # both changes fall on a Sunday
    day_start = datetime.combine(change_day, time(0), LONDON)
    assert calendar.between(day_start, day_start + timedelta(days=1)) == timedelta(hours=8)


def test_a_window_spanning_the_skipped_hour_is_an_hour_shorter():
    calendar = WorkingCalendar(office("Europe/London", "00:00", "04:00", days=(7,)))
    assert calendar.between(at(2026, 3, 28), at(2026, 3, 30)) == timedelta(hours=3)
    deadline = calendar.add(at(2026, 3, 28), timedelta(hours=3))
    assert deadline.astimezone(LONDON).replace(tzinfo=None) == datetime(2026, 3, 29, 4)


def test_a_window_spanning_the_repeated_hour_is_an_hour_longer():
    calendar = WorkingCalendar(office("Europe/London", "00:00", "04:00", days=(7,)))
    assert calendar.between(at(2026, 10, 24), at(2026, 10, 26)) == timedelta(hours=5)
    deadline = calendar.add(at(2026, 10, 24), timedelta(hours=5))
    assert deadline.astimezone(LONDON).replace(tzinfo=None) == datetime(2026, 10, 25, 4)


def test_a_start_time_that_never_happens_opens_the_window_when_the_clock_jumps():
    # New York skips 02:00-03:00 on 8 March 2026; a 02:30 opening means the jump, 03:00 EDT.
    calendar = WorkingCalendar(office("America/New_York", "02:30", "05:00", days=(7,)))
    assert calendar.add(at(2026, 3, 8), timedelta(minutes=1)) == at(2026, 3, 8, 3, 1, NEW_YORK)
    assert calendar.between(at(2026, 3, 7), at(2026, 3, 9)) == timedelta(hours=2)


def test_a_time_that_happens_twice_counts_from_its_first_pass():
    calendar = WorkingCalendar(office("America/New_York", "01:30", "05:00", days=(7,)))
    assert calendar.add(at(2026, 11, 1), timedelta(minutes=1)) == at(2026, 11, 1, 5, 31)  # 01:31 EDT
    assert calendar.between(at(2026, 10, 31), at(2026, 11, 2)) == timedelta(hours=4, minutes=30)


# --- properties -------------------------------------------------------------------------------------------

CALENDARS = [
    WorkingCalendar(office("Europe/London"), "GB"),
    WorkingCalendar(office("America/New_York", "08:30", "18:00"), "US-CA"),
    WorkingCalendar(office("Australia/Sydney", days=(7, 1, 2, 3, 4))),
    WorkingCalendar(office("Europe/London", "00:30", "03:30", days=(1, 2, 3, 4, 5, 6, 7))),  # spans both changes
    WorkingCalendar(office("America/New_York", "02:30", "05:00", days=(6, 7))),  # opens in the skipped hour
    WorkingCalendar(holidays="DE-BY"),
]
calendars = st.sampled_from(CALENDARS)
# Around the 2026 clock changes and Christmas, where the interesting cases are, plus anywhere in 2025-2027.
HOT_SPOTS = [(datetime(2026, 3, 5), datetime(2026, 4, 5)), (datetime(2026, 10, 1), datetime(2026, 11, 5)),
             (datetime(2026, 12, 20), datetime(2027, 1, 5))]
instants = st.one_of(
    st.datetimes(datetime(2025, 1, 1), datetime(2027, 12, 31)),
    *(st.datetimes(first, last) for first, last in HOT_SPOTS),
).map(lambda moment: moment.replace(tzinfo=UTC))
durations = st.integers(0, 3 * 7 * 24 * 3600).map(lambda seconds: timedelta(seconds=seconds))


@given(calendars, instants, durations)
def test_the_deadline_is_exactly_the_promised_sla_time_away(calendar, start, duration):
    deadline = calendar.add(start, duration)
    assert deadline >= start
    assert calendar.between(start, deadline) == duration


@given(calendars, instants, durations.filter(bool))
def test_the_deadline_is_the_earliest_such_instant(calendar, start, duration):
    deadline = calendar.add(start, duration)
    assert calendar.between(start, deadline - timedelta(microseconds=1)) < duration


@given(calendars, instants, durations, durations)
def test_a_longer_promise_never_ends_earlier(calendar, start, one, other):
    shorter, longer = sorted((one, other))
    assert calendar.add(start, shorter) <= calendar.add(start, longer)


@given(calendars, st.lists(instants, min_size=3, max_size=3).map(sorted))
def test_sla_time_adds_up_over_consecutive_stretches(calendar, moments):
    first, middle, last = moments
    assert calendar.between(first, middle) + calendar.between(middle, last) == calendar.between(first, last)


def _minutes_on_the_wall_clock(calendar: WorkingCalendar, start: datetime, end: datetime) -> timedelta:
    """Slow reference: count the minutes whose local time is a working time on a working, non-holiday day."""
    hours = calendar.hours
    zone = ZoneInfo(hours.tz)
    country, _, subdiv = (calendar.holidays or "").partition("-")
    off = holidays.country_holidays(country, subdiv=subdiv or None) if country else {}
    opens, closes = time.fromisoformat(hours.start), time.fromisoformat(hours.end)
    counted, minute = 0, start
    while minute < end:
        local = minute.astimezone(zone)
        counted += (local.isoweekday() in hours.days and opens <= local.time() < closes
                    and local.date() not in off)
        minute += timedelta(minutes=1)
    return timedelta(minutes=counted)


@settings(max_examples=40, deadline=None)
@given(
    st.sampled_from([calendar for calendar in CALENDARS if calendar.hours is not None]),
    instants.map(lambda moment: moment.replace(second=0, microsecond=0)),
    st.integers(0, 3 * 24 * 60),
)
def test_between_agrees_with_reading_the_wall_clock_minute_by_minute(calendar, start, minutes):
    # Only the repeated hour can tell the two apart (the wall clock reads 01:30 twice), and no
    # calendar here has a bound inside it.
    end = start + timedelta(minutes=minutes)
    assert calendar.between(start, end) == _minutes_on_the_wall_clock(calendar, start, end)
