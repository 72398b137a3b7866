"""A decision's paths — called, voted, decided, published; up to the core and the lead; disputed and
vetoed — who may make each move, and the sentence they get when they may not."""

from dataclasses import replace

import pytest

from bot.domain import decisions
from bot.domain.decision_policy import Rule, VotePolicy
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

LATER = NOW + DAY


def cast(decision, by, choice, now=LATER):
    return decisions.cast(decision, by=by, choice=choice, now=now, groups=GROUPS)


def rationale(decision, by="nn1", text="Because.", now=LATER):
    return decisions.write_rationale(decision, by=by, text=text, now=now, groups=GROUPS)


def lead(decision, approve=True, text="My call.", by=LEAD, now=LATER):
    return decisions.lead_decides(decision, by=by, approve=approve, rationale=text, now=now, groups=GROUPS)


def dispute(decision, by="opt1", reason="It breaks optim.", now=LATER):
    return decisions.dispute(decision, by=by, reason=reason, now=now, groups=GROUPS)


def answer(decision, uphold=True, by="nn2", explanation="Optim can keep its copy.", now=LATER):
    return decisions.answer_dispute(decision, by=by, uphold=uphold, explanation=explanation, now=now, groups=GROUPS)


def veto(decision, by="core1", reason="It splits the API.", now=LATER):
    return decisions.ask_veto(decision, by=by, reason=reason, now=now, groups=GROUPS)


def at_the_lead():
    """A decision tied in nn (For, Against, Abstain) and again in the core: with the lead."""
    tied_in_nn = votes(opened(), ("nn1", F), ("nn2", A), ("nn3", B)).decision
    return votes(tied_in_nn, ("core1", F), ("core2", A), ("core3", B)).decision


# -- calling a vote -------------------------------------------------------------------------------


def test_a_module_vote_asks_every_maintainer_of_the_area():
    outcome = decisions.call_vote(kind=Kind.MODULE, area="nn", proposal="  Deprecate nn.Container ", by="nn1",
                                  groups=GROUPS, policy=POLICY, now=NOW)
    decision = outcome.decision
    assert (decision.state, decision.level, decision.voters, decision.proposal) == (
        State.VOTING, "area:nn", NN, "Deprecate nn.Container")
    assert decision.policy == POLICY and decision.current.policy == POLICY.vote  # copied on at opening
    assert decision.current.closes_at == NOW + 7 * DAY
    assert decision.next_due_at == NOW + 3.5 * DAY  # the first reminder
    assert kinds(outcome) == [("called", "area:nn")]
    assert told(outcome) == [("vote", NN)]


@pytest.mark.parametrize("caller", ["nn2", "core3", LEAD])
def test_the_area_maintainers_a_core_maintainer_or_the_lead_may_call_a_module_vote(caller):
    assert opened(by=caller).caller == caller


@pytest.mark.parametrize("caller", ["opt1", "U0STRANGER"])
def test_anyone_else_is_told_who_may_call_a_vote_and_that_escalate_is_theirs(caller):
    assert refused(decisions.call_vote, kind=Kind.MODULE, area="nn", proposal="x", by=caller, groups=GROUPS,
                   policy=POLICY, now=NOW) == (
        "Only the nn maintainers, a core maintainer or the lead (@boss) can call a vote on nn; `/escalate nn` "
        "is yours to raise it with them.")


@pytest.mark.parametrize(("area", "proposal", "sentence"), [
    ("nn", "  ", "Say what the vote is about: `/vote [area] <proposal>`."),
    (None, "x", "Name the area that votes: `/vote <area> <proposal>`."),
    ("vision", "x", "There is no area 'vision' to vote in."),
    ("retired", "x", "retired has no active maintainers to vote; a core maintainer can call a core vote instead."),
])
def test_a_vote_needs_a_proposal_and_an_area_with_voters(area, proposal, sentence):
    assert refused(decisions.call_vote, kind=Kind.MODULE, area=area, proposal=proposal, by="core1",
                   groups=GROUPS, policy=POLICY, now=NOW) == sentence


