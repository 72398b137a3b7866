"""The report's numbers from hand-made histories: exact times, breaches, compliance, the period."""

from datetime import UTC, datetime, timedelta

import pytest

from bot.domain.ticket import SYSTEM, Event, Kind, SlaPolicy, State, Ticket
from bot.reporting.metrics import is_ack_breach, median, percentile, report, ticket_facts

T = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
NOW = T + timedelta(days=10)
SINCE = NOW - timedelta(days=30)
POLICY = SlaPolicy(ack=timedelta(days=1), resolve=timedelta(days=7), reminders=(0.5,))


def hours(count: float) -> timedelta:
    return timedelta(hours=count)


def ticket(number: int, *, created: datetime = T, area: str | None = "nn", kind: Kind = Kind.QUESTION,
           state: State = State.RESOLVED, **fields) -> Ticket:
    """A ticket whose deadlines lie far ahead unless given; resolved unless said otherwise."""
    fields.setdefault("ack_due_at", None if state is not State.OPEN else NOW + hours(1))
    fields.setdefault("resolve_due_at", None if state is State.RESOLVED else NOW + hours(1))
    return Ticket(kind=kind, area=area, asker="asker", text="?", level="area:nn", policy=POLICY,
                  created_at=created, level_started_at=created, state=state, id=number, **fields)


def ev(kind: str, after: timedelta, actor: str = "nn1", start: datetime = T, **data) -> Event:
    return Event(kind, actor, start + after, "area:nn", data=data)


def facts(events, **fields):
    return ticket_facts(ticket(1, **fields), events, NOW)


# -- median and p90 -------------------------------------------------------------------------------


def test_median_of_an_odd_and_an_even_count():
    assert median([hours(3), hours(1), hours(2)]) == hours(2)
    assert median([hours(1), hours(2), hours(3), hours(10)]) == hours(2.5)
    assert median([]) is None


def test_p90_is_the_nearest_rank_of_a_known_list():
    values = [timedelta(minutes=minutes) for minutes in range(10, 0, -1)]  # 1..10 minutes, shuffled
    assert percentile(values, 90) == timedelta(minutes=9)
    assert percentile([timedelta(minutes=m) for m in range(1, 21)], 90) == timedelta(minutes=18)
    assert percentile([timedelta(minutes=m) for m in range(1, 12)], 90) == timedelta(minutes=10)
    assert percentile([hours(5)], 90) == hours(5)
    assert percentile([], 90) is None


# -- one ticket -----------------------------------------------------------------------------------


def test_times_are_exact_from_creation_to_the_first_ack_and_resolution():
    result = facts([ev("created", hours(0), "asker"), ev("acknowledged", timedelta(minutes=17)),
                    ev("resolved", hours(3) + timedelta(seconds=5))])
    assert result.to_ack == timedelta(minutes=17)
    assert result.to_resolve == hours(3) + timedelta(seconds=5)


def test_a_reopened_ticket_counts_its_first_resolution():
    result = facts([ev("acknowledged", hours(1)), ev("resolved", hours(2)), ev("reopened", hours(5), "asker"),
                    ev("acknowledged", hours(6)), ev("resolved", hours(30))])
    assert result.to_ack == hours(1)
    assert result.to_resolve == hours(2)


def test_a_ticket_without_an_ack_has_no_ack_time():
    result = facts([ev("created", hours(0), "asker"), ev("resolved", hours(4), "asker")])
    assert result.to_ack is None and result.to_resolve == hours(4)


def test_only_the_systems_escalations_and_the_leads_overdue_reminders_are_ack_breaches():
    assert is_ack_breach(Event("escalated", SYSTEM, T, "core", "no acknowledgement within 1d"))
    assert is_ack_breach(Event("reminded", SYSTEM, T, "lead", "no acknowledgement within 1d", {"overdue": True}))
    assert not is_ack_breach(Event("escalated", "nn1", T, "core", "needs a decision"))
    assert not is_ack_breach(Event("reminded", SYSTEM, T, "area:nn", data={"fraction": 0.5}))
    assert not is_ack_breach(Event("skipped", SYSTEM, T, "lead", data={"skipped": "core"}))


def test_breaches_are_counted_from_events():
    result = facts([ev("escalated", hours(24), SYSTEM), ev("escalated", hours(48), SYSTEM),
                    ev("breached", hours(168), SYSTEM), ev("escalated", hours(1), "nn1")])
    assert (result.ack_breaches, result.resolve_breaches, result.compliant) == (2, 1, False)


def test_a_late_escalation_is_still_an_ack_breach_and_a_skipped_reminder_is_nothing():
    due_at = (T + hours(24)).isoformat()
    result = facts([ev("reminder_skipped", hours(30), SYSTEM, fraction=0.5, due_at=due_at, late=True),
                    ev("escalated", hours(30), SYSTEM, due_at=due_at, late=True)])
    assert (result.ack_breaches, result.resolve_breaches, result.to_ack) == (1, 0, None)
    assert not is_ack_breach(ev("reminder_skipped", hours(30), SYSTEM, fraction=0.5, due_at=due_at, late=True))


def test_an_open_ticket_not_yet_overdue_is_compliant_so_far():
    assert facts([], state=State.OPEN).compliant
    assert facts([], state=State.ACKNOWLEDGED).compliant


