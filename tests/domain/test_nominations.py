"""Nominations and removals: every transition and every refusal of bot.domain.nominations."""

from dataclasses import replace

import pytest

from bot.domain import nominations
from bot.domain.decision_clocks import due as decision_due
from bot.domain.decision_policy import Rule
from bot.domain.decision_record import Groups, Kind
from bot.domain.decision_record import State as DecisionState
from bot.domain.hierarchy import ChangeKind, HierarchyChange
from bot.domain.nomination_record import CORE as CORE_TARGET
from bot.domain.nomination_record import Action, State
from bot.domain.tally import Choice
from bot.domain.ticket import SYSTEM
from tests.domain.nomination_helpers import (
    CORE,
    DAY,
    GROUPS,
    LEAD,
    NOW,
    POLICY,
    asked,
    called,
    kinds,
    nominated,
    published,
    refused,
    reviewed,
    voting,
)

# -- nominating -----------------------------------------------------------------------------------


def test_anyone_nominates_for_a_module_and_the_nominee_is_told():
    change = nominations.nominate(action=Action.ADD, person="kshitij", target="nn", by="U0FAN",
                                  reason="  Reviews most nn PRs ", groups=GROUPS, now=NOW)
    nomination = change.nomination
    assert nomination.state is State.NOMINATED and nomination.level == "area:nn"
    assert nomination.nominators[0].by == "U0FAN" and nomination.nominators[0].reason == "Reviews most nn PRs"
    assert nomination.open_key == "add:nn:kshitij" and nomination.next_due_at is None
    assert [(e.kind, e.actor, e.reason) for e in change.events] == [("nominated", "U0FAN", "Reviews most nn PRs")]
    assert [(n.kind, n.to) for n in change.notices] == [("nominated", ("kshitij",))]


def test_a_self_nomination_for_removal_tells_nobody():
    change = nominations.nominate(action=Action.REMOVE, person="nn2", target="nn", by="nn2", reason=None,
                                  groups=GROUPS, now=NOW)
    assert change.nomination.action is Action.REMOVE and change.notices == []
    assert not change.nomination.emeritus  # a removal, not a move to emeritus


@pytest.mark.parametrize("by", ["nn1", "jit1", "core2", LEAD])
def test_core_and_module_maintainers_nominate_for_the_core(by):
    assert nominated(person="nn1", target=CORE_TARGET, by=by).state is State.NOMINATED


def test_nobody_else_nominates_for_the_core():
    assert "Only core and module maintainers" in refused(
        nominations.nominate, action=Action.ADD, person="nn1", target=CORE_TARGET, by="U0FAN", reason=None,
        groups=GROUPS, now=NOW)


@pytest.mark.parametrize(("person", "target", "says"), [
    ("nn1", "nn", "@nn1 is already a maintainer of nn."),
    ("core2", CORE_TARGET, "@core2 is already a core maintainer."),
    (LEAD, CORE_TARGET, "@boss is already a core maintainer."),  # the lead is amongst the core
])
def test_nominating_someone_who_holds_the_seat_is_refused(person, target, says):
    assert refused(nominations.nominate, action=Action.ADD, person=person, target=target, by="core1", reason=None,
                   groups=GROUPS, now=NOW) == says


def test_an_emeritus_maintainer_holds_no_seat_so_may_be_nominated_again_but_not_removed():
    assert nominated(person="old_nn").state is State.NOMINATED  # emeritus: not among the active maintainers
    says = refused(nominations.nominate, action=Action.REMOVE, person="old_nn", target="nn", by="U0FAN",
                   reason=None, groups=GROUPS, now=NOW)
    assert says.startswith("@old_nn is not a maintainer of nn (emeritus maintainers hold no seat)")
    assert "@jit1 is not a core maintainer" in refused(
        nominations.nominate, action=Action.REMOVE, person="jit1", target=CORE_TARGET, by="nn1", reason=None,
        groups=GROUPS, now=NOW)