def test_a_core_vote_asks_the_core_and_only_the_core_or_the_lead_may_call_it():
    decision = opened(Kind.CORE, by="core2", area=None)
    assert (decision.state, decision.level, decision.voters) == (State.VOTING, "core", CORE)
    assert decision.current.closes_at == NOW + 5 * DAY
    assert refused(decisions.call_vote, kind=Kind.CORE, area=None, proposal="x", by="nn1", groups=GROUPS,
                   policy=POLICY, now=NOW) == (
        "Only a core maintainer or the lead (@boss) can call a core vote or put a question to the lead; "
        "`/escalate` is yours to raise it with them.")


def test_a_question_for_the_lead_goes_to_the_lead_alone():
    outcome = decisions.call_vote(kind=Kind.LEAD, area=None, proposal="Confirm core4", by="core1", groups=GROUPS,
                                  policy=POLICY, now=NOW)
    assert (outcome.decision.state, outcome.decision.level) == (State.LEAD, "lead")
    assert told(outcome) == [("lead_asked", (LEAD,))]
    final = lead(outcome.decision, approve=False, text="Not yet.")
    assert (final.decision.state, final.decision.outcome, final.decision.rationale) == (
        State.FINAL, Result.REJECTED, "Not yet.")


# -- voting ---------------------------------------------------------------------------------------


def test_someone_who_is_not_a_voter_is_told_who_may_vote_and_nothing_changes():
    decision = opened()
    for stranger in ("opt1", "core1", LEAD, "U0STRANGER"):
        assert refused(decisions.cast, decision, by=stranger, choice=F, now=LATER, groups=GROUPS) == (
            "Only @nn1, @nn2 and @nn3 can vote on #12; nothing was changed.")


def test_a_voter_may_change_their_vote_and_it_counts_once():
    outcome = votes(opened(), ("nn1", F), ("nn1", A), ("nn1", B))
    decision = outcome.decision
    assert [(ballot.voter, ballot.choice) for ballot in decision.ballots] == [("nn1", B)]
    assert decision.current.count().turnout == 1
    assert [event.data for event in outcome.events] == [
        {"choice": "for"}, {"choice": "against", "previous": "for"}, {"choice": "abstain", "previous": "against"}]


def test_pressing_the_same_choice_again_changes_nothing():
    decision = votes(opened(), ("nn1", F)).decision
    assert refused(decisions.cast, decision, by="nn1", choice=F, now=LATER, groups=GROUPS) == (
        "You already voted For on #12; press another button to change your vote.")


def test_the_vote_closes_as_soon_as_no_remaining_vote_can_change_it():
    first = cast(opened(), "nn1", F)
    assert first.decision.state is State.VOTING
    outcome = cast(first.decision, "nn2", F)  # nn3 alone cannot undo 2-0
    decision = outcome.decision
    assert kinds(outcome) == [("voted", "area:nn"), ("closed", "area:nn")]
    assert outcome.events[1].data == {"result": "passed", "for": 2, "against": 0, "abstain": 0,
                                      "quorum_met": True, "early": True}
    assert (decision.state, decision.outcome, decision.current.early) == (State.DECIDED, Result.PASSED, True)
    assert told(outcome) == [("decided", NN)]  # the group is asked for the rationale
    assert decision.rationale_due_at == LATER + 3 * DAY
    assert refused(decisions.cast, decision, by="nn3", choice=A, now=LATER, groups=GROUPS) == (
        "There is no vote open on #12: it is decided and waits for its rationale.")


def test_a_ballot_at_the_deadline_is_refused_even_before_the_sweeper_closes_the_vote():
    assert refused(decisions.cast, opened(), by="nn1", choice=F, now=NOW + 7 * DAY, groups=GROUPS) == (
        "The vote on #12 has reached its deadline; it is too late to vote on it.")


# -- no decision: the core, then the lead ---------------------------------------------------------


def test_a_tie_goes_to_a_core_vote_on_the_same_proposal():
    outcome = votes(opened(), ("nn1", F), ("nn2", A), ("nn3", B), now=LATER)
    decision = outcome.decision
    assert kinds(outcome)[-2:] == [("closed", "area:nn"), ("escalated", "core")]
    assert outcome.events[-1].reason == "no decision: a tie"
    assert (decision.state, decision.level, decision.voters, decision.current.purpose) == (
        State.VOTING, "core", CORE, Purpose.DECIDE)
    assert decision.current.policy == POLICY.core and decision.current.closes_at == LATER + 5 * DAY
    assert told(outcome)[-1] == ("vote", CORE)
    assert outcome.notices[-1].data["came_from"] == "area:nn"


