"""The SLA clocks: reminders, climbing on a missed ack, telling the rung above on a missed resolve."""

from datetime import timedelta
from textwrap import dedent

from bot.config.ladders import ladder_for
from bot.domain import actions
from bot.domain.clocks import due, moment_before, next_due_at
from bot.domain.ticket import SYSTEM, Kind, WorkingHours
from bot.domain.working_time import WorkingCalendar
from tests.domain.conftest import ASKER, CONFIG, EVERYONE, NOW, away, hours, make_config, new_ticket, nn_ladder, roles

LADDER = nn_ladder()
ROLES = roles()
DAY = timedelta(days=1)


def sweep(ticket, at, pingable=EVERYONE):
    return due(ticket, LADDER, at, pingable)


def summary(outcome):
    """What a sweep did; the reminders it jumped over (recorded as skipped) are left out."""
    return [(event.kind, event.level) for event in acted(outcome)]


def acted(outcome):
    return [event for event in outcome.events if event.kind != "reminder_skipped"]


def notices(outcome):
    return [(notice.kind, notice.to) for notice in outcome.notices]


def on_time(moment):
    """The data an event gets from a deadline acted on when it was due."""
    return {"due_at": moment.isoformat()}


def late(moment):
    return {"due_at": moment.isoformat(), "late": True}


def acknowledged(ticket, by="nn1", now=NOW + timedelta(hours=1)):
    return actions.acknowledge(ticket, by=by, ladder=LADDER, roles=ROLES, now=now).ticket


# -- reminders ------------------------------------------------------------------------------------


def test_nothing_happens_before_the_first_reminder():
    ticket = new_ticket()
    outcome = sweep(ticket, NOW + hours(11))
    assert (outcome.events, outcome.notices) == ([], [])
    assert outcome.ticket == ticket


def test_current_rung_is_reminded_halfway_through_the_ack_window():
    outcome = sweep(new_ticket(), NOW + hours(12))
    assert [(event.kind, event.actor, event.data) for event in outcome.events] == [
        ("reminded", SYSTEM, {"fraction": 0.5} | on_time(NOW + hours(12)))]
    assert notices(outcome) == [("reminder", ("nn1", "nn2"))]
    assert outcome.ticket.reminders_sent == 1
    assert outcome.ticket.next_due_at == NOW + hours(21.6)


def test_second_reminder_comes_at_nine_tenths_of_the_window():
    halfway = sweep(new_ticket(), NOW + hours(12)).ticket
    assert sweep(halfway, NOW + hours(21)).events == []
    outcome = sweep(halfway, NOW + hours(21.6))
    assert outcome.events[0].data == {"fraction": 0.9} | on_time(NOW + hours(21.6))
    assert outcome.ticket.next_due_at == NOW + DAY


def test_reminders_skip_people_who_went_away():
    assert notices(sweep(new_ticket(), NOW + hours(12), away("nn1"))) == [("reminder", ("nn2",))]


def test_two_passed_reminder_points_give_one_reminder_and_record_the_other_as_skipped():
    outcome = sweep(new_ticket(), NOW + hours(23))
    assert [(event.kind, event.reason, event.data) for event in outcome.events] == [
        ("reminder_skipped", "a later reminder was due", {"fraction": 0.5} | late(NOW + hours(12))),
        ("reminded", None, {"fraction": 0.9} | late(NOW + hours(21.6)))]
    assert notices(outcome) == [("reminder", ("nn1", "nn2"))]
    assert outcome.ticket.reminders_sent == 2


def test_a_reminder_acted_on_within_a_minute_is_on_time():
    outcome = sweep(new_ticket(), NOW + hours(12) + timedelta(seconds=59))
    assert outcome.events[0].data == {"fraction": 0.5} | on_time(NOW + hours(12))
    assert "late" in sweep(new_ticket(), NOW + hours(12) + timedelta(seconds=61)).events[0].data


# -- the ack clock --------------------------------------------------------------------------------


def test_missed_ack_climbs_nn_then_python_then_core_then_lead():
    ticket, levels = new_ticket(), []
    for day in range(1, 4):
        outcome = sweep(ticket, NOW + day * DAY)
        assert [(event.kind, event.reason) for event in acted(outcome)] == [
            ("escalated", "no acknowledgement within 1d")]
        ticket = outcome.ticket
        levels.append(ticket.level)
        assert (ticket.level_started_at, ticket.ack_due_at, ticket.reminders_sent) == (
            NOW + day * DAY, NOW + (day + 1) * DAY, 0)
    assert levels == ["area:python", "core", "lead"]


def test_escalation_pings_the_new_rung_and_tells_the_asker():
    outcome = sweep(new_ticket(), NOW + DAY)
    assert notices(outcome) == [("escalated", ("py1",)), ("escalated", ())]
    assert outcome.notices[0].data == {"reason": "no acknowledgement within 1d", "came_from": "area:nn"}


