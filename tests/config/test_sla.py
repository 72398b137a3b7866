"""Which SLA a ticket gets: the kind's defaults, then its areas' overrides from the root down."""

from datetime import timedelta
from textwrap import dedent

from bot.config.sla import resolve_policy
from bot.domain.policy import calendar_of
from bot.domain.ticket import Kind, WorkingHours
from bot.domain.working_time import WorkingCalendar
from tests.domain.conftest import make_config

NESTED = dedent("""\
    project: Acme
    lead: lead
    core:
      maintainers: [core1]
    sla:
      question: {ack: 1d, resolve: 7d}
      escalation: {ack: 4h, resolve: 2d}
      reminders: [0.5, 0.9]
      holidays: GB
    areas:
      - key: python
        maintainers: [py1]
        sla:
          question: {ack: 12h, resolve: 5d}
          reminders: [0.9, 0.25, 0.25]
      - key: nn
        parent: python
        maintainers: [nn1]
        sla:
          question: {ack: 8h}
      - key: hours
        parent: nn
        maintainers: [h1]
        sla:
          hours: {days: [fri, mon, tue], start: "9:30", end: "17:00", tz: Europe/London}
      - key: plain
        maintainers: [p1]
    people:
      lead: {slack: U0LEAD}
      core1: {slack: U0CORE1}
      py1: {slack: U0PY1}
      nn1: {slack: U0NN1}
      h1: {slack: U0H1}
      p1: {slack: U0P1}
    """)


def policy(area, kind=Kind.QUESTION, text=NESTED):
    return resolve_policy(make_config(text), area, kind)


def test_area_without_overrides_runs_the_kind_defaults():
    result = policy("plain")
    assert (result.ack, result.resolve, result.reminders) == (timedelta(days=1), timedelta(days=7), (0.5, 0.9))
    assert result.source == "question defaults"


def test_ticket_without_area_runs_the_kind_defaults():
    assert policy(None, Kind.ESCALATION).ack == timedelta(hours=4)
    assert policy(None, Kind.ESCALATION).resolve == timedelta(days=2)


def test_unknown_area_runs_the_kind_defaults():
    assert policy("nope").source == "question defaults"


def test_child_area_wins_over_its_parent_and_keeps_what_it_does_not_set():
    result = policy("nn")
    assert result.ack == timedelta(hours=8)  # nn's own
    assert result.resolve == timedelta(days=5)  # inherited from python
    assert result.reminders == (0.25, 0.9)  # python's, sorted and without duplicates


def test_source_names_each_area_that_changed_something_root_first():
    assert policy("nn").source == (
        "question defaults; area python: ack 12h, resolve 5d, reminders 0.9/0.25/0.25; area nn: ack 8h"
    )


def test_overrides_of_the_other_kind_change_nothing():
    result = policy("nn", Kind.ESCALATION)
    assert (result.ack, result.resolve) == (timedelta(hours=4), timedelta(days=2))
    assert result.source == "escalation defaults; area python: reminders 0.9/0.25/0.25"


def test_business_hours_become_iso_weekdays_and_clock_strings():
    result = policy("hours")
    assert result.hours == WorkingHours(days=(1, 2, 5), start="09:30", end="17:00", tz="Europe/London")
    assert result.holidays == "GB"  # inherited from the project
    assert "area hours: hours 09:30-17:00 Europe/London" in result.source


def test_partial_project_default_falls_back_to_the_built_in_resolve():
    text = NESTED.replace("question: {ack: 1d, resolve: 7d}", "question: {ack: 2h}")
    result = policy("plain", text=text)
    assert (result.ack, result.resolve) == (timedelta(hours=2), timedelta(days=7))


def test_calendar_of_measures_the_policy_hours_and_holidays():
    result = policy("hours")
    assert calendar_of(result) == WorkingCalendar(hours=result.hours, holidays="GB")
    assert calendar_of(policy("plain")).hours is None
