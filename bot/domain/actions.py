"""What people can do to a ticket: the buttons and commands, as rules.

`/ask`, `/escalate`, **Acknowledge**, **Resolve**, **Escalate** and **Waiting on asker** each land in one
function here. Each returns the ticket after the change, exactly one event for its history and the
notices for who must hear, or raises `Refusal` with a sentence for the person who clicked, naming who
can do it when they may not. Nothing here changes the ticket it is given.

Who may do what:
- anyone on the ticket's ladder: resolve, escalate, wait on the asker, mark the asker's reply, reassign;
- acknowledge: the people of the ticket's rung and of the rungs above it;
- the asker: resolve (close) their own ticket, mark that they replied, reopen it;
- core maintainers and the lead: anything.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from bot.domain.clocks import (
    Ladder,
    first_reachable,
    next_due_at,
    pause_clocks,
    position,
    reachable_on,
    resume_clocks,
    start_ack_window,
    tell,
    tell_asker,
)
from bot.domain.errors import Refusal
from bot.domain.policy import calendar_of
from bot.domain.ticket import SYSTEM, Event, Kind, Notice, Outcome, SlaPolicy, State, Ticket


@dataclass(frozen=True)
class Roles:
    """The people who may act on any ticket, whatever its ladder: the core maintainers and the lead."""

    core: frozenset[str]
    lead: str

    def may_do_anything(self, person: str) -> bool:
        return person == self.lead or person in self.core


def open_ticket(*, kind: Kind, area: str | None, asker: str, text: str, ladder: Ladder, policy: SlaPolicy,
                now: datetime, pingable: frozenset[str]) -> Outcome:
    """A new ticket lands on the lowest rung with someone who can be pinged, and they are pinged.

    When whole rungs are skipped (everyone away), the asker is told; the lead's rung is never skipped.
    """
    index, skipped = first_reachable(ladder, 0, pingable)
    level = ladder[index].level
    ticket = Ticket(kind=kind, area=area, asker=asker, text=text, level=level, policy=policy,
                    created_at=now, level_started_at=now)
    start_ack_window(ticket, now)
    ticket.resolve_due_at = calendar_of(policy).add(now, policy.resolve)
    people = reachable_on(ladder, index, pingable)
    data = {"skipped": skipped} | ({} if people else {"nobody_reachable": True})
    notices = tell("ping", people, level)
    if skipped:
        notices.append(tell_asker("skipped", level, skipped=skipped))
    if not people:
        notices.append(tell_asker("unreachable", level))
    return _done(ticket, Event("created", asker, now, level, data=data), notices)


def acknowledge(ticket: Ticket, *, by: str, ladder: Ladder, roles: Roles, now: datetime) -> Outcome:
    """"I have this": the ack clock stops (the resolve clock keeps running) and the asker is told."""
    _allow(ticket, by, ladder, roles, "acknowledge {ticket}", lowest=max(position(ladder, ticket.level), 0))
    _refuse_if_resolved(ticket, "acknowledging it")
    if ticket.acknowledged_by is not None:
        raise Refusal(f"{_name(ticket)} is already acknowledged by {{holder}}.",
                      people={"holder": ticket.acknowledged_by})
    changed = replace(ticket, acknowledged_by=by, acknowledged_at=now, assignee=by)
    if changed.state is State.WAITING:
        changed.ack_left = None  # it comes back acknowledged when the asker replies
    else:
        changed.state, changed.ack_due_at = State.ACKNOWLEDGED, None
    event = Event("acknowledged", by, now, changed.level)
    return _done(changed, event, [tell_asker("acknowledged", changed.level, by=by)])


def resolve(ticket: Ticket, *, by: str, note: str | None, ladder: Ladder, roles: Roles,
            now: datetime) -> Outcome:
    """Done: every clock stops and the asker gets the note (or, when they closed it, whoever had it)."""
    _allow(ticket, by, ladder, roles, "resolve {ticket}", asker=True)
    if ticket.state is State.RESOLVED:
        raise Refusal(f"{_name(ticket)} is already resolved, by {{resolver}}.",
                      people={"resolver": ticket.resolved_by or SYSTEM})
    changed = replace(ticket, state=State.RESOLVED, resolved_at=now, resolved_by=by, resolution=note,
                      ack_due_at=None, resolve_due_at=None, ack_left=None, resolve_left=None,
                      waiting_since=None)
    if by != ticket.asker:
        notices = [tell_asker("resolved", changed.level, by=by, note=note)]
    else:
        holder = ticket.assignee or ticket.acknowledged_by
        notices = tell("resolved", (holder,) if holder else (), changed.level, by=by, note=note)
    return _done(changed, Event("resolved", by, now, changed.level, note), notices)


def decision_note(decision: int, outcome: str, rationale: str | None) -> str:
    """The resolution of a ticket a vote settled: "Decided in #12 (passed): the rationale"."""
    return f"Decided in #{decision} ({outcome}): {rationale or ''}".strip()


def resolve_by_decision(ticket: Ticket, *, decision: int, by: str, note: str, now: datetime) -> Outcome | None:
    """An escalation a vote was called on (`/vote #N`) is resolved by the decision's published outcome,
    with its rationale as the note; `by` is who wrote it (the decision's rules said who may). When the
    decision is published again (a dispute revoted it, the core overturned or vetoed it), the ticket it
    resolved takes the new outcome as its note, and the asker is told: it stays resolved, at its first
    resolution's time. None when someone else resolved the ticket meanwhile: there is nothing left to do."""
    if ticket.state is State.RESOLVED:
        resolved_by_it = (ticket.resolution or "").startswith(f"Decided in #{decision} (")  # see decision_note
        if not resolved_by_it or ticket.resolution == note:
            return None
        changed = replace(ticket, resolved_by=by, resolution=note)
        data = {"decision": decision, "again": True}
    else:
        changed = replace(ticket, state=State.RESOLVED, resolved_at=now, resolved_by=by, resolution=note,
                          ack_due_at=None, resolve_due_at=None, ack_left=None, resolve_left=None,
                          waiting_since=None)
        data = {"decision": decision}
    notices = [tell_asker("resolved", changed.level, by=by, note=note)]
    return _done(changed, Event("resolved", by, now, changed.level, note, data), notices)


def escalate(ticket: Ticket, *, by: str, reason: str | None, ladder: Ladder, roles: Roles, now: datetime,
             pingable: frozenset[str]) -> Outcome:
    """Move the ticket up one rung by hand (past rungs where nobody can be reached); it opens there
    with a fresh ack window and the new rung is pinged."""
    _allow(ticket, by, ladder, roles, "escalate {ticket}")
    _refuse_if_resolved(ticket, "escalating it")
    index = position(ladder, ticket.level)
    if index >= len(ladder) - 1:
        raise Refusal(f"{_name(ticket)} is already with the lead; there is nobody higher to escalate to.")
    changed = _open_and_unclaimed(ticket, now)
    landed, skipped = first_reachable(ladder, index + 1, pingable)
    changed.level = ladder[landed].level
    start_ack_window(changed, now)
    event = Event("escalated", by, now, changed.level, reason, {"from": ticket.level, "skipped": skipped})
    notices = tell("escalated", reachable_on(ladder, landed, pingable), changed.level, by=by, reason=reason,
                   came_from=ticket.level)
    notices.append(tell_asker("escalated", changed.level, by=by, reason=reason, came_from=ticket.level))
    if skipped:
        notices.append(tell_asker("skipped", changed.level, skipped=skipped))
    return _done(changed, event, notices)


def wait_on_asker(ticket: Ticket, *, by: str, ladder: Ladder, roles: Roles, now: datetime) -> Outcome:
    """The ball is in the asker's court: every clock stops, keeping the time it had left."""
    _allow(ticket, by, ladder, roles, "mark {ticket} as waiting on the asker")
    _refuse_if_resolved(ticket, "waiting on the asker")
    if ticket.state is State.WAITING:
        raise Refusal(f"{_name(ticket)} is already waiting on the asker.")
    changed = replace(ticket)
    pause_clocks(changed, now)
    changed.state = State.WAITING
    event = Event("waiting", by, now, changed.level)
    return _done(changed, event, [tell_asker("waiting", changed.level, by=by)])


def asker_replied(ticket: Ticket, *, by: str, ladder: Ladder, roles: Roles, now: datetime,
                  pingable: frozenset[str]) -> Outcome:
    """The asker answered: the clocks run again with the time they had left, and whoever has the
    ticket (else its rung) hears about it."""
    _allow(ticket, by, ladder, roles, "mark the asker's reply on {ticket}", asker=True)
    if ticket.state is not State.WAITING:
        raise Refusal(f"{_name(ticket)} is not waiting on the asker.")
    changed = replace(ticket, state=State.ACKNOWLEDGED if ticket.acknowledged_by else State.OPEN)
    resume_clocks(changed, now)
    holder = changed.assignee or changed.acknowledged_by
    people = (holder,) if holder else reachable_on(ladder, position(ladder, changed.level), pingable)
    return _done(changed, Event("replied", by, now, changed.level), tell("replied", people, changed.level))


def reassign(ticket: Ticket, *, by: str, to_person: str, ladder: Ladder, roles: Roles,
             now: datetime) -> Outcome:
    """Hand the ticket to someone else on its ladder; it moves to their rung (the only way down) and
    waits for their acknowledgement in a fresh ack window."""
    _allow(ticket, by, ladder, roles, "reassign {ticket}")
    _refuse_if_resolved(ticket, "handing it over")
    index = next((index for index, rung in enumerate(ladder) if to_person in rung.people), None)
    if index is None:
        raise Refusal(f"{{person}} is not on the ladder of {_name(ticket)}; hand it to one of "
                      f"{_who(ladder, 0, asker=False)} or the lead ({{lead}}).",
                      people={"person": to_person, "lead": roles.lead})
    if ticket.assignee == to_person:
        raise Refusal(f"{_name(ticket)} is already assigned to {{person}}.", people={"person": to_person})
    changed = replace(ticket, level=ladder[index].level, assignee=to_person, acknowledged_by=None,
                      acknowledged_at=None)
    if changed.state is State.WAITING:
        changed.level_started_at, changed.reminders_sent, changed.ack_left = now, 0, ticket.policy.ack
    else:
        changed.state = State.OPEN
        start_ack_window(changed, now)
    event = Event("reassigned", by, now, changed.level, data={"to": to_person, "from": ticket.level})
    notices = [Notice("assigned", (to_person,), changed.level, {"by": by}),
               tell_asker("reassigned", changed.level, by=by, to=to_person)]
    return _done(changed, event, notices)


def reopen(ticket: Ticket, *, by: str, ladder: Ladder, roles: Roles, now: datetime,
           pingable: frozenset[str], reason: str | None = None) -> Outcome:
    """Not done after all: the ticket opens again on its rung, with fresh ack and resolve windows;
    `reason` (why it is not done) goes into its history and to whoever is told."""
    if by != ticket.resolved_by:  # whoever resolved it may take that back
        _allow(ticket, by, ladder, roles, "reopen {ticket}", asker=True, ladder_may=False)
    if ticket.state is not State.RESOLVED:
        raise Refusal(f"{_name(ticket)} is not resolved, so there is nothing to reopen.")
    index = position(ladder, ticket.level)
    if index < 0:  # its rung left the config since: start from the bottom of today's ladder
        index, _ = first_reachable(ladder, 0, pingable)
    changed = replace(ticket, state=State.OPEN, level=ladder[index].level, resolved_at=None,
                      resolved_by=None, resolution=None, acknowledged_by=None, acknowledged_at=None,
                      assignee=None, resolve_breaches=0)
    start_ack_window(changed, now)
    changed.resolve_due_at = calendar_of(changed.policy).add(now, changed.policy.resolve)
    notices = tell("ping", reachable_on(ladder, index, pingable), changed.level, reopened_by=by, reason=reason)
    if by != ticket.asker:
        notices.append(tell_asker("reopened", changed.level, by=by, reason=reason))
    return _done(changed, Event("reopened", by, now, changed.level, reason), notices)


# -- helpers --------------------------------------------------------------------------------------


def _done(ticket: Ticket, event: Event, notices: list[Notice]) -> Outcome:
    ticket.next_due_at = next_due_at(ticket)
    return Outcome(ticket, [event], notices)


def _open_and_unclaimed(ticket: Ticket, now: datetime) -> Ticket:
    """A copy that is open again with nobody holding it; a paused resolve clock runs on."""
    changed = replace(ticket, acknowledged_by=None, acknowledged_at=None, assignee=None)
    was_waiting = changed.state is State.WAITING
    changed.state = State.OPEN
    if was_waiting:
        resume_clocks(changed, now)
    return changed


def _allow(ticket: Ticket, by: str, ladder: Ladder, roles: Roles, verb: str, *, lowest: int = 0,
           asker: bool = False, ladder_may: bool = True) -> None:
    if roles.may_do_anything(by) or (asker and by == ticket.asker):
        return
    rung = next((index for index, step in enumerate(ladder) if by in step.people), None)
    if ladder_may and rung is not None and rung >= lowest:
        return
    who = _who(ladder, lowest, asker) if ladder_may else ("the asker, the " if asker else "the ") + "core maintainers"
    raise Refusal(f"Only {who} or the lead ({{lead}}) can {verb.format(ticket=_name(ticket))}.",
                  people={"lead": roles.lead})


def _who(ladder: Ladder, lowest: int, asker: bool) -> str:
    """Who may act, for a refusal: "the asker, the nn maintainers, python maintainers, core maintainers"."""
    maintainers = [rung.label for rung in ladder[lowest:] if rung.level.startswith("area:")]
    return ("the asker, " if asker else "") + "the " + ", ".join([*maintainers, "core maintainers"])


def _refuse_if_resolved(ticket: Ticket, doing: str) -> None:
    if ticket.state is State.RESOLVED:
        raise Refusal(f"{_name(ticket)} was resolved by {{resolver}}: reopen it before {doing}.",
                      people={"resolver": ticket.resolved_by or SYSTEM})


def _name(ticket: Ticket) -> str:
    return f"#{ticket.id}" if ticket.id is not None else "this ticket"
