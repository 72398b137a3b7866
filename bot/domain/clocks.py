"""The SLA clocks: what the sweeper does when a ticket's `next_due_at` comes.

What people see, for a question at the nn rung with `ack: 1d` and `reminders: [0.5, 0.9]`:
- after 12h and again after 21.6h without an acknowledgement, the nn maintainers are reminded;
- after 1d the ticket climbs to the next rung, whose people are pinged with a fresh 1d window, and
  the asker is told; a rung where nobody can be reached (all away, or no Slack account) is skipped at
  once and the asker is told that too; at the lead the ticket stays, and the lead is reminded every 1d;
- each time the resolve window (from creation) runs out, the next rung above the ticket hears about
  it, once per rung; past the top, the lead hears every resolve window.
Acknowledged tickets never climb on the ack clock; resolved tickets and tickets waiting on the asker
stay silent. `due` may run after days of downtime: it applies what fell due in time order, fires
each missed deadline once, counting the next window from `now` so that nobody is flooded with a
backlog, and sends no reminder late once a later one (or the window's end) is due: those are recorded
as `reminder_skipped`. Every event a deadline causes records when it was due (`due_at`), and `late`
when it was acted on more than a minute after: Upline was not running, or its clock jumped.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timedelta

from bot.domain.durations import format_duration
from bot.domain.ladder import Rung, rung_index
from bot.domain.policy import calendar_of
from bot.domain.ticket import SYSTEM, Event, Notice, Outcome, State, Ticket
from bot.domain.working_time import WorkingCalendar

Ladder = tuple[Rung, ...]
RUNNING = (State.OPEN, State.ACKNOWLEDGED)  # the states in which the resolve clock runs
_MAX_STEPS = 100  # every step moves a deadline past `now`; this only guards against a bug looping
_FAR_BACK = timedelta(days=3660)  # no calendar goes ten years without working time
LATE = timedelta(minutes=1)  # a sweep comes within seconds of a deadline; later than this, it was missed


def due(ticket: Ticket, ladder: Ladder, now: datetime, pingable: frozenset[str]) -> Outcome:
    """Apply every reminder, escalation and breach that has fallen due up to `now`, oldest first."""
    outcome = Outcome(replace(ticket))
    for _ in range(_MAX_STEPS):
        step = _next_step(outcome.ticket, now)
        if step is None:
            break
        step(outcome, ladder, now, pingable)
    outcome.ticket.next_due_at = next_due_at(outcome.ticket)
    return outcome


def next_due_at(ticket: Ticket) -> datetime | None:
    """The earliest moment the sweeper must look at the ticket again (None: nothing is pending)."""
    moments = [next_reminder_at(ticket), ticket.ack_due_at if ticket.state is State.OPEN else None,
               ticket.resolve_due_at if ticket.state in RUNNING else None]
    return min((moment for moment in moments if moment is not None), default=None)


def next_reminder_at(ticket: Ticket) -> datetime | None:
    if ticket.state is not State.OPEN or ticket.ack_due_at is None:
        return None
    if ticket.reminders_sent >= len(ticket.policy.reminders):
        return None
    return reminder_at(ticket, ticket.reminders_sent)


def reminder_at(ticket: Ticket, index: int) -> datetime:
    """When reminder `index` is due: the moment the window has (1 - fraction) of its SLA time left.

    Measured back from `ack_due_at` rather than forward from `level_started_at`, so that a window
    paused while waiting on the asker still reminds at the right point of its SLA time.
    """
    ack = ticket.policy.ack
    left = ack - ack * ticket.policy.reminders[index]
    return moment_before(calendar_of(ticket.policy), ticket.ack_due_at, left)


def moment_before(calendar: WorkingCalendar, end: datetime, left: timedelta) -> datetime:
    """The earliest moment from which only `left` of SLA time remains until `end`."""
    if calendar.hours is None and calendar.holidays is None:
        return end - left
    # The calendar only counts forward: step back until more than `left` lies before `end`, then
    # count forward from there; `add` lands on the earliest moment, as it does for deadlines.
    span = max(left, timedelta(hours=1))
    while calendar.between(end - span, end) <= left and span < _FAR_BACK:
        span *= 2
    start = end - span
    return calendar.add(start, max(calendar.between(start, end) - left, timedelta(0)))


# -- the ack and resolve windows, shared with the actions ------------------------------------------


def start_ack_window(ticket: Ticket, now: datetime) -> None:
    """A fresh ack window for the ticket's current rung, opening at `now`."""
    ticket.level_started_at = now
    ticket.ack_due_at = calendar_of(ticket.policy).add(now, ticket.policy.ack)
    ticket.reminders_sent = 0