def test_an_unknown_area_is_refused():
    assert refused(nominations.nominate, action=Action.ADD, person="kshitij", target="torch.nn", by="U0FAN",
                   reason=None, groups=GROUPS, now=NOW) == "There is no area 'torch.nn' to nominate for."


def test_removing_the_lead_is_marked_as_such():
    assert nominated(Action.REMOVE, LEAD, CORE_TARGET, by="core1").of_lead
    assert not nominated(Action.REMOVE, "core2", CORE_TARGET, by="core1").of_lead


# -- joining --------------------------------------------------------------------------------------


def test_a_second_nominator_joins_with_their_reason():
    first = nominated()
    change = nominations.join(first, by="nn1", reason="Great design docs", groups=GROUPS, now=NOW + DAY)
    assert [(n.by, n.reason) for n in change.nomination.nominators] == [
        ("U0FAN", "Reviews most nn PRs"), ("nn1", "Great design docs")]
    assert [e.kind for e in change.events] == ["joined"] and change.notices == []


def test_joining_twice_or_a_closed_nomination_is_refused():
    first = nominated()
    assert refused(nominations.join, first, by="U0FAN", reason="again", groups=GROUPS, now=NOW) == (
        "You have already nominated @kshitij in #41.")
    rejected = nominations.desk_reject(reviewed(first), by="core1", reason="spam", groups=GROUPS, now=NOW).nomination
    assert refused(nominations.join, rejected, by="nn1", reason=None, groups=GROUPS, now=NOW) == (
        "#41 is closed: it was desk-rejected.")
    core = nominated(person="nn1", target=CORE_TARGET, by="core1")
    assert "Only core and module maintainers" in refused(nominations.join, core, by="U0FAN", reason=None,
                                                         groups=GROUPS, now=NOW)


# -- desk-rejecting -------------------------------------------------------------------------------


@pytest.mark.parametrize("stage", ["nominated", "in_review", "asked"])
def test_a_core_maintainer_desk_rejects_with_a_published_reason(stage):
    nomination = nominated()
    nomination = {"nominated": nomination, "in_review": reviewed(nomination),
                  "asked": asked(reviewed(nomination))}[stage]
    change = nominations.desk_reject(nomination, by="core1", reason="Not enough nn work yet", groups=GROUPS,
                                     now=NOW + 2 * DAY)
    closed = change.nomination
    assert closed.state is State.DESK_REJECTED and closed.open_key is None and closed.next_due_at is None
    assert (closed.closed_by, closed.reason) == ("core1", "Not enough nn work yet")
    assert [(n.kind, n.to) for n in change.notices] == [("published", ()), ("outcome", ("kshitij", "U0FAN"))]
    assert change.notices[0].data["reason"] == "Not enough nn work yet"


def test_desk_rejection_refusals():
    nomination = reviewed(nominated())
    assert refused(nominations.desk_reject, nomination, by="nn1", reason="no", groups=GROUPS, now=NOW) == (
        "Only a core maintainer or the lead (@boss) can desk-reject #41.")
    assert refused(nominations.desk_reject, nomination, by="core1", reason="  ", groups=GROUPS, now=NOW) == (
        "Say why #41 is desk-rejected: the reason is published.")
    mine = reviewed(nominated(Action.REMOVE, "core2", CORE_TARGET, by="nn1"))
    assert refused(nominations.desk_reject, mine, by="core2", reason="no", groups=GROUPS, now=NOW) == (
        "You cannot desk-reject #41: it is about you.")
    in_vote, _ = voting(nomination)
    assert refused(nominations.desk_reject, in_vote, by="core1", reason="no", groups=GROUPS, now=NOW) == (
        "#41 can no longer be desk-rejected: #50 is voting on it.")


# -- asking the maintainers -----------------------------------------------------------------------


