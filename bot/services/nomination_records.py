"""How a nomination's changes are written: the nomination, its events, and one outbox row per notice
(`nomination.<notice kind>`, with the nomination's `#N`; `nomination.review` without one), in the
transaction of the use case that made them. Also what the publication of a decision does to the
nominations it voted on, in the transaction that publishes it.

    record(uow, [change], now)                   # a change to stored nominations (+ `nomination.refresh`)
    record(uow, [change], now, new=True)         # new ones, already added (numbered)
    decide_published(uow, config, decisions, now)   # DecisionService's published hook
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from bot.config.schema import SLACK_USER_ID, Config
from bot.domain import nominations as rules
from bot.domain.decision_record import Decision, State
from bot.domain.nomination_record import NominationOutcome, ReviewOutcome
from bot.services.process_outbox import notice_rows, payload, refresh_rows
from storage.repositories import NORMAL
from storage.unit_of_work import SqlUnitOfWork

_URGENT = frozenset({"ask", "answers_in", "lead_vacant"})  # someone is asked to act
# Events that change nothing the slate or the asked maintainers' DMs show: no refresh for them.
_INVISIBLE = frozenset({"reminded", "reminder_skipped"})


def record(uow: SqlUnitOfWork, changes: list[NominationOutcome], now: datetime, new: bool = False,
           refresh: bool = True) -> None:
    """The nominations, their events, their notices, and — for a change that shows — a `nomination.refresh`
    of the messages kept of each (the slate, the asked maintainers' DMs), after its notices."""
    if not new:
        uow.nominations.save_many([change.nomination for change in changes])
    uow.events.append_many([(change.nomination.number, event) for change in changes for event in change.events])
    messages = []
    for change in changes:
        number = change.nomination.number
        messages += notice_rows("nomination", number, change.notices, now, _URGENT)
        if refresh and not new:
            messages += refresh_rows("nomination", number, change.events, now, _INVISIBLE)
    uow.outbox.add_many(messages)


def record_review(uow: SqlUnitOfWork, review: ReviewOutcome, now: datetime) -> None:
    """The review: its suggestions numbered, every nomination on the slate, the schedule moved on, the
    core's notice naming the slate's numbers, then one `nomination.slate` row per nomination on it (its
    message to the core, kept under its `#N` and refreshed from then on)."""
    suggested = [change for change in review.slate if change.nomination.number is None]
    for change in suggested:
        change.nomination = uow.nominations.add(change.nomination)
    record(uow, [change for change in review.slate if change not in suggested], now, refresh=False)
    record(uow, suggested, now, new=True)
    uow.nominations.save_review(review.schedule)
    numbers = [change.nomination.number for change in review.slate]
    uow.outbox.add_many([("nomination.review", payload("nomination", None, notice) | {"slate": numbers}, None, now,
                          NORMAL) for notice in review.notices])
    uow.outbox.add_many([("nomination.slate", payload("nomination", number, replace(notice, kind="slate", data={})),
                          number, now, NORMAL) for notice in review.notices for number in numbers])


def decide_published(uow: SqlUnitOfWork, config: Config, published: list[Decision], now: datetime) -> None:
    """The nominations these decisions voted on, confirmed (their change to the hierarchy stored for
    `upline governance apply`) or rejected."""
    final = {d.number: d for d in published if d.state is State.FINAL and d.outcome is not None}
    changes = []
    for nomination in uow.nominations.voted_in(final):
        # `people` already names someone app.yaml knows; of anyone else Upline knows only the Slack ID.
        person = config.people.get(nomination.person)
        slack = person.slack if person else (nomination.person if SLACK_USER_ID.match(nomination.person) else None)
        change = rules.decided(nomination, final[nomination.decision], now=now, slack=slack)
        if change.nomination.change is not None:
            stored = uow.hierarchy.add(change.nomination.change, now)
            change.nomination = replace(change.nomination, change=stored)
        changes.append(change)
    record(uow, changes, now)