def test_lead_is_reminded_every_ack_window_and_the_ticket_goes_no_higher():
    at_lead = new_ticket(pingable=frozenset({"lead"}))
    for day in range(1, 4):
        outcome = sweep(at_lead, NOW + day * DAY)
        assert [(event.kind, event.level, event.data) for event in acted(outcome)] == [
            ("reminded", "lead", {"overdue": True} | on_time(NOW + day * DAY))]
        assert notices(outcome) == [("reminder", ("lead",))]
        at_lead = outcome.ticket
        assert at_lead.next_due_at == NOW + (day + 1) * DAY  # no fractional reminders after the first window


def test_rung_where_everyone_is_away_is_skipped_at_once_and_the_asker_told():
    outcome = sweep(new_ticket(), NOW + DAY, away("py1"))
    assert summary(outcome) == [("escalated", "area:python"), ("skipped", "core")]
    assert acted(outcome)[1].data == {"skipped": "area:python"}
    assert acted(outcome)[1].reason == "nobody on the python maintainers can be reached"
    assert notices(outcome) == [("skipped", ()), ("escalated", ("core1", "core2")), ("escalated", ())]
    assert outcome.ticket.level == "core"


def test_acknowledged_ticket_never_climbs_on_the_ack_clock():
    outcome = sweep(acknowledged(new_ticket()), NOW + 6 * DAY)
    assert (outcome.events, outcome.ticket.level) == ([], "area:nn")


def test_deadline_missed_by_days_fires_once():
    outcome = sweep(new_ticket(), NOW + 5 * DAY)
    assert summary(outcome)[-1:] == [("escalated", "area:python")]  # no repeat climbs
    assert notices(outcome) == [("escalated", ("py1",)), ("escalated", ())]  # no stale reminders
    assert outcome.ticket.next_due_at == NOW + 5 * DAY + hours(12)


def test_a_late_escalation_says_when_it_was_due_and_that_it_was_late():
    outcome = sweep(new_ticket(), NOW + DAY + timedelta(minutes=21))
    [escalated] = [event for event in outcome.events if event.kind == "escalated"]
    assert (escalated.at, escalated.data) == (NOW + DAY + timedelta(minutes=21),
                                              {"from": "area:nn"} | late(NOW + DAY))
    assert sweep(new_ticket(), NOW + DAY).events[-1].data == {"from": "area:nn"} | on_time(NOW + DAY)


def test_reminders_of_a_window_that_ran_out_are_recorded_as_skipped_not_sent():
    outcome = sweep(new_ticket(), NOW + 2 * DAY)
    ran_out = "the ack window had already run out"
    assert [(event.kind, event.level, event.reason, event.data) for event in outcome.events] == [
        ("reminder_skipped", "area:nn", ran_out, {"fraction": 0.5} | late(NOW + hours(12))),
        ("reminder_skipped", "area:nn", ran_out, {"fraction": 0.9} | late(NOW + hours(21.6))),
        ("escalated", "area:python", "no acknowledgement within 1d", {"from": "area:nn"} | late(NOW + DAY)),
    ]
    assert [notice.kind for notice in outcome.notices] == ["escalated", "escalated"]


# -- the resolve clock ----------------------------------------------------------------------------


def test_missed_resolve_tells_the_rung_above_once():
    outcome = sweep(acknowledged(new_ticket()), NOW + 7 * DAY)
    assert [(event.kind, event.reason, event.data) for event in outcome.events] == [
        ("breached", "not resolved within 1w", {"notified": "area:python", "breaches": 1} | on_time(NOW + 7 * DAY))]
    assert notices(outcome) == [("resolve_breach", ("py1",))]
    assert outcome.ticket.resolve_due_at == NOW + 14 * DAY
    assert outcome.ticket.level == "area:nn"  # the ticket stays with whoever acknowledged it


def test_later_resolve_breaches_reach_core_then_the_lead_every_window():
    ticket, told = acknowledged(new_ticket()), []
    for week in range(1, 6):
        outcome = sweep(ticket, NOW + week * 7 * DAY)
        ticket = outcome.ticket
        told.append([notice.to for notice in outcome.notices])
    assert told == [[("py1",)], [("core1", "core2")], [("lead",)], [("lead",)], [("lead",)]]
    assert ticket.resolve_breaches == 5


def test_missed_resolve_passes_over_rungs_nobody_can_hear():
    outcome = sweep(acknowledged(new_ticket()), NOW + 7 * DAY, away("py1"))
    assert outcome.events[0].data["notified"] == "core"


def test_missed_ack_and_resolve_apply_in_time_order():
    escalation_config = make_config(CONFIG.replace("escalation: {ack: 4h, resolve: 2d}",
                                                   "escalation: {ack: 3d, resolve: 2d}"))
    ticket = new_ticket(Kind.ESCALATION, config=escalation_config)
    outcome = sweep(ticket, NOW + 4 * DAY)
    assert summary(outcome) == [("breached", "area:nn"), ("escalated", "area:python")]
    assert outcome.ticket.next_due_at > NOW + 4 * DAY


