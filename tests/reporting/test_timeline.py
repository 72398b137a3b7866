"""What `upline status N` prints for a ticket, and how times are written for people."""

from datetime import UTC, datetime, timedelta
from textwrap import dedent

from bot.config import load_config_text
from bot.domain.ticket import SYSTEM, Event, Kind, SlaPolicy, State, Ticket, WorkingHours
from bot.reporting import format_span, relative, utc_iso
from bot.reporting.timeline import describe_policy, describe_ticket, display_names, weekdays

T = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
POLICY = SlaPolicy(ack=timedelta(hours=8), resolve=timedelta(days=7), reminders=(0.5, 0.9),
                   source="question defaults; area nn: ack 8h")


def ticket(**fields) -> Ticket:
    values = dict(kind=Kind.QUESTION, area="nn", asker="U0ASKER", text="How do I\nregister a hook?",
                  level="area:nn", policy=POLICY, created_at=T, level_started_at=T, id=7,
                  ack_due_at=T + timedelta(hours=8), resolve_due_at=T + timedelta(days=7))
    values.update(fields)
    return Ticket(**values)


def test_times_are_rounded_to_the_minute_and_missing_ones_are_a_dash():
    assert format_span(timedelta(hours=3, minutes=12, seconds=29)) == "3h12m"
    assert format_span(timedelta(seconds=89)) == "1m"
    assert format_span(timedelta(days=1, hours=2)) == "1d2h"
    assert format_span(None) == "—"
    assert utc_iso(datetime(2026, 11, 23, 10, 0, tzinfo=UTC)) == "2026-11-23T10:00:00Z"


def test_times_under_a_minute_are_shown_in_seconds_not_as_0m():
    assert format_span(timedelta(seconds=29)) == "29s"
    assert format_span(timedelta(seconds=59, milliseconds=400)) == "59s"
    assert format_span(timedelta(seconds=59, milliseconds=600)) == "1m"
    assert format_span(timedelta(milliseconds=300)) == "0s"
    assert relative(T + timedelta(seconds=40), T) == "in 40s"
    assert relative(T, T + timedelta(seconds=10)) == "overdue by 10s"


def test_deadlines_are_relative_to_now():
    assert relative(T + timedelta(hours=3), T) == "in 3h"
    assert relative(T, T + timedelta(hours=2, minutes=5)) == "overdue by 2h5m"
    assert relative(T, T + timedelta(milliseconds=400)) == "due now"


def test_the_header_says_where_the_ticket_stands_and_when_it_is_due():
    text = describe_ticket(ticket(), [], now=T + timedelta(hours=5))
    lines = text.splitlines()
    assert lines[0] == "#7  question in nn: open"
    assert "  rung          area:nn" in lines
    assert "  asked by      U0ASKER at 2026-11-23T09:00:00Z" in lines
    assert "  acknowledged  not yet" in lines
    assert "  ack due       2026-11-23T17:00:00Z (in 3h)" in lines
    assert "  resolve due   2026-11-30T09:00:00Z (in 6d19h)" in lines
    assert "  text          How do I register a hook?" in lines


def test_an_overdue_deadline_says_by_how_much():
    text = describe_ticket(ticket(), [], now=T + timedelta(hours=10))
    assert "ack due       2026-11-23T17:00:00Z (overdue by 2h)" in text


def test_an_acknowledged_and_resolved_ticket_shows_who_and_when():
    done = ticket(state=State.RESOLVED, acknowledged_by="nn1", acknowledged_at=T + timedelta(minutes=15),
                  assignee="nn1", resolved_by="nn1", resolved_at=T + timedelta(hours=3), resolution="use hooks",
                  ack_due_at=None, resolve_due_at=None)
    text = describe_ticket(done, [], now=T + timedelta(days=1))
    assert "#7  question in nn: resolved" in text
    assert "  acknowledged  nn1 at 2026-11-23T09:15:00Z" in text
    assert "  resolved      by nn1 at 2026-11-23T12:00:00Z: use hooks" in text
    assert "  ack due       — (acknowledged)" in text
    assert "  resolve due   — (resolved)" in text


def test_a_waiting_ticket_shows_the_time_its_paused_clocks_kept():
    waiting = ticket(state=State.WAITING, ack_due_at=None, resolve_due_at=None, ack_left=timedelta(hours=3),
                     resolve_left=timedelta(days=6), waiting_since=T + timedelta(hours=5))
    text = describe_ticket(waiting, [], now=T + timedelta(days=2))
    assert "#7  question in nn: waiting on the asker" in text
    assert "ack due       paused, 3h left when the asker replies" in text
    assert "resolve due   paused, 6d left when the asker replies" in text


def test_the_policy_shows_its_numbers_and_where_they_came_from():
    assert describe_policy(POLICY) == ("ack 8h per rung, resolve 1w from creation, reminders at 50%/90% "
                                       "(question defaults; area nn: ack 8h)")
    office = SlaPolicy(ack=timedelta(days=1), resolve=timedelta(days=2), reminders=(),
                       hours=WorkingHours(days=(1, 2, 3, 4, 5), start="09:00", end="17:00", tz="Europe/London"),
                       holidays="GB")
    assert describe_policy(office) == ("ack 1d per rung, resolve 2d from creation, working hours Mon-Fri "
                                       "09:00-17:00 Europe/London, no SLA time on GB holidays")
    assert weekdays((1, 3, 5)) == "Mon,Wed,Fri"