def test_the_module_maintainers_are_asked_with_reminders_over_the_window():
    change = nominations.ask_maintainers(reviewed(nominated(Action.REMOVE, "nn2")), by="core1", groups=GROUPS,
                                         window=5 * DAY, reminders=(0.9, 0.5), now=NOW + DAY)
    ask = change.nomination.ask
    assert change.nomination.state is State.ASKED
    assert ask.people == ("nn1", "nn3")  # the nominee is not asked about themselves
    assert ask.due_at == NOW + 6 * DAY and ask.reminders == (0.5, 0.9)
    assert change.nomination.next_due_at == NOW + DAY + 2.5 * DAY
    assert [(n.kind, n.to) for n in change.notices] == [("ask", ("nn1", "nn3"))]


def test_for_the_core_the_core_maintainers_write_letters_of_support():
    nomination = asked(reviewed(nominated(person="nn1", target=CORE_TARGET, by="core1")))
    assert nomination.ask.people == CORE  # not the lead, who decides


def test_asking_refusals():
    waiting = nominated()
    assert refused(nominations.ask_maintainers, waiting, by="core1", groups=GROUPS, window=DAY, reminders=(),
                   now=NOW).startswith("#41 cannot be asked about now: it waits for the next review")
    already = asked(reviewed(waiting))
    assert "its maintainers are being asked" in refused(
        nominations.ask_maintainers, already, by="core1", groups=GROUPS, window=DAY, reminders=(), now=NOW)
    nobody = reviewed(nominated(target="docs"))
    assert refused(nominations.ask_maintainers, nobody, by="core1", groups=GROUPS, window=DAY, reminders=(),
                   now=NOW) == "There is nobody to ask about #41: call the vote instead."
    assert "Only a core maintainer" in refused(nominations.ask_maintainers, reviewed(waiting), by="nn1",
                                               groups=GROUPS, window=DAY, reminders=(), now=NOW)


# -- answering ------------------------------------------------------------------------------------


def answer(nomination, by, support=True, at=NOW + 2 * DAY, **texts):
    fields = {"depth": "Rewrote nn.init", "breadth": "nn, optim", "testimonials": "Kind in review"} | texts
    return nominations.answer(nomination, by=by, support=support, groups=GROUPS, now=at, **fields)


def test_an_answer_is_kept_and_a_second_replaces_the_first():
    nomination = asked(reviewed(nominated()))
    first = answer(nomination, "nn1", support=False).nomination
    second = answer(first, "nn1", support=True, depth="Owns nn.init").nomination
    assert [(a.by, a.support, a.depth) for a in second.ask.answers] == [("nn1", True, "Owns nn.init")]
    assert second.ask.unanswered == ("nn2", "nn3") and not second.ask.closed


def test_once_everyone_answered_those_who_decide_are_told_and_the_reminders_stop():
    nomination = asked(reviewed(nominated()))
    for voter in ("nn1", "nn2"):
        nomination = answer(nomination, voter).nomination
    change = answer(nomination, "nn3", testimonials=None)
    assert change.nomination.ask.closed and change.nomination.next_due_at is None
    assert [(n.kind, n.to, n.data) for n in change.notices] == [("answers_in", CORE, {"complete": True})]
    assert change.nomination.ask.answers[-1].testimonials == ""


def test_answer_refusals():
    nomination = asked(reviewed(nominated()))
    assert refused(answer, nomination, "jit1") == "Only those asked about #41 can answer: @nn1, @nn2, @nn3."
    assert refused(answer, nomination, "nn1", depth=" ") == (
        "Describe the depth of their code, review and design contributions.")
    assert refused(answer, reviewed(nominated()), "nn1").startswith("#41 is not asking for answers")


# -- the vote -------------------------------------------------------------------------------------


