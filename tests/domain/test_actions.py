"""What people can do to a ticket, who may do it, and the sentence they get when they may not."""

import copy
from datetime import timedelta

import pytest

from bot.domain import actions
from bot.domain.errors import Refusal
from bot.domain.ticket import Kind, Notice, State
from tests.domain.conftest import ASKER, EVERYONE, NOW, STRANGER, away, hours, new_ticket, nn_ladder, roles

LADDER = nn_ladder()
ROLES = roles()
LATER = NOW + hours(2)


def ack(ticket, by="nn1", now=LATER):
    return actions.acknowledge(ticket, by=by, ladder=LADDER, roles=ROLES, now=now)


def resolve(ticket, by="nn1", note="Use register_forward_pre_hook.", now=LATER):
    return actions.resolve(ticket, by=by, note=note, ladder=LADDER, roles=ROLES, now=now)


def escalate(ticket, by="nn1", reason="needs a decision", now=LATER, pingable=EVERYONE):
    return actions.escalate(ticket, by=by, reason=reason, ladder=LADDER, roles=ROLES, now=now, pingable=pingable)


def wait(ticket, by="nn1", now=LATER):
    return actions.wait_on_asker(ticket, by=by, ladder=LADDER, roles=ROLES, now=now)


def replied(ticket, by=ASKER, now=LATER, pingable=EVERYONE):
    return actions.asker_replied(ticket, by=by, ladder=LADDER, roles=ROLES, now=now, pingable=pingable)


def reassign(ticket, to_person, by="nn1", now=LATER):
    return actions.reassign(ticket, by=by, to_person=to_person, ladder=LADDER, roles=ROLES, now=now)


def reopen(ticket, by=ASKER, now=LATER, pingable=EVERYONE):
    return actions.reopen(ticket, by=by, ladder=LADDER, roles=ROLES, now=now, pingable=pingable)


def refused(action, ticket, *args, **kwargs) -> str:
    """The refusal's sentence, each person it names shown as `@person`; also checks that refusing
    left the ticket as it was, and that nobody is written into the sentence itself (each surface
    names people its own way: Slack as mentions, the CLI by display name)."""
    before = copy.deepcopy(ticket)
    with pytest.raises(Refusal) as refusal:
        action(ticket, *args, **kwargs)
    assert ticket == before
    words = set(refusal.value.message.replace(".", " ").replace(";", " ").split())
    assert not words & (EVERYONE - {"lead"} | {ASKER, STRANGER}), refusal.value.message
    return refusal.value.render(lambda person: f"@{person}")


def kinds(notices):
    return [(notice.kind, notice.to) for notice in notices]


# -- opening --------------------------------------------------------------------------------------


def test_new_question_pings_the_area_maintainers_with_fresh_windows():
    outcome = actions.open_ticket(kind=Kind.QUESTION, area="nn", asker=ASKER, text="hi", ladder=LADDER,
                                  policy=new_ticket().policy, now=NOW, pingable=EVERYONE)
    ticket = outcome.ticket
    assert (ticket.level, ticket.state, ticket.level_started_at) == ("area:nn", State.OPEN, NOW)
    assert ticket.ack_due_at == NOW + timedelta(days=1)
    assert ticket.resolve_due_at == NOW + timedelta(days=7)
    assert ticket.next_due_at == NOW + hours(12)  # the 0.5 reminder comes first
    assert [(event.kind, event.actor, event.data) for event in outcome.events] == [
        ("created", ASKER, {"skipped": []})
    ]
    assert outcome.notices == [Notice("ping", ("nn1", "nn2"), "area:nn", {})]


def test_only_reachable_people_are_pinged():
    ticket_notices = actions.open_ticket(kind=Kind.QUESTION, area="nn", asker=ASKER, text="hi", ladder=LADDER,
                                         policy=new_ticket().policy, now=NOW, pingable=away("nn2")).notices
    assert kinds(ticket_notices) == [("ping", ("nn1",))]


