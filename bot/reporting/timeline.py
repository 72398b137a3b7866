"""What `upline status N` prints: one ticket, where it stands and everything that happened to it.

    #7  question in nn: acknowledged
      rung          area:nn
      asked by      U0ASKER at 2026-11-23T09:00:00Z
      acknowledged  nn1 at 2026-11-23T09:20:00Z
      ack due       — (acknowledged)
      resolve due   2026-11-30T09:00:00Z (in 6d23h40m)
      SLA           ack 1d per rung, resolve 7d from creation, reminders at 50% (question defaults)
      text          How do I register a forward hook?

      2026-11-23T09:00:00Z  created       U0ASKER  area:nn
      2026-11-23T09:20:00Z  acknowledged  nn1      area:nn

Deadlines are shown in UTC and relative to `now`; the caller reads the clock. People are shown by
`name`, which the caller makes with `display_names(config)`: "Mikayla Gawarecki" rather than a
`people` key; an asker app.yaml does not know stays the Slack ID it is (U0ASKER above). A deadline
acted on late says so: `(due 2026-11-23T17:00:00Z, 21m late: Upline was not running)`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

from bot.config.schema import Config
from bot.domain.ticket import SYSTEM, Event, SlaPolicy, State, Ticket
from bot.reporting import NO_DATA, format_span, relative, utc_iso

_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_TEXT_SHOWN = 200  # characters of the question; the rest is in Slack


def display_names(config: Config | None) -> Callable[[str], str]:
    """How people are named for a reader: their `name` in app.yaml, else their key; someone app.yaml
    does not know (a Slack ID) stays as it is, unless it is the Slack ID of someone it knows now."""
    if config is None:
        return str
    by_key = {key: person.name or key for key, person in config.people.items()}
    by_slack = {person.slack: by_key[key] for key, person in config.people.items() if person.slack}
    return lambda person: by_key.get(person) or by_slack.get(person) or person


def describe_ticket(ticket: Ticket, events: Sequence[Event], now: datetime,
                    name: Callable[[str], str] = str) -> str:
    """The header and then one line per event, oldest first, as the history was written."""
    area = f" in {ticket.area}" if ticket.area else ""
    lines = [f"#{ticket.id}  {ticket.kind}{area}: {state_words(ticket)}"]
    fields = [
        ("rung", ticket.level),
        ("asked by", f"{name(ticket.asker)} at {utc_iso(ticket.created_at)}"),
        ("acknowledged", f"{name(ticket.acknowledged_by)} at {utc_iso(ticket.acknowledged_at)}"
         if ticket.acknowledged_by else "not yet"),
    ]
    if ticket.assignee and ticket.assignee != ticket.acknowledged_by:
        fields.append(("assigned to", name(ticket.assignee)))
    if ticket.state is State.RESOLVED:
        note = f": {ticket.resolution}" if ticket.resolution else ""
        fields.append(("resolved", f"by {name(ticket.resolved_by)} at {utc_iso(ticket.resolved_at)}{note}"))
    fields += [("ack due", ack_due(ticket, now)), ("resolve due", resolve_due(ticket, now)),
               ("SLA", describe_policy(ticket.policy)), ("text", _shortened(ticket.text))]
    lines += [f"  {label:<13} {value}" for label, value in fields]
    lines.append("")
    lines += event_lines(events, name)
    return "\n".join(lines) + "\n"


def state_words(ticket: Ticket) -> str:
    if ticket.state is State.WAITING:
        return "waiting on the asker"
    return str(ticket.state)


def ack_due(ticket: Ticket, now: datetime) -> str:
    if ticket.state is State.WAITING and ticket.ack_left is not None:
        return f"paused, {format_span(ticket.ack_left)} left when the asker replies"
    if ticket.ack_due_at is None:
        why = "acknowledged" if ticket.acknowledged_by else str(ticket.state)
        return f"{NO_DATA} ({why})"
    return f"{utc_iso(ticket.ack_due_at)} ({relative(ticket.ack_due_at, now)})"


def resolve_due(ticket: Ticket, now: datetime) -> str:
    if ticket.state is State.WAITING and ticket.resolve_left is not None:
        return f"paused, {format_span(ticket.resolve_left)} left when the asker replies"
    if ticket.resolve_due_at is None:
        return f"{NO_DATA} ({ticket.state})"
    count = ticket.resolve_breaches
    breaches = f"; {count} window{'s' if count != 1 else ''} missed so far" if count else ""
    return f"{utc_iso(ticket.resolve_due_at)} ({relative(ticket.resolve_due_at, now)}{breaches})"


def describe_policy(policy: SlaPolicy) -> str:
    """The numbers the ticket runs under, then where they came from (copied when it opened)."""
    parts = [f"ack {format_span(policy.ack)} per rung", f"resolve {format_span(policy.resolve)} from creation"]
    if policy.reminders:
        parts.append("reminders at " + "/".join(f"{fraction:.0%}" for fraction in policy.reminders))
    if policy.hours is not None:
        hours = policy.hours
        parts.append(f"working hours {weekdays(hours.days)} {hours.start}-{hours.end} {hours.tz}")
    if policy.holidays:
        parts.append(f"no SLA time on {policy.holidays} holidays")
    source = f" ({policy.source})" if policy.source else ""
    return ", ".join(parts) + source


def weekdays(days: Sequence[int]) -> str:
    """ISO weekdays as people write them: `Mon-Fri` for a run, `Mon,Wed,Fri` otherwise."""
    names = [_WEEKDAYS[day - 1] for day in days]
    if len(days) > 2 and list(days) == list(range(days[0], days[-1] + 1)):
        return f"{names[0]}-{names[-1]}"
    return ",".join(names)


def event_lines(events: Sequence[Event], name: Callable[[str], str] = str) -> list[str]:
    """Time, kind, actor, level and why, in columns wide enough for this history."""
    if not events:
        return ["  (no events)"]
    actors = [event.actor if event.actor == SYSTEM else name(event.actor) for event in events]
    kind_width = max(len(event.kind) for event in events)
    actor_width = max(len(actor) for actor in actors)
    level_width = max(len(event.level) for event in events)
    lines = []
    for event, actor in zip(events, actors, strict=True):
        line = (f"  {utc_iso(event.at)}  {event.kind:<{kind_width}}  {actor:<{actor_width}}  "
                f"{event.level:<{level_width}}  {why(event, name)}")
        lines.append(line.rstrip())
    return lines


def why(event: Event, name: Callable[[str], str] = str) -> str:
    """The event's reason, with the details its data adds (where it came from, whom it skipped...)."""
    data = event.data
    details = []
    if data.get("from"):
        details.append(f"from {data['from']}")
    if data.get("to"):
        to = data["to"]
        details.append("to " + (", ".join(map(name, to)) if isinstance(to, list) else name(to)))
    skipped = data.get("skipped")
    if skipped:
        details.append("skipped " + (", ".join(skipped) if isinstance(skipped, list) else str(skipped)))
    if data.get("notified"):
        details.append(f"{data['notified']} notified")
    if data.get("fraction") is not None:
        details.append(f"at {data['fraction']:.0%} of the ack window")
    if data.get("nobody_reachable"):
        details.append("nobody could be reached")
    if data.get("late"):
        due_at = datetime.fromisoformat(data["due_at"])
        details.append(f"due {utc_iso(due_at)}, {format_span(event.at - due_at)} late: Upline was not running")
    reason = event.reason or ""
    if details:
        reason = f"{reason} ({'; '.join(details)})" if reason else "; ".join(details)
    return reason


def _shortened(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= _TEXT_SHOWN else flat[: _TEXT_SHOWN - 1] + "…"
