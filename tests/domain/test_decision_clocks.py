"""A decision's deadlines: reminders to those who have not voted, closing at the deadline, the
rationale's reminders and the core told it is missing, the lead reminded, disputes unanswered,
decisions settling; after downtime, each once."""

from dataclasses import replace

from bot.domain import decisions
from bot.domain.decision_clocks import due
from bot.domain.decision_policy import Rule
from bot.domain.decisions import Kind, Purpose, State
from bot.domain.tally import Result
from bot.domain.ticket import SYSTEM
from tests.domain.decision_helpers import (
    CORE,
    DAY,
    GROUPS,
    LEAD,
    NN,
    NOW,
    POLICY,
    A,
    B,
    F,
    decided,
    kinds,
    opened,
    published,
    refused,
    told,
    votes,
)


def sweep(decision, at):
    return decisions.due(decision, now=at, groups=GROUPS)


def test_nothing_happens_before_a_deadline():
    decision = opened()
    outcome = sweep(decision, NOW + 3 * DAY)
    assert (outcome.decision, outcome.events, outcome.notices) == (decision, [], [])


def test_those_who_have_not_voted_are_reminded_at_each_fraction_of_the_duration():
    decision = votes(opened(), ("nn1", F), now=NOW + DAY).decision
    first = sweep(decision, NOW + 3.5 * DAY)
    assert kinds(first) == [("reminded", "area:nn")]
    assert first.events[0].data == {"fraction": 0.5, "due_at": (NOW + 3.5 * DAY).isoformat()}
    assert told(first) == [("vote_reminder", ("nn2", "nn3"))]  # nn1 has voted
    assert first.decision.next_due_at == NOW + 6.3 * DAY
    second = sweep(first.decision, NOW + 6.3 * DAY)
    assert [event.data["fraction"] for event in second.events] == [0.9]
    assert second.decision.next_due_at == NOW + 7 * DAY
    assert sweep(second.decision, NOW + 6.3 * DAY).events == []  # each once


def test_a_missed_quorum_at_the_deadline_goes_to_a_core_vote():
    decision = votes(opened(), ("nn1", F)).decision
    outcome = sweep(replace(decision, rounds=(replace(decision.current, reminders_sent=2),)), NOW + 7 * DAY)
    assert kinds(outcome) == [("closed", "area:nn"), ("escalated", "core")]
    assert outcome.events[0].reason == "quorum missed: 1 of the 2 votes needed"
    assert outcome.events[0].data["early"] is False
    assert outcome.events[1].reason == "no decision: quorum missed: 1 of the 2 votes needed"
    assert (outcome.decision.level, outcome.decision.current.closes_at) == ("core", NOW + 12 * DAY)
    assert told(outcome) == [("vote", CORE)]


def test_after_downtime_each_deadline_fires_once_and_the_next_window_counts_from_now():
    decision = votes(opened(), ("nn1", F)).decision
    back = NOW + 10 * DAY
    outcome = sweep(decision, back)
    assert kinds(outcome) == [("reminder_skipped", "area:nn"), ("reminder_skipped", "area:nn"),
                              ("closed", "area:nn"), ("escalated", "core")]
    assert outcome.events[2].data["late"] is True
    assert outcome.events[2].data["due_at"] == (NOW + 7 * DAY).isoformat()
    assert told(outcome) == [("vote", CORE)]  # no reminder sent late
    assert outcome.decision.current.closes_at == back + 5 * DAY
    assert outcome.decision.next_due_at == back + 2.5 * DAY


def test_lazy_consensus_passes_at_the_deadline_in_silence():
    policy = replace(POLICY, vote=replace(POLICY.vote, rule=Rule.LAZY_CONSENSUS, reminders=()))
    outcome = sweep(opened(policy=policy), NOW + 7 * DAY)
    assert (outcome.decision.state, outcome.decision.outcome) == (State.DECIDED, Result.PASSED)
    assert told(outcome) == [("decided", NN)]