def test_rung_where_everyone_is_away_is_skipped_and_the_asker_told():
    outcome = actions.open_ticket(kind=Kind.QUESTION, area="nn", asker=ASKER, text="hi", ladder=LADDER,
                                  policy=new_ticket().policy, now=NOW, pingable=away("nn1", "nn2"))
    assert outcome.ticket.level == "area:python"
    assert outcome.events[0].data == {"skipped": ["area:nn"]}
    assert kinds(outcome.notices) == [("ping", ("py1",)), ("skipped", ())]
    assert outcome.notices[1].data == {"skipped": ["area:nn"]}


def test_lead_rung_is_never_skipped_even_when_nobody_can_be_reached():
    outcome = actions.open_ticket(kind=Kind.QUESTION, area="nn", asker=ASKER, text="hi", ladder=LADDER,
                                  policy=new_ticket().policy, now=NOW, pingable=frozenset())
    assert outcome.ticket.level == "lead"
    assert outcome.events[0].data == {"skipped": ["area:nn", "area:python", "core"], "nobody_reachable": True}
    assert kinds(outcome.notices) == [("skipped", ()), ("unreachable", ())]  # never a ping to nobody


# -- acknowledge ----------------------------------------------------------------------------------


def test_acknowledge_stops_the_ack_clock_but_not_the_resolve_clock():
    ticket = new_ticket()
    outcome = ack(ticket)
    after = outcome.ticket
    assert (after.state, after.acknowledged_by, after.acknowledged_at, after.assignee) == (
        State.ACKNOWLEDGED, "nn1", LATER, "nn1")
    assert after.ack_due_at is None
    assert after.resolve_due_at == ticket.resolve_due_at
    assert after.next_due_at == ticket.resolve_due_at
    assert [event.kind for event in outcome.events] == ["acknowledged"]
    assert kinds(outcome.notices) == [("acknowledged", ())]


def test_action_does_not_change_the_ticket_it_was_given():
    ticket = new_ticket()
    before = copy.deepcopy(ticket)
    ack(ticket)
    assert ticket == before


def test_someone_above_the_current_rung_may_acknowledge():
    assert ack(new_ticket(), by="py1").ticket.state is State.ACKNOWLEDGED


def test_area_maintainer_cannot_acknowledge_once_the_ticket_has_climbed_past_them():
    at_core = escalate(escalate(new_ticket()).ticket, by="py1").ticket
    assert refused(ack, at_core, by="nn1") == "Only the core maintainers or the lead (@lead) can acknowledge #12."


def test_stranger_cannot_acknowledge_and_is_told_who_can():
    assert refused(ack, new_ticket(), by=STRANGER) == (
        "Only the nn maintainers, python maintainers, core maintainers or the lead (@lead) can acknowledge #12.")


def test_asker_cannot_acknowledge_their_own_question():
    assert refused(ack, new_ticket(), by=ASKER).startswith("Only the nn maintainers")


def test_acknowledging_twice_says_who_already_has_it():
    assert refused(ack, ack(new_ticket()).ticket, by="nn2") == "#12 is already acknowledged by @nn1."


def test_resolved_ticket_cannot_be_acknowledged():
    assert refused(ack, resolve(new_ticket()).ticket) == (
        "#12 was resolved by @nn1: reopen it before acknowledging it.")


@pytest.mark.parametrize("person", ["core1", "core2", "lead"])
def test_core_maintainers_and_the_lead_may_do_anything(person):
    ticket = new_ticket()
    assert ack(ticket, by=person).ticket.acknowledged_by == person
    assert escalate(ticket, by=person).ticket.level == "area:python"
    assert wait(ticket, by=person).ticket.state is State.WAITING
    assert replied(wait(ticket).ticket, by=person).ticket.state is State.OPEN
    assert reassign(ticket, "nn2", by=person).ticket.assignee == "nn2"
    closed = resolve(ticket, by=person).ticket
    assert closed.state is State.RESOLVED
    assert reopen(closed, by=person).ticket.state is State.OPEN


