"""The nominations' deadlines: the quarterly review, and the reminders of a request for information.

What people see, with `governance.review_every: 13w` and a core vote `duration: 5d`, reminders [0.5, 0.9]:
- every 13 weeks (or at once, on `/nominate review`), the core gets the slate: every nomination that
  waited for the review, and a suggested move to emeritus for each active maintainer inactive for
  longer than their area's `inactive_after` ("inactive since 2025-01-06"), the person told;
- once the core asks a module's maintainers about a nominee, those yet to answer are reminded after
  2.5d and 4.5d; at 5d (or as soon as all have answered) whoever decides is told the answers are in.
`due` may run after downtime: a missed reminder is recorded as skipped when a later one (or the
end of the window) is due, and each deadline fires once. The review is due once `next_due_at` has
passed, however long ago: one review, the next `review_every` after it was held.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import datetime, timedelta

from bot.domain.decision_clocks import timing
from bot.domain.decision_record import Groups
from bot.domain.errors import Refusal
from bot.domain.nomination_record import (
    CORE,
    Action,
    Nomination,
    NominationOutcome,
    Nominator,
    ReviewOutcome,
    ReviewSchedule,
    State,
)
from bot.domain.ticket import SYSTEM, Event, Notice


def voters_of(nomination: Nomination, groups: Groups) -> tuple[str, ...]:
    """Who decides it: the core without the nominee; the lead alone for the core's own membership."""
    if nomination.target == CORE and not nomination.of_lead:
        return (groups.lead,)
    return tuple(person for person in groups.of_core() if person != nomination.person)


# -- the request for information ----------------------------------------------------------------


def due(nomination: Nomination, *, now: datetime, groups: Groups) -> NominationOutcome:
    """Apply what fell due up to `now`: the latest reminder (earlier ones skipped), or the window's end."""
    change = NominationOutcome(nomination)
    ask = nomination.ask
    if nomination.state is not State.ASKED or ask is None or ask.closed:
        return done(change)
    moments = _reminders_left(nomination)
    passed = [moment for moment in moments if moment <= now]
    closing = ask.due_at <= now
    for moment in passed if closing else passed[:-1]:
        why = "the window had already closed" if closing else "a later reminder was due"
        change.events.append(Event("reminder_skipped", SYSTEM, now, nomination.level, why, timing(moment, now)))
    if closing:
        change.nomination = replace(nomination, ask=replace(ask, closed=True, reminders_sent=len(ask.reminders)))
        change.events.append(Event("ask_closed", SYSTEM, now, nomination.level,
                                   data={"unanswered": list(ask.unanswered)} | timing(ask.due_at, now)))
        change.notices.append(Notice("answers_in", voters_of(nomination, groups), nomination.level,
                                     {"complete": False, "unanswered": list(ask.unanswered)}))
    elif passed:
        change.nomination = replace(nomination, ask=replace(ask, reminders_sent=ask.reminders_sent + len(passed)))
        change.events.append(Event("reminded", SYSTEM, now, nomination.level, data=timing(passed[-1], now)))
        if ask.unanswered:
            change.notices.append(Notice("answer_reminder", ask.unanswered, nomination.level,
                                         {"due_at": ask.due_at.isoformat()}))
    return done(change)


def next_due_at(nomination: Nomination) -> datetime | None:
    """The earliest moment `due` has something to do (None: nothing is pending)."""
    ask = nomination.ask
    if nomination.state is not State.ASKED or ask is None or ask.closed:
        return None
    return min((*_reminders_left(nomination)[:1], ask.due_at))


def done(change: NominationOutcome) -> NominationOutcome:
    change.nomination = replace(change.nomination, next_due_at=next_due_at(change.nomination))
    return change


def _reminders_left(nomination: Nomination) -> list[datetime]:
    ask = nomination.ask
    window = ask.due_at - ask.at
    moments = [ask.at + window * fraction for fraction in ask.reminders[ask.reminders_sent:]]
    return [moment for moment in moments if moment < ask.due_at]


# -- the review ---------------------------------------------------------------------------------


def first_schedule(now: datetime, every: timedelta) -> ReviewSchedule:
    """A deployment's first review comes `every` after nominations are first swept, not at once."""
    return ReviewSchedule(now + every)


def review_due(schedule: ReviewSchedule, now: datetime) -> bool:
    return schedule.next_due_at <= now


def start_review(open_nominations: list[Nomination], *, by: str, groups: Groups,
                 last_active: Mapping[str, datetime], inactive_after: Mapping[str, timedelta], every: timedelta,
                 now: datetime) -> ReviewOutcome:
    """The review: every waiting nomination goes on the slate, with a suggested move to emeritus for
    each active maintainer last active before their area's `inactive_after` (`CORE` for the core's);
    someone without any recorded activity is not suggested. The next review is `every` after now."""
    if by != SYSTEM and not groups.is_core(by):
        raise Refusal("Only a core maintainer or the lead ({lead}) can bring the nominations review forward.",
                      people={"lead": groups.lead})
    review = ReviewOutcome(ReviewSchedule(now + every, now, by))
    for nomination in open_nominations:
        if nomination.state is State.NOMINATED:
            change = NominationOutcome(replace(nomination, state=State.IN_REVIEW, reviewed_at=now))
            change.events.append(Event("in_review", by, now, nomination.level))
            review.slate.append(done(change))
    removing = {(n.person, n.target) for n in open_nominations if n.action is Action.REMOVE}
    seats = [*((area, people) for area, people in groups.areas.items()),
             (CORE, tuple(person for person in groups.of_core() if person != groups.lead))]
    for target, people in seats:
        limit = inactive_after.get(target)
        for person in dict.fromkeys(people):
            seen = last_active.get(person)
            if limit is None or seen is None or seen > now - limit or (person, target) in removing:
                continue
            review.slate.append(_suggested(person, target, seen, by, now))
    suggested = sum(1 for change in review.slate if change.nomination.number is None)
    review.notices.append(Notice("review", tuple(dict.fromkeys((*groups.of_core(), groups.lead))), CORE, {
        "by": by, "on_slate": len(review.slate) - suggested, "suggested": suggested,
        "next_due_at": review.schedule.next_due_at.isoformat()}))
    return review


def _suggested(person: str, target: str, seen: datetime, by: str, now: datetime) -> NominationOutcome:
    reason = f"inactive since {seen.date().isoformat()}"
    nomination = Nomination(Action.REMOVE, person, target, (Nominator(SYSTEM, reason, now),), State.IN_REVIEW, now,
                            emeritus=True, reviewed_at=now)
    change = NominationOutcome(nomination)
    change.events += [Event("nominated", SYSTEM, now, nomination.level, reason,
                            {"action": Action.REMOVE.value, "person": person, "target": target, "suggested": True,
                             "last_active": seen.isoformat()}),
                      Event("in_review", by, now, nomination.level)]
    change.notices.append(Notice("nominated", (person,), nomination.level,
                                 {"action": Action.REMOVE.value, "target": target, "by": SYSTEM, "emeritus": True,
                                  "last_active": seen.isoformat()}))
    return done(change)