def test_a_module_nomination_is_voted_by_the_core_without_the_nominee():
    change, vote = called(asked(reviewed(nominated(Action.REMOVE, "core1", "jit", by="jit1")), by="core2"))
    assert change.nomination.state is State.VOTING and change.nomination.next_due_at is None
    decision = vote.decision
    assert (decision.kind, decision.area, decision.level) == (Kind.CORE, "jit", "core")
    assert decision.voters == ("core2", "core3")  # core1 is the nominee
    assert decision.proposal.startswith("Nomination #41: remove core1 from the jit maintainers.")
    linked = nominations.linked(change, 50)
    assert linked.nomination.decision == 50 and linked.events[-1].data == {"kind": "core", "decision": 50}


def test_a_core_nomination_is_put_to_the_lead():
    _, vote = called(reviewed(nominated(person="nn1", target=CORE_TARGET, by="core1")))
    assert vote.decision.kind is Kind.LEAD and vote.decision.state is DecisionState.LEAD
    assert [(n.kind, n.to) for n in vote.notices] == [("lead_asked", (LEAD,))]


def test_removing_the_lead_is_a_core_vote_of_a_share_of_all_the_core():
    groups = replace(GROUPS, core=(*CORE, LEAD))  # even when the lead is listed among the core
    nomination = reviewed(nominated(Action.REMOVE, LEAD, CORE_TARGET, by="core1", groups=groups))
    _, vote = nominations.call_vote(nomination, by="core1", groups=groups, policy=POLICY, lead_removal=0.75,
                                    proposal="remove the lead", now=NOW + 2 * DAY)
    current = vote.decision.current
    assert vote.decision.kind is Kind.CORE and current.voters == CORE  # the lead does not vote on it
    assert (current.policy.rule, current.policy.quorum) == (Rule.SHARE_OF_ALL, 0.75)
    assert POLICY.core.rule is Rule.MAJORITY  # only this vote's copy


def test_calling_the_vote_refusals():
    waiting = nominated()
    assert "it waits for the next review" in refused(called, waiting)
    in_vote, _ = voting(reviewed(waiting))
    assert refused(called, in_vote) == "The vote on #41 cannot be called now: #50 is voting on it."
    assert "Only a core maintainer" in refused(called, reviewed(waiting), by="nn1")
    alone = Groups(lead=LEAD, core=("core1",), areas={"nn": ("nn1",)})
    lonely = reviewed(nominated(Action.REMOVE, "core1", CORE_TARGET, by="nn1", groups=alone))
    assert refused(called, lonely, by="core1") == "You cannot call the vote on #41: it is about you."
    only_the_nominee = reviewed(nominated(Action.REMOVE, "core1", "nn", by="nn1", groups=replace(
        alone, areas={"nn": ("nn1", "core1")})))
    assert refused(nominations.call_vote, only_the_nominee, by=LEAD, groups=alone, policy=POLICY, lead_removal=0.75,
                   proposal="p", now=NOW) == "There is nobody in the core to vote on #41."


# -- the outcome ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("action", "person", "target", "emeritus", "kind", "area"), [
    (Action.ADD, "kshitij", "nn", False, ChangeKind.ADD_MAINTAINER, "nn"),
    (Action.REMOVE, "nn2", "nn", False, ChangeKind.REMOVE, "nn"),
    (Action.REMOVE, "nn2", "nn", True, ChangeKind.TO_EMERITUS, "nn"),
    (Action.ADD, "nn1", CORE_TARGET, False, ChangeKind.ADD_MAINTAINER, None),
    (Action.REMOVE, "core2", CORE_TARGET, False, ChangeKind.REMOVE, None),
])
def test_a_passed_decision_confirms_it_with_its_change_to_the_hierarchy(action, person, target, emeritus, kind,
                                                                        area):
    nomination = replace(reviewed(nominated(action, person, target, by="core1")), emeritus=emeritus)
    in_vote, decision = voting(nomination, by="core3")
    decision = published(decision, passed=True)
    change = nominations.decided(in_vote, decision, now=NOW + 3 * DAY, slack="U0NEW")
    confirmed = change.nomination
    assert confirmed.state is State.CONFIRMED and confirmed.open_key is None
    assert confirmed.change == HierarchyChange(kind, person, area, decided_in=50, decided_at=NOW + 3 * DAY,
                                               slack="U0NEW")
    by = LEAD if target == CORE_TARGET else "core1"
    assert (confirmed.reason, confirmed.closed_by) == ("Strong reviews", by)
    assert kinds(change) == ["published", "outcome"]
    assert change.notices[0].data["outcome"] == "confirmed" and change.notices[0].data["reason"] == "Strong reviews"
    assert set(change.notices[1].to) == {person, "core1"}