def test_acknowledging_while_waiting_keeps_it_waiting_and_it_returns_acknowledged():
    waiting = wait(new_ticket()).ticket
    acknowledged = ack(waiting, by="nn2").ticket
    assert (acknowledged.state, acknowledged.ack_left, acknowledged.acknowledged_by) == (
        State.WAITING, None, "nn2")
    back = replied(acknowledged, now=LATER + hours(1)).ticket
    assert (back.state, back.ack_due_at) == (State.ACKNOWLEDGED, None)


# -- resolve --------------------------------------------------------------------------------------


def test_resolve_stops_every_clock_and_tells_the_asker_the_note():
    outcome = resolve(ack(new_ticket()).ticket, by="nn2")
    after = outcome.ticket
    assert (after.state, after.resolved_by, after.resolved_at, after.resolution) == (
        State.RESOLVED, "nn2", LATER, "Use register_forward_pre_hook.")
    assert (after.ack_due_at, after.resolve_due_at, after.next_due_at) == (None, None, None)
    assert [(event.kind, event.reason) for event in outcome.events] == [
        ("resolved", "Use register_forward_pre_hook.")]
    assert outcome.notices == [Notice("resolved", (), "area:nn",
                                      {"by": "nn2", "note": "Use register_forward_pre_hook."})]


def test_asker_may_close_their_own_ticket_and_whoever_had_it_hears():
    outcome = resolve(ack(new_ticket()).ticket, by=ASKER, note="Found it myself.")
    assert outcome.ticket.state is State.RESOLVED
    assert kinds(outcome.notices) == [("resolved", ("nn1",))]


def test_asker_closing_an_unclaimed_ticket_tells_nobody_else():
    assert resolve(new_ticket(), by=ASKER).notices == []


def test_resolving_a_waiting_ticket_clears_the_paused_clocks():
    after = resolve(wait(new_ticket()).ticket).ticket
    assert (after.ack_left, after.resolve_left, after.waiting_since) == (None, None, None)


def test_resolved_ticket_cannot_be_resolved_again():
    assert refused(resolve, resolve(new_ticket()).ticket) == "#12 is already resolved, by @nn1."


def test_stranger_cannot_resolve_and_is_told_who_can():
    assert refused(resolve, new_ticket(), by=STRANGER) == (
        "Only the asker, the nn maintainers, python maintainers, core maintainers or the lead (@lead) can "
        "resolve #12.")


# -- escalate -------------------------------------------------------------------------------------


def test_escalate_moves_up_one_rung_with_a_fresh_ack_window():
    outcome = escalate(new_ticket())
    after = outcome.ticket
    assert (after.level, after.level_started_at, after.reminders_sent) == ("area:python", LATER, 0)
    assert after.ack_due_at == LATER + timedelta(days=1)
    assert after.resolve_due_at == NOW + timedelta(days=7)  # the resolve clock runs from creation
    assert [(event.kind, event.actor, event.reason, event.data) for event in outcome.events] == [
        ("escalated", "nn1", "needs a decision", {"from": "area:nn", "skipped": []})]
    assert kinds(outcome.notices) == [("escalated", ("py1",)), ("escalated", ())]


def test_escalating_an_acknowledged_ticket_opens_it_for_the_next_rung():
    after = escalate(ack(new_ticket()).ticket).ticket
    assert (after.state, after.acknowledged_by, after.assignee) == (State.OPEN, None, None)
    assert after.ack_due_at == LATER + timedelta(days=1)


def test_escalate_skips_a_rung_where_nobody_can_be_reached():
    outcome = escalate(new_ticket(), pingable=away("py1"))
    assert outcome.ticket.level == "core"
    assert outcome.events[0].data == {"from": "area:nn", "skipped": ["area:python"]}
    assert kinds(outcome.notices) == [("escalated", ("core1", "core2")), ("escalated", ()), ("skipped", ())]