def test_a_core_no_decision_goes_to_the_lead_who_decides_alone_and_finally():
    decision = at_the_lead()
    assert (decision.state, decision.level) == (State.LEAD, "lead")
    assert decisions.waiting_on(decision) == (LEAD,)
    assert refused(decisions.lead_decides, decision, by="core1", approve=True, rationale="x", now=LATER,
                   groups=GROUPS) == "Only the lead (@boss) decides #12 now."
    assert refused(decisions.lead_decides, decision, by=LEAD, approve=True, rationale=" ", now=LATER,
                   groups=GROUPS) == "Write the reasoning behind your decision: it is published with it."
    outcome = lead(decision, approve=True, text="Containers go.")
    final = outcome.decision
    assert kinds(outcome) == [("lead_decided", "lead"), ("published", "lead")]
    assert (final.state, final.outcome, final.rationale, final.next_due_at) == (
        State.FINAL, Result.PASSED, "Containers go.", None)
    assert told(outcome) == [("published", ())]  # on the public record, at once
    assert [(r.level, r.result) for r in final.rounds] == [
        ("area:nn", Result.NO_DECISION), ("core", Result.NO_DECISION), ("lead", Result.PASSED)]
    assert refused(dispute, final) == "#12 is final and can no longer be disputed: the lead decided it."


def test_a_core_vote_that_decides_is_final_once_its_rationale_is_written():
    tied = votes(opened(), ("nn1", F), ("nn2", A), ("nn3", B)).decision
    decision = votes(tied, ("core1", A), ("core2", A)).decision
    assert (decision.state, decision.level, decision.outcome) == (State.DECIDED, "core", Result.REJECTED)
    assert refused(decisions.write_rationale, decision, by="nn1", text="x", now=LATER, groups=GROUPS) == (
        "Only the core maintainers who decided #12, a core maintainer or the lead (@boss) can write its rationale.")
    final = rationale(decision, by="core2").decision
    assert final.state is State.FINAL and final.settles_at is None


# -- the rationale and publication ----------------------------------------------------------------


def test_the_rationale_publishes_the_outcome_open_to_dispute_and_veto_for_the_veto_window():
    decision = decided(("nn1", F), ("nn2", F))
    assert decisions.waiting_on(decision) == NN
    assert refused(decisions.write_rationale, decision, by="opt1", text="x", now=LATER, groups=GROUPS) == (
        "Only the nn maintainers who decided #12, a core maintainer or the lead (@boss) can write its rationale.")
    assert refused(decisions.write_rationale, decision, by="nn3", text="", now=LATER, groups=GROUPS) == (
        "Write the reasoning behind the outcome: it is published with it.")
    outcome = rationale(decision, by="nn3", text="Containers confuse users.")
    published_now = outcome.decision
    assert kinds(outcome) == [("rationale", "area:nn"), ("published", "area:nn")]
    assert told(outcome) == [("published", ())]
    assert outcome.notices[0].data == {"state": "published", "outcome": "passed"}
    assert (published_now.state, published_now.rationale, published_now.published_at) == (
        State.PUBLISHED, "Containers confuse users.", LATER)
    assert published_now.settles_at == published_now.next_due_at == LATER + 7 * DAY
    assert refused(decisions.write_rationale, published_now, by="nn1", text="x", now=LATER, groups=GROUPS) == (
        "#12 has no rationale to write now: it is published.")