def pause_clocks(ticket: Ticket, now: datetime) -> None:
    """Stop every clock, keeping the SLA time each had left (a deadline already passed keeps none)."""
    ticket.ack_left = _time_left(ticket, ticket.ack_due_at, now)
    ticket.resolve_left = _time_left(ticket, ticket.resolve_due_at, now)
    ticket.ack_due_at = ticket.resolve_due_at = ticket.next_due_at = None
    ticket.waiting_since = now


def resume_clocks(ticket: Ticket, now: datetime) -> None:
    """Restart the clocks paused by `pause_clocks` with the time they had left; the ack clock only
    when the ticket is open again."""
    calendar = calendar_of(ticket.policy)
    resolve_left = ticket.resolve_left if ticket.resolve_left is not None else ticket.policy.resolve
    ticket.resolve_due_at = _after(calendar, now, resolve_left)
    ticket.ack_due_at = None
    if ticket.state is State.OPEN:
        ack_left = ticket.ack_left if ticket.ack_left is not None else ticket.policy.ack
        ticket.ack_due_at = _after(calendar, now, ack_left)
    ticket.ack_left = ticket.resolve_left = ticket.waiting_since = None


def _time_left(ticket: Ticket, deadline: datetime | None, now: datetime) -> timedelta | None:
    if deadline is None:
        return None
    return calendar_of(ticket.policy).between(now, deadline) if deadline > now else timedelta(0)


def _after(calendar: WorkingCalendar, now: datetime, left: timedelta) -> datetime:
    # A window that had run out before the pause is due at once, not in the past.
    return calendar.add(now, left) if left > timedelta(0) else now


# -- the ladder, shared with the actions ----------------------------------------------------------


def position(ladder: Ladder, level: str) -> int:
    """The rung index of `level`; -1 (below every rung) when the config no longer has that rung."""
    index = rung_index(ladder, level)
    return -1 if index is None else index


def reachable_on(ladder: Ladder, index: int, pingable: frozenset[str]) -> tuple[str, ...]:
    """The people of rung `index` who can be pinged now, in the config's order."""
    if not 0 <= index < len(ladder):
        return ()
    return tuple(person for person in ladder[index].people if person in pingable)


def first_reachable(ladder: Ladder, index: int, pingable: frozenset[str]) -> tuple[int, list[str]]:
    """The first rung from `index` up where someone can be pinged, and the levels skipped to get
    there; the lead's rung is never skipped, even when the lead cannot be reached either."""
    skipped = []
    while index < len(ladder) - 1 and not reachable_on(ladder, index, pingable):
        skipped.append(ladder[index].level)
        index += 1
    return index, skipped


def tell(kind: str, people: tuple[str, ...], level: str, **data) -> list[Notice]:
    """A notice for `people`, or none when nobody can hear it (an empty `to` would mean the asker)."""
    return [Notice(kind, people, level, data)] if people else []


def tell_asker(kind: str, level: str, **data) -> Notice:
    return Notice(kind, (), level, data)


# -- the steps of `due` ---------------------------------------------------------------------------

Step = Callable[[Outcome, Ladder, datetime, frozenset[str]], None]


def _next_step(ticket: Ticket, now: datetime) -> Step | None:
    steps: list[tuple[datetime, int, Step]] = []
    if ticket.state is State.OPEN and ticket.ack_due_at is not None:
        if ticket.ack_due_at <= now:
            steps.append((ticket.ack_due_at, 1, _ack_missed))  # its window's reminders are moot now
        elif (remind_at := next_reminder_at(ticket)) is not None and remind_at <= now:
            steps.append((remind_at, 0, _remind))
    if ticket.state in RUNNING and ticket.resolve_due_at is not None and ticket.resolve_due_at <= now:
        steps.append((ticket.resolve_due_at, 2, _resolve_missed))
    return min(steps, key=lambda step: step[:2])[2] if steps else None


def _remind(outcome: Outcome, ladder: Ladder, now: datetime, pingable: frozenset[str]) -> None:
    ticket = outcome.ticket
    # After downtime several reminder points may have passed: one reminder, for the latest, is enough.
    latest = max(index for index in range(ticket.reminders_sent, len(ticket.policy.reminders))
                 if reminder_at(ticket, index) <= now)
    _skip_reminders(outcome, latest, now, "a later reminder was due")
    ticket.reminders_sent = latest + 1
    fraction = ticket.policy.reminders[latest]
    due_at = ticket.ack_due_at.isoformat()
    outcome.events.append(Event("reminded", SYSTEM, now, ticket.level,
                                data={"fraction": fraction} | _timing(reminder_at(ticket, latest), now)))
    people = reachable_on(ladder, position(ladder, ticket.level), pingable)
    outcome.notices += tell("reminder", people, ticket.level, fraction=fraction, ack_due_at=due_at)


