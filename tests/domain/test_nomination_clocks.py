"""The review (the slate and the suggested moves to emeritus) and the reminders of a request for information."""

from dataclasses import replace

from bot.domain import nominations
from bot.domain.nomination_clocks import due, first_schedule, next_due_at, review_due, start_review
from bot.domain.nomination_record import CORE as CORE_TARGET
from bot.domain.nomination_record import Action, State
from bot.domain.ticket import SYSTEM
from tests.domain.nomination_helpers import CORE, DAY, GROUPS, LEAD, NOW, asked, nominated, refused, reviewed, voting

QUARTER = 13 * 7 * DAY
LIMITS = {"nn": 26 * 7 * DAY, "jit": 4 * 7 * DAY, "docs": 26 * 7 * DAY, CORE_TARGET: 52 * 7 * DAY}


def review(open_nominations=(), last_active=None, by="core1", now=NOW + 10 * DAY):
    return start_review(list(open_nominations), by=by, groups=GROUPS, last_active=last_active or {},
                        inactive_after=LIMITS, every=QUARTER, now=now)


# -- the review -----------------------------------------------------------------------------------


def test_the_first_review_comes_a_period_after_the_first_sweep_and_is_due_however_late():
    schedule = first_schedule(NOW, QUARTER)
    assert schedule.next_due_at == NOW + QUARTER and schedule.last_started_at is None
    assert not review_due(schedule, NOW + QUARTER - DAY)
    assert review_due(schedule, NOW + QUARTER) and review_due(schedule, NOW + 3 * QUARTER)


def test_the_review_puts_every_waiting_nomination_on_the_slate_and_the_next_comes_a_period_after():
    waiting = nominated()
    on_slate = replace(reviewed(nominated(person="other", number=42)), state=State.ASKED)
    outcome = review([waiting, on_slate], now=NOW + 10 * DAY)
    assert [change.nomination.number for change in outcome.slate] == [41]  # what was already on it stays as it is
    moved = outcome.slate[0]
    assert (moved.nomination.state, moved.nomination.reviewed_at) == (State.IN_REVIEW, NOW + 10 * DAY)
    assert [(e.kind, e.actor) for e in moved.events] == [("in_review", "core1")]
    assert outcome.schedule == replace(first_schedule(NOW + 10 * DAY, QUARTER), last_started_at=NOW + 10 * DAY,
                                       last_started_by="core1")
    notice = outcome.notices[0]
    assert (notice.kind, notice.to) == ("review", (*CORE, LEAD))
    assert notice.data == {"by": "core1", "on_slate": 1, "suggested": 0,
                           "next_due_at": (NOW + 10 * DAY + QUARTER).isoformat()}


def test_inactive_maintainers_are_suggested_for_emeritus_past_their_areas_period():
    now = NOW + 400 * DAY
    seen = {"nn1": now - 27 * 7 * DAY,  # past nn's 26 weeks
            "nn2": now - 20 * 7 * DAY,  # within them
            "jit1": now - 5 * 7 * DAY,  # past jit's own 4 weeks
            "core2": now - 53 * 7 * DAY,  # past the core's year
            LEAD: now - 999 * DAY}  # the lead is not moved to emeritus: removing the lead is its own process
    # nn3 and core3 have no recorded activity: no evidence, no suggestion
    outcome = review(last_active=seen, now=now)
    suggested = [change.nomination for change in outcome.slate]
    assert [(n.person, n.target) for n in suggested] == [("nn1", "nn"), ("jit1", "jit"), ("core2", CORE_TARGET)]
    first = outcome.slate[0]
    assert first.nomination.action is Action.REMOVE and first.nomination.emeritus
    assert first.nomination.state is State.IN_REVIEW and first.nomination.number is None
    assert first.nomination.nominators[0].by == SYSTEM
    assert first.nomination.nominators[0].reason == f"inactive since {seen['nn1'].date().isoformat()}"
    assert [e.kind for e in first.events] == ["nominated", "in_review"]
    assert [(n.kind, n.to) for n in first.notices] == [("nominated", ("nn1",))]
    assert outcome.notices[0].data["suggested"] == 3


def test_someone_already_nominated_for_removal_is_not_suggested_again():
    removal = nominated(Action.REMOVE, "nn1")
    outcome = review([removal], last_active={"nn1": NOW - 400 * DAY}, now=NOW + DAY)
    assert [(c.nomination.number, c.nomination.emeritus) for c in outcome.slate] == [(41, False)]


def test_only_the_core_or_the_sweeper_holds_a_review():
    assert refused(review, by="nn1") == "Only a core maintainer or the lead (@boss) can bring the nominations " \
                                        "review forward."
    assert review(by=SYSTEM).schedule.last_started_by == SYSTEM
    assert review(by=LEAD).schedule.last_started_by == LEAD


# -- the request for information ------------------------------------------------------------------


def test_those_yet_to_answer_are_reminded_then_the_deciders_told_at_the_end_of_the_window():
    nomination = asked(reviewed(nominated()), at=NOW)  # 5d window, reminders at 2.5d and 4.5d
    nomination = nominations.answer(nomination, by="nn1", depth="d", breadth="b", testimonials=None, support=True,
                                    groups=GROUPS, now=NOW + DAY).nomination
    assert due(nomination, now=NOW + 2 * DAY, groups=GROUPS).events == []  # nothing due yet
    first = due(nomination, now=NOW + 2.5 * DAY, groups=GROUPS)
    assert [(n.kind, n.to) for n in first.notices] == [("answer_reminder", ("nn2", "nn3"))]
    assert first.nomination.next_due_at == NOW + 4.5 * DAY
    second = due(first.nomination, now=NOW + 4.5 * DAY, groups=GROUPS)
    assert second.nomination.next_due_at == NOW + 5 * DAY
    closed = due(second.nomination, now=NOW + 5 * DAY, groups=GROUPS)
    assert [(n.kind, n.to, n.data) for n in closed.notices] == [
        ("answers_in", CORE, {"complete": False, "unanswered": ["nn2", "nn3"]})]
    assert closed.nomination.ask.closed and closed.nomination.next_due_at is None
    assert due(closed.nomination, now=NOW + 9 * DAY, groups=GROUPS).events == []  # fires once


def test_after_downtime_missed_reminders_are_skipped_not_sent_late():
    nomination = asked(reviewed(nominated()), at=NOW)
    late = due(nomination, now=NOW + 4.6 * DAY, groups=GROUPS)
    assert [e.kind for e in late.events] == ["reminder_skipped", "reminded"]
    assert late.events[-1].data["late"] is True and len(late.notices) == 1
    gone = due(nomination, now=NOW + 30 * DAY, groups=GROUPS)
    assert [e.kind for e in gone.events] == ["reminder_skipped", "reminder_skipped", "ask_closed"]
    assert [n.kind for n in gone.notices] == ["answers_in"]


def test_the_lead_hears_when_the_letters_for_a_core_nomination_are_in():
    nomination = asked(reviewed(nominated(person="nn1", target=CORE_TARGET, by="core1")), at=NOW)
    assert due(nomination, now=NOW + 5 * DAY, groups=GROUPS).notices[0].to == (LEAD,)


def test_a_nomination_under_vote_has_no_deadline_of_its_own():
    in_vote, _ = voting(asked(reviewed(nominated())))
    assert next_due_at(in_vote) is None and in_vote.next_due_at is None
    assert due(in_vote, now=NOW + 30 * DAY, groups=GROUPS).events == []