def test_an_answer_written_to_an_earlier_round_or_dispute_is_refused():
    """A form opened on one round (or dispute) and sent after the decision moved on answers nothing."""
    first = decided(("nn1", F), ("nn2", F))
    assert rationale(first).decision.state is State.PUBLISHED  # no round named: as before
    assert decisions.write_rationale(first, by="nn1", text="x", now=LATER, groups=GROUPS,
                                     for_round=1).decision.state is State.PUBLISHED
    disputed = dispute(rationale(first).decision).decision
    assert refused(decisions.answer_dispute, disputed, by="nn2", uphold=True, explanation="x", now=LATER,
                   groups=GROUPS, for_dispute=0) == (
        "The dispute this answers was settled already; @opt1's dispute of #12 is open now: press Uphold again to "
        "answer it.")
    revoted = answer(disputed, uphold=False).decision
    again = votes(revoted, ("nn1", A), ("nn2", A), now=LATER).decision
    assert (again.state, again.outcome, len(again.rounds)) == (State.DECIDED, Result.REJECTED, 2)
    assert refused(decisions.write_rationale, again, by="nn1", text="x", now=LATER, groups=GROUPS, for_round=1) == (
        "#12 was voted on again since this was opened and is rejected now: press Write the rationale again to "
        "answer it as it stands.")
    assert decisions.write_rationale(again, by="nn1", text="x", now=LATER, groups=GROUPS,
                                     for_round=2).decision.state is State.PUBLISHED


def test_a_core_maintainer_may_write_a_module_rationale():
    assert rationale(decided(("nn1", A), ("nn2", A)), by="core1").decision.state is State.PUBLISHED


# -- disputes -------------------------------------------------------------------------------------


def test_a_maintainer_disputes_a_published_decision_and_the_group_that_decided_must_answer():
    outcome = dispute(published())
    decision = outcome.decision
    assert decision.state is State.DISPUTED
    assert kinds(outcome) == [("disputed", "area:nn")]
    assert told(outcome) == [("disputed", NN)]
    assert decision.disputes[-1].answer_due_at == decision.next_due_at == LATER + 7 * DAY
    assert decisions.waiting_on(decision) == NN


def test_who_may_dispute_and_when():
    assert refused(dispute, published(), by="U0STRANGER") == (
        "Only maintainers can dispute a decision; `/escalate` is yours to raise it with them.")
    assert refused(dispute, decided(("nn1", F), ("nn2", F))) == (
        "#12 cannot be disputed now: it is decided and waits for its rationale.")
    assert refused(dispute, opened()) == "#12 cannot be disputed now: the nn maintainers are voting on it."
    assert refused(dispute, published(), reason=" ") == "Say why you dispute #12: `/dispute #12 <reason>`."
    disputed = dispute(published()).decision
    assert refused(dispute, disputed, by="core1") == (
        "#12 is already disputed, by @opt1; the group that decided answers first, and the dispute goes to the "
        "core if they do not.")


def test_a_decision_past_its_window_cannot_be_disputed_even_before_the_sweeper_makes_it_final():
    assert refused(dispute, published(now=NOW), now=NOW + 7 * DAY) == (
        "#12 is final and can no longer be disputed: its window (1w from publication) closed.")


def test_the_group_upholds_with_an_explanation_that_is_published():
    disputed = dispute(published(now=NOW)).decision
    assert refused(answer, disputed, by="opt1") == (
        "Only the nn maintainers who decided #12 (@nn1, @nn2 and @nn3) can answer its dispute; the disputer can "
        "escalate it to the core.")
    assert refused(answer, disputed, explanation="") == (
        "Explain why the outcome stands: the dispute, the arguments and the resolution are published.")
    outcome = answer(disputed, now=NOW + 6 * DAY)
    decision = outcome.decision
    assert kinds(outcome) == [("dispute_upheld", "area:nn")]
    assert told(outcome) == [("dispute_answered", ("opt1",)), ("published", ())]
    assert (decision.state, decision.outcome) == (State.PUBLISHED, Result.PASSED)
    assert decision.disputes[-1].resolution == "upheld"
    assert decision.settles_at == NOW + 13 * DAY  # the disputer keeps a vote's duration to escalate
    assert refused(dispute, decision, now=NOW + 6 * DAY) == (
        "You have disputed this outcome of #12 already; press Escalate to core on your dispute to take it further.")