def test_escalating_a_waiting_ticket_restarts_its_clocks_at_the_next_rung():
    waiting = wait(new_ticket(), now=NOW + hours(1)).ticket
    after = escalate(waiting, now=NOW + hours(5)).ticket
    assert after.state is State.OPEN
    assert after.resolve_due_at == NOW + timedelta(days=7) + hours(4)  # paused for 4h
    assert (after.ack_left, after.resolve_left, after.waiting_since) == (None, None, None)


def test_ticket_with_the_lead_cannot_be_escalated():
    at_lead = new_ticket(pingable=frozenset({"lead"}))
    assert refused(escalate, at_lead, by="lead") == (
        "#12 is already with the lead; there is nobody higher to escalate to.")


def test_asker_cannot_escalate_their_ticket():
    assert refused(escalate, new_ticket(), by=ASKER).endswith("can escalate #12.")


def test_resolved_ticket_cannot_be_escalated():
    assert refused(escalate, resolve(new_ticket()).ticket) == (
        "#12 was resolved by @nn1: reopen it before escalating it.")


# -- waiting on the asker -------------------------------------------------------------------------


def test_waiting_on_the_asker_pauses_every_clock_keeping_the_time_left():
    outcome = wait(new_ticket(), now=NOW + hours(6))
    after = outcome.ticket
    assert (after.state, after.waiting_since) == (State.WAITING, NOW + hours(6))
    assert (after.ack_left, after.resolve_left) == (hours(18), timedelta(days=7) - hours(6))
    assert (after.ack_due_at, after.resolve_due_at, after.next_due_at) == (None, None, None)
    assert [event.kind for event in outcome.events] == ["waiting"]
    assert kinds(outcome.notices) == [("waiting", ())]


def test_asker_reply_restarts_the_clocks_with_the_time_they_had_left():
    waiting = wait(new_ticket(), now=NOW + hours(6)).ticket
    outcome = replied(waiting, now=NOW + timedelta(days=10))
    after = outcome.ticket
    assert after.state is State.OPEN
    assert after.ack_due_at == NOW + timedelta(days=10) + hours(18)
    assert after.resolve_due_at == NOW + timedelta(days=17) - hours(6)
    assert (after.ack_left, after.resolve_left, after.waiting_since) == (None, None, None)
    assert [event.kind for event in outcome.events] == ["replied"]
    assert kinds(outcome.notices) == [("replied", ("nn1", "nn2"))]


def test_asker_reply_returns_an_acknowledged_ticket_to_whoever_has_it():
    waiting = wait(ack(new_ticket()).ticket).ticket
    outcome = replied(waiting, now=LATER + hours(3))
    assert (outcome.ticket.state, outcome.ticket.ack_due_at) == (State.ACKNOWLEDGED, None)
    assert kinds(outcome.notices) == [("replied", ("nn1",))]


def test_maintainer_may_mark_the_asker_reply():
    assert replied(wait(new_ticket()).ticket, by="nn2").ticket.state is State.OPEN


def test_waiting_twice_is_refused():
    assert refused(wait, wait(new_ticket()).ticket) == "#12 is already waiting on the asker."


def test_reply_when_nobody_waits_is_refused():
    assert refused(replied, new_ticket()) == "#12 is not waiting on the asker."


def test_asker_cannot_mark_their_own_ticket_as_waiting_on_them():
    assert refused(wait, new_ticket(), by=ASKER).endswith("can mark #12 as waiting on the asker.")


def test_stranger_cannot_mark_the_reply():
    assert refused(replied, wait(new_ticket()).ticket, by=STRANGER).startswith("Only the asker, the nn")


def test_resolved_ticket_cannot_wait_on_the_asker():
    assert refused(wait, resolve(new_ticket()).ticket) == (
        "#12 was resolved by @nn1: reopen it before waiting on the asker.")


# -- reassign -------------------------------------------------------------------------------------