def test_an_open_ticket_past_a_deadline_the_sweeper_missed_is_not_compliant():
    assert not facts([], state=State.OPEN, ack_due_at=NOW - hours(1)).compliant
    assert not facts([], state=State.ACKNOWLEDGED, resolve_due_at=NOW).compliant
    # An acknowledged ticket's ack deadline no longer runs.
    assert facts([], state=State.ACKNOWLEDGED, ack_due_at=NOW - hours(1)).compliant


def test_a_waiting_ticket_is_overdue_only_when_its_paused_clock_had_run_out():
    assert facts([], state=State.WAITING, ack_left=hours(2), resolve_left=hours(50)).compliant
    assert not facts([], state=State.WAITING, ack_left=timedelta(0), resolve_left=hours(50)).compliant


def test_events_after_now_are_not_counted():
    result = ticket_facts(ticket(1), [ev("resolved", timedelta(days=11))], NOW)
    assert result.to_resolve is None


# -- the report -----------------------------------------------------------------------------------


def test_rows_per_area_and_kind_sorted_with_no_area_last_and_a_total():
    tickets = [ticket(1, area="nn"), ticket(2, area=None), ticket(3, area="cuda", kind=Kind.ESCALATION),
               ticket(4, area="cuda"), ticket(5, area="nn")]
    rows = report(tickets, {}, since=SINCE, now=NOW)
    assert [(row.area, row.kind, row.opened) for row in rows] == [
        ("cuda", "escalation", 1), ("cuda", "question", 1), ("nn", "question", 2), (None, "question", 1),
        (None, None, 5),
    ]
    assert rows[-1].total and not any(row.total for row in rows[:-1])


def test_medians_p90_breaches_and_compliance_per_row():
    starts = {number: T + hours(number) for number in range(1, 5)}
    tickets = [ticket(number, created=start) for number, start in starts.items()]
    acks = {1: hours(1), 2: hours(2), 3: hours(10)}  # ticket 4 was never acknowledged
    events = {number: [ev("acknowledged", after, start=starts[number])] for number, after in acks.items()}
    events[2].append(ev("resolved", hours(5), start=starts[2]))
    events[3] += [ev("escalated", hours(24), SYSTEM, start=starts[3]), ev("resolved", hours(30), start=starts[3])]
    events[4] = [ev("breached", hours(168), SYSTEM, start=starts[4]), ev("resolved", hours(200), "lead",
                                                                            start=starts[4])]
    [row, total] = report(tickets, events, since=SINCE, now=NOW)
    assert (row.opened, row.acknowledged, row.resolved) == (4, 3, 3)
    assert (row.ack_p50, row.ack_p90) == (hours(2), hours(10))
    assert (row.resolve_p50, row.resolve_p90) == (hours(30), hours(200))
    assert (row.ack_breaches, row.resolve_breaches, row.compliant) == (1, 1, 2)
    assert row.compliance == 50.0
    assert total.opened == 4 and total.compliance == 50.0


def test_only_tickets_opened_in_the_period_count():
    tickets = [ticket(1, created=SINCE - timedelta(seconds=1)), ticket(2, created=SINCE),
               ticket(3, created=NOW), ticket(4, created=NOW + timedelta(seconds=1))]
    [row, _total] = report(tickets, {}, since=SINCE, now=NOW)
    assert row.opened == 2


def test_area_and_kind_filters():
    tickets = [ticket(1, area="nn"), ticket(2, area="cuda"), ticket(3, area="nn", kind=Kind.ESCALATION)]
    rows = report(tickets, {}, since=SINCE, now=NOW, area="NN", kind="escalation")
    assert [(row.area, row.kind) for row in rows] == [("nn", "escalation"), (None, None)]


@pytest.mark.parametrize("tickets", [[], [ticket(1, created=SINCE - hours(1))]])
def test_nothing_opened_gives_no_rows(tickets):
    assert report(tickets, {}, since=SINCE, now=NOW) == []


# -- a past period: `now` is its end, for the events too ----------------------------------------------


def test_a_past_periods_numbers_are_as_they_stood_at_its_end():
    end = T + hours(5)
    events = {1: [ev("acknowledged", hours(1)), ev("resolved", hours(6))],
              2: [ev("acknowledged", hours(8)), ev("escalated", hours(7), SYSTEM, due_at=(T + hours(7)).isoformat())]}
    [row, _total] = report([ticket(1), ticket(2)], events, since=T, now=end)
    assert (row.opened, row.acknowledged, row.resolved) == (2, 1, 0)
    assert (row.ack_breaches, row.compliant) == (0, 2)  # the escalation came after the end, for a later deadline


def test_a_ticket_overdue_at_a_past_end_is_not_compliant_though_resolved_since():
    # Its ack deadline passed at +4h; the sweeper recorded the breach at +6h, after the period's end at +5h.
    late = ev("escalated", hours(6), SYSTEM, due_at=(T + hours(4)).isoformat())
    result = ticket_facts(ticket(1), [late, ev("resolved", hours(7))], T + hours(5))
    assert (result.ack_breaches, result.overdue, result.compliant) == (0, True, False)


def test_a_ticket_whose_history_went_on_is_not_judged_by_its_deadlines_of_today():
    # Open today and past its deadline now, but at the period's end (+5h) the deadline was still ahead.
    today = ticket(1, state=State.OPEN, ack_due_at=T + hours(2))
    assert not ticket_facts(today, [ev("reminded", hours(6), SYSTEM, fraction=0.5)], T + hours(5)).overdue
    assert ticket_facts(today, [], T + hours(5)).overdue  # no later history: its fields are those of the end