def test_the_disputer_may_escalate_to_the_core_unanswered_or_after_an_uphold():
    disputed = dispute(published()).decision
    assert refused(decisions.escalate_dispute_to_core, disputed, by="nn1", now=LATER, groups=GROUPS) == (
        "Only @opt1, who disputed #12, can escalate the dispute to the core.")
    for before in (disputed, answer(disputed).decision):
        outcome = decisions.escalate_dispute_to_core(before, by="opt1", now=LATER, groups=GROUPS)
        decision = outcome.decision
        assert kinds(outcome) == [("dispute_escalated", "core")]
        assert (decision.state, decision.level, decision.current.purpose, decision.voters) == (
            State.VOTING, "core", Purpose.DISPUTE, CORE)
        assert told(outcome) == [("vote", CORE)]
        assert refused(decisions.escalate_dispute_to_core, decision, by="opt1", now=LATER, groups=GROUPS) == (
            "#12 has no dispute to escalate: the core maintainers are voting on it.")


def test_the_core_overturns_a_disputed_outcome_and_its_rationale_makes_it_final():
    escalated = decisions.escalate_dispute_to_core(dispute(published()).decision, by="opt1", now=LATER,
                                                   groups=GROUPS).decision
    decision = votes(escalated, ("core1", A), ("core2", A), now=LATER).decision
    assert (decision.state, decision.level, decision.outcome) == (State.DECIDED, "core", Result.REJECTED)
    assert (decision.disputes[-1].resolution, decision.disputes[-1].resolved_by) == ("overturned", "core")
    final = rationale(decision, by="core1", text="Optim depends on it.").decision
    assert (final.state, final.rationale) == (State.FINAL, "Optim depends on it.")


def test_a_dispute_the_core_cannot_settle_goes_to_the_lead():
    escalated = decisions.escalate_dispute_to_core(dispute(published()).decision, by="opt1", now=LATER,
                                                   groups=GROUPS).decision
    tied = votes(escalated, ("core1", F), ("core2", A), ("core3", B), now=LATER).decision
    assert (tied.state, tied.current.purpose) == (State.LEAD, Purpose.DISPUTE)
    final = lead(tied, approve=True, text="It stands.").decision  # approve = uphold
    assert (final.state, final.outcome, final.disputes[-1].resolution) == (State.FINAL, Result.PASSED, "upheld")


def test_a_revote_is_a_fresh_vote_of_the_group():
    outcome = answer(dispute(published()).decision, uphold=False, explanation=None)
    decision = outcome.decision
    assert kinds(outcome) == [("revote", "area:nn")]
    assert told(outcome) == [("dispute_answered", ("opt1",)), ("vote", NN)]
    assert (decision.state, decision.level, decision.outcome, decision.ballots) == (
        State.VOTING, "area:nn", None, ())
    assert len(decision.rounds) == 2 and decision.disputes[-1].resolution == "revote"
    again = votes(decision, ("nn1", A), ("nn3", A)).decision
    assert (again.state, again.outcome) == (State.DECIDED, Result.REJECTED)


# -- vetoes ---------------------------------------------------------------------------------------


def test_a_core_maintainer_asks_the_core_to_veto_a_published_decision():
    outcome = veto(published())
    decision = outcome.decision
    assert kinds(outcome) == [("veto_asked", "area:nn")]
    assert (decision.state, decision.level, decision.current.purpose) == (State.VOTING, "core", Purpose.VETO)
    assert told(outcome) == [("vote", CORE)]


def test_who_may_ask_for_a_veto_and_when():
    assert refused(veto, published(), by="nn1") == (
        "Only a core maintainer or the lead (@boss) can ask the core to veto a decision.")
    assert refused(veto, decided(("nn1", F), ("nn2", F))) == (
        "#12 cannot be vetoed now: it is decided and waits for its rationale.")
    assert refused(veto, published(now=NOW), now=NOW + 7 * DAY) == (
        "#12 is final and can no longer be vetoed: its window (1w from publication) closed.")
    upheld = answer(dispute(published(now=NOW), now=NOW + 6 * DAY).decision, now=NOW + 6 * DAY).decision
    assert upheld.settles_at == NOW + 13 * DAY  # the disputer may still escalate, but the veto window is the same
    assert refused(veto, upheld, now=NOW + 8 * DAY) == (
        "The veto window of #12 has closed: the core may veto a module decision within 1w of its publication.")
    assert refused(veto, dispute(published()).decision).startswith("#12 is already disputed, by @opt1")
    assert refused(veto, published(), reason="") == "Say why #12 should be vetoed: `/veto #12 <reason>`."