def test_reassign_hands_the_ticket_over_on_that_person_rung():
    outcome = reassign(ack(new_ticket()).ticket, "py1")
    after = outcome.ticket
    assert (after.level, after.assignee, after.state, after.acknowledged_by) == (
        "area:python", "py1", State.OPEN, None)
    assert after.ack_due_at == LATER + timedelta(days=1)
    assert [(event.kind, event.data) for event in outcome.events] == [
        ("reassigned", {"to": "py1", "from": "area:nn"})]
    assert kinds(outcome.notices) == [("assigned", ("py1",)), ("reassigned", ())]


def test_reassign_is_the_one_way_a_ticket_moves_down_the_ladder():
    at_core = escalate(escalate(new_ticket()).ticket, by="py1").ticket
    assert reassign(at_core, "nn2", by="core1").ticket.level == "area:nn"


def test_reassigning_a_waiting_ticket_keeps_it_waiting_with_a_full_ack_window():
    after = reassign(wait(new_ticket(), now=NOW + hours(6)).ticket, "py1").ticket
    assert (after.state, after.level, after.ack_left, after.reminders_sent) == (
        State.WAITING, "area:python", timedelta(days=1), 0)


def test_reassign_to_someone_off_the_ladder_is_refused():
    assert refused(reassign, new_ticket(), STRANGER) == (
        f"@{STRANGER} is not on the ladder of #12; hand it to one of the nn maintainers, python maintainers, "
        "core maintainers or the lead (@lead).")


def test_reassign_to_the_current_assignee_is_refused():
    assert refused(reassign, ack(new_ticket()).ticket, "nn1", by="nn2") == "#12 is already assigned to @nn1."


def test_asker_cannot_reassign():
    assert refused(reassign, new_ticket(), "nn2", by=ASKER).endswith("can reassign #12.")


# -- reopen ---------------------------------------------------------------------------------------


def test_reopen_opens_the_ticket_on_its_rung_with_fresh_windows():
    climbed = escalate(new_ticket()).ticket
    closed = resolve(climbed, by="py1").ticket
    reopened_at = NOW + timedelta(days=3)
    outcome = reopen(closed, now=reopened_at)
    after = outcome.ticket
    assert (after.state, after.level, after.reminders_sent, after.resolve_breaches) == (
        State.OPEN, "area:python", 0, 0)
    assert (after.resolved_at, after.resolved_by, after.resolution) == (None, None, None)
    assert after.ack_due_at == reopened_at + timedelta(days=1)
    assert after.resolve_due_at == reopened_at + timedelta(days=7)
    assert [event.kind for event in outcome.events] == ["reopened"]
    assert kinds(outcome.notices) == [("ping", ("py1",))]


def test_whoever_resolved_may_reopen_and_the_asker_hears():
    outcome = reopen(resolve(new_ticket(), by="nn2").ticket, by="nn2")
    assert kinds(outcome.notices) == [("ping", ("nn1", "nn2")), ("reopened", ())]


def test_the_reason_for_reopening_goes_into_the_history_and_to_who_is_told():
    closed = resolve(new_ticket(), by="nn2").ticket
    outcome = actions.reopen(closed, by="nn2", ladder=LADDER, roles=ROLES, now=LATER, pingable=EVERYONE,
                             reason="still crashes on 2.5")
    assert [(event.kind, event.reason) for event in outcome.events] == [("reopened", "still crashes on 2.5")]
    assert [notice.data["reason"] for notice in outcome.notices] == ["still crashes on 2.5"] * 2
    assert reopen(resolve(new_ticket()).ticket).events[0].reason is None


def test_other_maintainers_cannot_reopen():
    closed = resolve(new_ticket(), by="nn2").ticket
    assert refused(reopen, closed, by="nn1") == (
        "Only the asker, the core maintainers or the lead (@lead) can reopen #12.")


def test_open_ticket_cannot_be_reopened():
    assert refused(reopen, new_ticket()) == "#12 is not resolved, so there is nothing to reopen."


def test_refusal_for_a_ticket_without_a_number_says_this_ticket():
    ticket = new_ticket()
    ticket.id = None
    assert refused(reopen, ticket) == "this ticket is not resolved, so there is nothing to reopen."
