"""The triage agenda's lists, computed from seeded tickets, events, decisions and nominations (no database)."""

from dataclasses import replace
from datetime import timedelta

from bot.domain.decision_record import State
from bot.domain.nomination_record import Action, Nomination, Nominator
from bot.domain.nomination_record import State as NominationState
from bot.domain.ticket import SYSTEM, Event
from bot.domain.ticket import State as TicketState
from bot.reporting.agenda import Why, agenda, breach_of, undecided_of
from tests.handlers.views.decisions import NOW, disputed, opened, passed, published, tied_to_core, tied_to_lead, vetoing
from tests.storage.conftest import make_ticket

HOUR = timedelta(hours=1)


def climbed(at, due_at):
    return Event("escalated", SYSTEM, at, "core", "no acknowledgement within 8h",
                 {"from": "area:nn", "due_at": due_at.isoformat()})


def seeded(*pairs):
    return {ticket.id: (ticket, list(events)) for ticket, events in pairs}


def lists(candidates=None, decisions=(), lead=(), nominations=(), now=NOW):
    return agenda(breach_candidates=candidates or {}, decisions=decisions, lead_tickets=list(lead),
                  lead_tickets_total=len(lead), nominations=nominations, now=now)


# -- breached ---------------------------------------------------------------------------------------


def test_a_ticket_within_its_deadlines_has_not_breached():
    assert breach_of(make_ticket(id=1), [], NOW + HOUR) is None


def test_a_climb_by_the_sweeper_is_an_ack_breach_overdue_since_its_deadline():
    ticket = make_ticket(id=1, level="core", ack_due_at=NOW + 16 * HOUR)
    breach = breach_of(ticket, [climbed(NOW + 9 * HOUR, NOW + 8 * HOUR)], NOW + 10 * HOUR)
    assert breach.missed == ("ack",) and breach.overdue_since == NOW + 8 * HOUR and breach.holder is None


def test_an_escalation_by_hand_or_an_ordinary_reminder_is_no_breach():
    by_hand = Event("escalated", "albanD", NOW, "core", "by hand from the ping", {})
    reminder = Event("reminded", SYSTEM, NOW, "area:nn", None, {"fraction": 0.5})
    assert breach_of(make_ticket(id=1), [by_hand, reminder], NOW + HOUR) is None


def test_a_deadline_past_but_not_yet_swept_counts_and_a_missed_resolve_too():
    late = make_ticket(id=1, ack_due_at=NOW - HOUR, resolve_due_at=NOW - 2 * HOUR)
    assert breach_of(late, [], NOW).missed == ("ack", "resolve")
    assert breach_of(late, [], NOW).overdue_since == NOW - 2 * HOUR
    swept = Event("breached", SYSTEM, NOW, "area:nn", "not resolved within 7d",
                  {"notified": "core", "due_at": (NOW - 3 * HOUR).isoformat()})
    acknowledged = make_ticket(id=2, state=TicketState.ACKNOWLEDGED, acknowledged_by="albanD", assignee="albanD",
                               ack_due_at=None, resolve_breaches=1, resolve_due_at=NOW + 7 * 24 * HOUR)
    breach = breach_of(acknowledged, [swept], NOW)
    assert breach.missed == ("resolve",) and breach.holder == "albanD"


def test_an_acknowledged_tickets_old_ack_deadline_is_not_overdue_again():
    ticket = make_ticket(id=1, state=TicketState.ACKNOWLEDGED, acknowledged_by="albanD", ack_due_at=NOW - HOUR)
    assert breach_of(ticket, [], NOW) is None


def test_waiting_on_the_asker_and_resolved_tickets_are_left_out():
    event = [climbed(NOW, NOW)]
    assert breach_of(make_ticket(id=1, state=TicketState.WAITING), event, NOW + HOUR) is None
    assert breach_of(make_ticket(id=2, state=TicketState.RESOLVED), event, NOW + HOUR) is None


def test_breached_tickets_come_most_overdue_first():
    fresh = make_ticket(id=1, ack_due_at=NOW - HOUR)
    old = make_ticket(id=2, level="core")
    kept = make_ticket(id=3)
    found = lists(seeded((fresh, []), (old, [climbed(NOW - 5 * HOUR, NOW - 6 * HOUR)]), (kept, [])))
    assert [breach.ticket.id for breach in found.breached] == [2, 1]


# -- undecided ----------------------------------------------------------------------------------------


def test_a_module_vote_is_not_the_cores_but_a_tie_sends_it_to_a_core_vote_after_no_decision():
    assert undecided_of(opened(), NOW) is None
    item = undecided_of(tied_to_core(), NOW)
    assert item.why is Why.CORE_VOTE and item.after_no_decision
    assert item.due_at == tied_to_core().current.closes_at


def test_a_veto_is_a_core_vote_and_not_after_no_decision():
    item = undecided_of(vetoing(), NOW + timedelta(days=1))
    assert item.why is Why.CORE_VOTE and not item.after_no_decision


def test_an_unanswered_dispute_is_undecided_until_answered():
    decision = disputed()
    item = undecided_of(decision, NOW + timedelta(days=1))
    assert item.why is Why.DISPUTE and item.due_at == decision.disputes[-1].answer_due_at


def test_a_missing_rationale_is_undecided_only_once_overdue():
    decision = passed()  # rationale_within: 3d
    assert undecided_of(decision, NOW + timedelta(days=2)) is None
    item = undecided_of(decision, NOW + timedelta(days=4))
    assert item.why is Why.RATIONALE and item.due_at == decision.rationale_due_at
    assert undecided_of(published(), NOW + timedelta(days=4)) is None


def test_undecided_come_earliest_deadline_first():
    rationale = replace(passed(), number=20)
    vote = replace(tied_to_core(), number=21)
    found = lists(decisions=[vote, rationale], now=NOW + timedelta(days=4))
    assert [(item.decision.number, item.why) for item in found.undecided] == [
        (20, Why.RATIONALE), (21, Why.CORE_VOTE)]


# -- waiting on the lead --------------------------------------------------------------------------------


def test_the_lead_waits_on_tickets_at_their_rung_and_decisions_put_to_them_with_their_nomination():
    lead_decision = tied_to_lead()
    assert lead_decision.state is State.LEAD
    nomination = Nomination(Action.ADD, "ezyang", "core", (Nominator("albanD", "Reviews most PRs", NOW),),
                            NominationState.VOTING, NOW, number=11, decision=lead_decision.number)
    other = Nomination(Action.ADD, "janeyx99", "nn", (Nominator("albanD", None, NOW),), NominationState.VOTING, NOW,
                       number=13, decision=99)
    at_lead = make_ticket(id=5, level="lead")
    found = lists(decisions=[lead_decision, tied_to_core()], lead=[at_lead], nominations=[nomination, other])
    assert found.lead_tickets == (at_lead,) and found.lead_tickets_total == 1
    [item] = found.lead_decisions
    assert item.decision.number == lead_decision.number and item.nomination == nomination
    assert not found.empty


def test_nothing_anywhere_is_an_empty_agenda():
    assert lists(seeded((make_ticket(id=1), [])), decisions=[opened(), published()]).empty