def test_the_rationale_is_reminded_then_the_core_is_told_it_is_missing_once():
    decision = decided(("nn1", F), ("nn2", F))
    assert decision.next_due_at == NOW + 1.5 * DAY
    first = sweep(decision, NOW + 1.5 * DAY)
    assert kinds(first) == [("rationale_reminded", "area:nn")]
    assert told(first) == [("rationale_reminder", NN)]
    second = sweep(first.decision, NOW + 2.7 * DAY)
    assert told(second) == [("rationale_reminder", NN)]
    missing = sweep(second.decision, NOW + 3 * DAY)
    assert kinds(missing) == [("rationale_missing", "area:nn")]
    assert told(missing) == [("rationale_missing", (*CORE, LEAD))]
    assert missing.notices[0].level == "core"
    assert missing.decision.next_due_at is None
    assert sweep(missing.decision, NOW + 30 * DAY).events == []
    late = decisions.write_rationale(missing.decision, by="core1", text="Late, but here.", now=NOW + 30 * DAY,
                                     groups=GROUPS)
    assert late.decision.state is State.PUBLISHED


def test_a_rationale_the_core_owes_is_reported_to_the_lead():
    tied = votes(opened(), ("nn1", F), ("nn2", A), ("nn3", B)).decision
    decision = votes(tied, ("core1", F), ("core2", F)).decision
    outcome = sweep(decision, NOW + 3 * DAY)
    assert [kind for kind, _ in kinds(outcome)] == ["rationale_reminder_skipped", "rationale_reminder_skipped",
                                                    "rationale_missing"]
    assert told(outcome) == [("rationale_missing", (LEAD,))]


def test_the_lead_is_reminded_every_core_duration():
    tied = votes(opened(), ("nn1", F), ("nn2", A), ("nn3", B)).decision
    at_lead = votes(tied, ("core1", F), ("core2", A), ("core3", B)).decision
    assert at_lead.next_due_at == NOW + 5 * DAY
    outcome = sweep(at_lead, NOW + 5 * DAY)
    assert told(outcome) == [("lead_reminder", (LEAD,))]
    assert outcome.decision.next_due_at == NOW + 10 * DAY


def test_a_dispute_left_unanswered_becomes_a_core_vote_on_it():
    disputed = decisions.dispute(published(), by="opt1", reason="It breaks optim.", now=NOW,
                                 groups=GROUPS).decision
    outcome = sweep(disputed, NOW + 7 * DAY)
    assert kinds(outcome) == [("dispute_escalated", "core")]
    assert (outcome.events[0].actor, outcome.events[0].reason) == (SYSTEM, "the group did not answer in time")
    assert (outcome.decision.state, outcome.decision.current.purpose) == (State.VOTING, Purpose.DISPUTE)
    assert outcome.decision.disputes[-1].escalated == "unanswered"


def test_a_published_module_decision_becomes_final_when_its_window_closes():
    decision = published()
    outcome = sweep(decision, NOW + 7 * DAY)
    assert kinds(outcome) == [("settled", "area:nn")]
    assert (outcome.decision.state, outcome.decision.next_due_at) == (State.FINAL, None)
    assert refused(decisions.dispute, outcome.decision, by="opt1", reason="x", now=NOW + 8 * DAY, groups=GROUPS) == (
        "#12 is final and can no longer be disputed: its window (1w from publication) closed.")


def test_a_core_vote_reminds_and_closes_like_any_other():
    decision = opened(Kind.CORE, by="core1", area=None)
    outcome = due(decision, now=NOW + 5 * DAY, groups=GROUPS)
    assert [kind for kind, _ in kinds(outcome)] == ["reminder_skipped", "reminder_skipped", "closed", "escalated"]
    assert outcome.decision.state is State.LEAD


def test_reminder_points_come_in_time_order_however_the_policy_lists_them():
    policy = replace(POLICY, vote=replace(POLICY.vote, reminders=(0.9, 0.5)))
    first = sweep(opened(policy=policy), NOW + 3.5 * DAY)
    assert [event.data["fraction"] for event in first.events] == [0.5]
    assert first.decision.next_due_at == NOW + 6.3 * DAY