def test_one_line_per_event_with_actor_level_and_why():
    events = [
        Event("created", "U0ASKER", T, "area:nn", data={"skipped": []}),
        Event("reminded", SYSTEM, T + timedelta(hours=4), "area:nn", data={"fraction": 0.5}),
        Event("escalated", SYSTEM, T + timedelta(hours=8), "core", "no acknowledgement within 8h",
              {"from": "area:nn"}),
        Event("escalated", "core1", T + timedelta(hours=9), "lead", None, {"from": "core", "skipped": []}),
        Event("breached", SYSTEM, T + timedelta(days=7), "lead", "not resolved within 1w",
              {"notified": "lead", "breaches": 1}),
    ]
    lines = describe_ticket(ticket(level="lead"), events, now=T + timedelta(days=8)).splitlines()
    history = lines[lines.index("") + 1:]
    assert history == [
        "  2026-11-23T09:00:00Z  created    U0ASKER  area:nn",
        "  2026-11-23T13:00:00Z  reminded   upline   area:nn  at 50% of the ack window",
        "  2026-11-23T17:00:00Z  escalated  upline   core     no acknowledgement within 8h (from area:nn)",
        "  2026-11-23T18:00:00Z  escalated  core1    lead     from core",
        "  2026-11-30T09:00:00Z  breached   upline   lead     not resolved within 1w (lead notified)",
    ]


def test_a_resolve_window_missed_before_is_counted():
    text = describe_ticket(ticket(resolve_breaches=2), [], now=T)
    assert "(in 1w; 2 windows missed so far)" in text


NAMES = load_config_text(dedent("""\
    project: Acme
    lead: lead
    core: {maintainers: [core1]}
    areas:
      - key: nn
        maintainers: [nn1]
    people:
      lead: {slack: U0LEAD, name: Lee Lead}
      core1: {slack: U0CORE1, name: Cora Core}
      nn1: {slack: U0NN1}
    """)).config


def test_people_are_shown_by_display_name_else_key_and_unknown_slack_ids_as_they_are():
    name = display_names(NAMES)
    assert [name(person) for person in ("core1", "nn1", "U0CORE1", "U0ASKER")] == [
        "Cora Core", "nn1", "Cora Core", "U0ASKER"]
    handed = ticket(state=State.RESOLVED, acknowledged_by="core1", acknowledged_at=T, assignee="nn1",
                    resolved_by="lead", resolved_at=T + timedelta(hours=1), ack_due_at=None, resolve_due_at=None)
    events = [Event("acknowledged", "core1", T, "area:nn"),
              Event("reassigned", "core1", T, "area:nn", data={"to": "nn1", "from": "core"}),
              Event("resolved", "lead", T + timedelta(hours=1), "area:nn")]
    text = describe_ticket(handed, events, now=T, name=name)
    assert "  asked by      U0ASKER at 2026-11-23T09:00:00Z" in text
    assert "  acknowledged  Cora Core at 2026-11-23T09:00:00Z" in text
    assert "  assigned to   nn1" in text
    assert "  resolved      by Lee Lead at 2026-11-23T10:00:00Z" in text
    assert "  2026-11-23T09:00:00Z  reassigned    Cora Core  area:nn  from core; to nn1" in text
    assert "core1" not in text


def test_a_deadline_acted_on_late_says_when_it_was_due():
    events = [
        Event("reminder_skipped", SYSTEM, T + timedelta(hours=8, minutes=21), "area:nn",
              "the ack window had already run out",
              {"fraction": 0.5, "due_at": (T + timedelta(hours=4)).isoformat(), "late": True}),
        Event("escalated", SYSTEM, T + timedelta(hours=8, minutes=21), "core", "no acknowledgement within 8h",
              {"from": "area:nn", "due_at": (T + timedelta(hours=8)).isoformat(), "late": True}),
        Event("reminded", SYSTEM, T + timedelta(hours=12), "core", None,
              {"fraction": 0.5, "due_at": (T + timedelta(hours=12)).isoformat()}),
    ]
    lines = describe_ticket(ticket(level="core"), events, now=T + timedelta(days=1)).splitlines()
    assert lines[lines.index("") + 1:] == [
        "  2026-11-23T17:21:00Z  reminder_skipped  upline  area:nn  the ack window had already run out "
        "(at 50% of the ack window; due 2026-11-23T13:00:00Z, 4h21m late: Upline was not running)",
        "  2026-11-23T17:21:00Z  escalated         upline  core     no acknowledgement within 8h "
        "(from area:nn; due 2026-11-23T17:00:00Z, 21m late: Upline was not running)",
        "  2026-11-23T21:00:00Z  reminded          upline  core     at 50% of the ack window",
    ]