def test_a_veto_that_passes_is_published_as_vetoed_with_its_reason():
    outcome = votes(veto(published()).decision, ("core1", F), ("core2", F), now=LATER)
    decision = outcome.decision
    assert (decision.state, decision.rationale, decision.vetoes[-1].resolution) == (
        State.VETOED, "It splits the API.", "vetoed")
    assert kinds(outcome)[-1] == ("published", "core")
    assert told(outcome)[-1] == ("published", ())
    assert decision.next_due_at is None


def test_a_veto_the_core_declines_leaves_the_decision_published_and_cannot_be_asked_again():
    before = published()
    decision = votes(veto(before).decision, ("core1", A), ("core2", A), now=LATER).decision
    assert (decision.state, decision.level, decision.settles_at) == (State.PUBLISHED, "area:nn", before.settles_at)
    assert decision.vetoes[-1].resolution == "declined"
    assert refused(veto, decision, by="core3") == "The core has already voted on a veto of this outcome of #12."


def test_a_veto_the_lead_declines_makes_the_decision_final():
    tied = votes(veto(published()).decision, ("core1", F), ("core2", A), ("core3", B), now=LATER).decision
    final = lead(tied, approve=False, text="Let nn decide.").decision
    assert (final.state, final.outcome, final.vetoes[-1].resolution) == (State.FINAL, Result.PASSED, "declined")


# -- recusal --------------------------------------------------------------------------------------


def test_a_core_maintainer_may_recuse_from_a_core_vote():
    core_vote = opened(Kind.CORE, by="core1", area=None)
    outcome = decisions.recuse(core_vote, by="core3", now=LATER, groups=GROUPS)
    assert kinds(outcome) == [("recused", "core")]
    assert outcome.decision.voters == ("core1", "core2")
    assert refused(decisions.cast, outcome.decision, by="core3", choice=F, now=LATER, groups=GROUPS) == (
        "You recused yourself from the vote on #12.")
    assert refused(decisions.recuse, opened(), by="nn1", now=LATER, groups=GROUPS) == (
        "Only a core vote offers recusal; #12 is a vote of the nn maintainers.")


def test_a_core_vote_with_nobody_left_goes_to_the_lead():
    decision = opened(Kind.CORE, by="core1", area=None)
    for member in CORE:
        decision = decisions.recuse(decision, by=member, now=LATER, groups=GROUPS).decision
    assert (decision.state, decision.level) == (State.LEAD, "lead")


def test_a_core_without_members_sends_a_no_decision_straight_on_to_the_lead():
    groups = replace(GROUPS, core=())
    tied = decisions.call_vote(kind=Kind.MODULE, area="nn", proposal="x", by="nn1", groups=groups, policy=POLICY,
                               now=NOW).decision
    outcome = votes(tied, ("nn1", F), ("nn2", A), ("nn3", B), groups=groups)
    assert outcome.decision.state is State.LEAD
    assert kinds(outcome)[-4:] == [("closed", "area:nn"), ("escalated", "core"), ("closed", "core"),
                                   ("escalated", "lead")]
    assert outcome.events[-1].reason == "no decision: nobody to vote"


# -- under other rules ----------------------------------------------------------------------------


def test_lazy_consensus_passes_at_once_when_everyone_has_spoken_without_objection():
    policy = replace(POLICY, vote=replace(POLICY.vote, rule=Rule.LAZY_CONSENSUS))
    decision = votes(opened(policy=policy), ("nn1", F), ("nn2", B)).decision
    assert decision.state is State.VOTING  # nn3 could still object and tie it
    assert votes(decision, ("nn3", B)).decision.outcome is Result.PASSED


def test_a_unanimous_vote_is_rejected_as_soon_as_the_quorum_has_an_objection():
    policy = replace(POLICY, vote=VotePolicy(rule=Rule.UNANIMOUS, quorum=0.5))
    decision = votes(opened(policy=policy), ("nn1", A), ("nn2", F)).decision
    assert (decision.state, decision.outcome) == (State.DECIDED, Result.REJECTED)


def test_events_of_the_clock_are_by_upline():
    outcome = votes(opened(), ("nn1", F), ("nn2", F))
    assert outcome.events[-1].actor == SYSTEM