def _ack_missed(outcome: Outcome, ladder: Ladder, now: datetime, pingable: frozenset[str]) -> None:
    ticket = outcome.ticket
    index = position(ladder, ticket.level)
    reason = f"no acknowledgement within {format_duration(ticket.policy.ack)}"
    _skip_reminders(outcome, len(ticket.policy.reminders), now, "the ack window had already run out")
    timing = _timing(ticket.ack_due_at, now)
    if index >= len(ladder) - 1:
        _remind_lead(outcome, ladder, now, pingable, reason, timing)
        return
    came_from = ticket.level
    _move(ticket, ladder, index + 1, now)
    outcome.events.append(Event("escalated", SYSTEM, now, ticket.level, reason, {"from": came_from} | timing))
    landed, skipped = first_reachable(ladder, index + 1, pingable)
    for level in skipped:
        label = ladder[position(ladder, level)].label
        _move(ticket, ladder, position(ladder, level) + 1, now)
        outcome.events.append(Event("skipped", SYSTEM, now, ticket.level, f"nobody on the {label} can be "
                                    "reached", {"skipped": level}))
        outcome.notices.append(tell_asker("skipped", ticket.level, skipped=[level]))
    people = reachable_on(ladder, landed, pingable)
    outcome.notices += tell("escalated", people, ticket.level, reason=reason, came_from=came_from)
    outcome.notices.append(tell_asker("escalated", ticket.level, reason=reason, came_from=came_from))


def _remind_lead(outcome: Outcome, ladder: Ladder, now: datetime, pingable: frozenset[str],
                 reason: str, timing: dict) -> None:
    # Nobody stands above the lead: remind them once per ack window instead of climbing.
    ticket = outcome.ticket
    start_ack_window(ticket, now)
    ticket.reminders_sent = len(ticket.policy.reminders)  # one reminder per window, not the fractions too
    outcome.events.append(Event("reminded", SYSTEM, now, ticket.level, reason, {"overdue": True} | timing))
    people = reachable_on(ladder, position(ladder, ticket.level), pingable)
    outcome.notices += tell("reminder", people, ticket.level, overdue=True, reason=reason)


def _resolve_missed(outcome: Outcome, ladder: Ladder, now: datetime, pingable: frozenset[str]) -> None:
    ticket = outcome.ticket
    ticket.resolve_breaches += 1
    top = len(ladder) - 1
    # Each breach tells the next rung up that has someone to tell; past the top, the lead every time.
    above = [index for index in range(position(ladder, ticket.level) + 1, top + 1)
             if reachable_on(ladder, index, pingable) or index == top]
    target = above[min(ticket.resolve_breaches, len(above)) - 1] if above else top
    window = format_duration(ticket.policy.resolve)
    reason = (f"not resolved within {window}" if ticket.resolve_breaches == 1
              else f"still not resolved after another {window}")
    timing = _timing(ticket.resolve_due_at, now)
    ticket.resolve_due_at = calendar_of(ticket.policy).add(now, ticket.policy.resolve)
    notified = ladder[target].level
    outcome.events.append(Event("breached", SYSTEM, now, ticket.level, reason,
                                {"notified": notified, "breaches": ticket.resolve_breaches} | timing))
    outcome.notices += tell("resolve_breach", reachable_on(ladder, target, pingable), notified,
                            reason=reason, ticket_level=ticket.level, breaches=ticket.resolve_breaches)


def _skip_reminders(outcome: Outcome, before: int, now: datetime, why: str) -> None:
    """Record the current rung's unsent reminders up to index `before` whose moment has passed: each
    is dropped, not sent late, and the history says so."""
    ticket = outcome.ticket
    for index in range(ticket.reminders_sent, before):
        moment = reminder_at(ticket, index)
        if moment <= now:
            data = {"fraction": ticket.policy.reminders[index]} | _timing(moment, now)
            outcome.events.append(Event("reminder_skipped", SYSTEM, now, ticket.level, why, data))


def _timing(due_at: datetime, now: datetime) -> dict:
    """When the deadline behind an event was due, and whether it was acted on late."""
    return {"due_at": due_at.isoformat()} | ({"late": True} if now - due_at > LATE else {})


def _move(ticket: Ticket, ladder: Ladder, index: int, now: datetime) -> None:
    ticket.level = ladder[index].level
    ticket.assignee = None
    start_ack_window(ticket, now)