def test_a_rejected_decision_rejects_it_and_changes_nothing():
    in_vote, decision = voting(reviewed(nominated()))
    change = nominations.decided(in_vote, published(decision, passed=False), now=NOW + 3 * DAY)
    assert change.nomination.state is State.REJECTED and change.nomination.change is None
    assert change.notices[0].data["outcome"] == "rejected"


def test_removing_the_lead_counts_all_the_core_and_its_passing_leaves_the_seat_vacant():
    core = ("core1", "core2", "core3", "core4")
    groups = Groups(lead=LEAD, core=core, areas={})
    nomination = reviewed(nominated(Action.REMOVE, LEAD, CORE_TARGET, by="core1", groups=groups))

    def vote(*voters_for):
        change, vote = nominations.call_vote(nomination, by="core1", groups=groups, policy=POLICY, lead_removal=0.75,
                                             proposal="p", now=NOW)
        decision = replace(vote.decision, number=50)
        for voter in voters_for:
            decision = nominations.decision_rules.cast(decision, by=voter, choice=Choice.FOR, now=NOW,
                                                       groups=groups).decision
        return nominations.linked(change, 50).nomination, decision

    _, two_of_four = vote("core1", "core2")  # everyone who voted is For, but that is half the core
    closed = decision_due(two_of_four, now=NOW + 5 * DAY, groups=groups).decision
    assert closed.current.result.value == "rejected"
    in_vote, three_of_four = vote("core1", "core2", "core3")  # 75% of all four: closes at once
    assert three_of_four.state is DecisionState.DECIDED and three_of_four.current.early
    decision = nominations.decision_rules.write_rationale(three_of_four, by="core1", text="Lost the core's trust",
                                                          now=NOW, groups=groups).decision
    change = nominations.decided(in_vote, decision, now=NOW)
    assert change.nomination.state is State.CONFIRMED and change.nomination.change is None
    vacant = change.notices[-1]
    assert (vacant.kind, vacant.to, vacant.data) == ("lead_vacant", core, {"removed": LEAD, "next": "/elect lead"})


def test_only_the_decision_it_waits_on_decides_it():
    in_vote, decision = voting(reviewed(nominated()))
    other = replace(published(decision, passed=True), number=51)
    assert refused(nominations.decided, in_vote, other, now=NOW) == "#41 is not waiting on #51: #50 is voting on it."
    assert refused(nominations.decided, reviewed(nominated()), decision, now=NOW).startswith("#41 is not waiting")


def test_the_proposal_names_the_change_and_every_reason():
    nomination = nominations.join(nominated(), by="nn1", reason="Design docs", groups=GROUPS, now=NOW).nomination
    assert nominations.proposal(nomination, str.upper) == (
        "Nomination #41: add KSHITIJ to the nn maintainers.\nU0FAN: Reviews most nn PRs\nNN1: Design docs")
    suggested = replace(nominated(Action.REMOVE, "nn2", reason=None), emeritus=True,
                        nominators=(nominated().nominators[0].__class__(SYSTEM, "inactive since 2024-01-01", NOW),))
    assert nominations.proposal(suggested, str) == (
        "Nomination #41: move nn2 from the nn maintainers to emeritus.\nThe review: inactive since 2024-01-01")
    lead = nominated(Action.REMOVE, LEAD, CORE_TARGET, by="core1", reason=None)
    assert nominations.proposal(lead, str) == "Nomination #41: remove boss as the lead core maintainer."