def test_resolved_and_waiting_tickets_stay_silent():
    ticket = new_ticket()
    closed = actions.resolve(ticket, by="nn1", note=None, ladder=LADDER, roles=ROLES, now=NOW).ticket
    waiting = actions.wait_on_asker(ticket, by="nn1", ladder=LADDER, roles=ROLES, now=NOW).ticket
    for quiet in (closed, waiting):
        outcome = sweep(quiet, NOW + 30 * DAY)
        assert (outcome.events, outcome.notices, outcome.ticket.next_due_at) == ([], [], None)


# -- waiting on the asker -------------------------------------------------------------------------


def test_waiting_pauses_all_clocks_and_resumes_with_the_remaining_time():
    waiting = actions.wait_on_asker(new_ticket(), by="nn1", ladder=LADDER, roles=ROLES,
                                    now=NOW + hours(6)).ticket
    assert sweep(waiting, NOW + 20 * DAY).events == []
    resumed_at = NOW + 20 * DAY
    resumed = actions.asker_replied(waiting, by=ASKER, ladder=LADDER, roles=ROLES, now=resumed_at,
                                    pingable=EVERYONE).ticket
    assert resumed.ack_due_at == resumed_at + hours(18)
    assert resumed.next_due_at == resumed_at + hours(6)  # the 0.5 reminder: 12h of SLA time in
    assert sweep(resumed, resumed_at + hours(6)).events[0].data == {"fraction": 0.5} | on_time(resumed_at + hours(6))
    assert summary(sweep(resumed, resumed_at + hours(18))) == [("escalated", "area:python")]


def test_next_due_at_is_none_when_nothing_is_pending():
    closed = actions.resolve(new_ticket(), by="nn1", note=None, ladder=LADDER, roles=ROLES, now=NOW).ticket
    assert next_due_at(closed) is None


# -- working hours --------------------------------------------------------------------------------

BUSINESS_HOURS = dedent("""\
    project: Acme
    lead: lead
    core:
      maintainers: [core1]
    sla:
      question: {ack: 16h, resolve: 40h}
      reminders: [0.5]
      hours: {days: [mon, tue, wed, thu, fri], start: "9:00", end: "17:00", tz: UTC}
    areas:
      - key: nn
        maintainers: [nn1]
    people:
      lead: {slack: U0LEAD}
      core1: {slack: U0CORE1}
      nn1: {slack: U0NN1}
    """)
FRIDAY_1300 = NOW + 4 * DAY + hours(4)
MONDAY_1300 = NOW + 7 * DAY + hours(4)
TUESDAY_1300 = NOW + 8 * DAY + hours(4)


def test_business_hours_put_reminders_and_deadlines_on_working_time():
    config = make_config(BUSINESS_HOURS)
    ticket = new_ticket(now=FRIDAY_1300, config=config)
    assert ticket.ack_due_at == TUESDAY_1300  # 4h on Friday, 8h on Monday, 4h on Tuesday
    assert ticket.resolve_due_at == FRIDAY_1300 + 7 * DAY
    assert ticket.next_due_at == MONDAY_1300  # halfway: 8h of working time in
    outcome = due(ticket, ladder_for(config, "nn"), MONDAY_1300, frozenset({"nn1", "core1", "lead"}))
    assert [(event.kind, event.data) for event in outcome.events] == [
        ("reminded", {"fraction": 0.5} | on_time(MONDAY_1300))]


def test_business_hours_pause_keeps_the_working_time_left():
    config = make_config(BUSINESS_HOURS)
    ladder = ladder_for(config, "nn")
    ticket = new_ticket(now=FRIDAY_1300, config=config)
    waiting = actions.wait_on_asker(ticket, by="nn1", ladder=ladder, roles=roles(config),
                                    now=FRIDAY_1300 + hours(2)).ticket
    assert waiting.ack_left == hours(14)
    saturday = FRIDAY_1300 + DAY
    resumed = actions.asker_replied(waiting, by=ASKER, ladder=ladder, roles=roles(config), now=saturday,
                                    pingable=EVERYONE).ticket
    assert resumed.ack_due_at == TUESDAY_1300 + hours(2)  # 8h on Monday, 6h on Tuesday
    assert resumed.next_due_at == MONDAY_1300 + hours(2)  # 8h of the 16h window were left at the reminder


def test_moment_before_counts_back_in_working_time():
    calendar = WorkingCalendar(hours=WorkingHours(days=(1, 2, 3, 4, 5), start="09:00", end="17:00", tz="UTC"))
    tuesday_noon = NOW + DAY + hours(3)
    assert moment_before(calendar, tuesday_noon, hours(10)) == NOW + hours(1)  # Monday 10:00
    # Monday 17:00 already has only 3h left: the same moment `add` gives for the forward count.
    assert moment_before(calendar, tuesday_noon, hours(3)) == NOW + hours(8)
    assert moment_before(calendar, tuesday_noon, timedelta(0)) == tuesday_noon
