"""Converting between the domain's `Ticket`/`Event` and table rows, so nothing else needs to know both.

A ticket must come back exactly as it went in: its policy snapshot (durations as seconds in JSON,
working hours, holidays), its enums and its paused clocks. Keys missing from an older snapshot take the
`SlaPolicy` defaults, so adding a policy field never needs a data migration.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from bot.domain.ticket import Event, Kind, SlaPolicy, State, Ticket, WorkingHours
from storage.tables import EventRow, TicketRow

# Ticket fields copied to and from columns of the same name without conversion.
_PLAIN_FIELDS = (
    "area", "asker", "text", "level", "created_at", "level_started_at", "ack_due_at", "resolve_due_at",
    "reminders_sent", "resolve_breaches", "acknowledged_by", "acknowledged_at", "assignee",
    "waiting_since", "resolved_at", "resolved_by", "resolution", "next_due_at",
)  # fmt: skip


def seconds(delta: timedelta | None) -> float | int | None:
    """A duration as JSON-friendly seconds: whole numbers stay integers so snapshots read well."""
    if delta is None:
        return None
    total = delta.total_seconds()
    return int(total) if total.is_integer() else total


def duration(value: float | None) -> timedelta | None:
    return None if value is None else timedelta(seconds=value)


def policy_to_json(policy: SlaPolicy) -> dict[str, Any]:
    hours = policy.hours
    return {
        "ack": seconds(policy.ack),
        "resolve": seconds(policy.resolve),
        "reminders": list(policy.reminders),
        "hours": None
        if hours is None
        else {"days": list(hours.days), "start": hours.start, "end": hours.end, "tz": hours.tz},
        "holidays": policy.holidays,
        "source": policy.source,
    }


def policy_from_json(data: dict[str, Any]) -> SlaPolicy:
    hours = data.get("hours")
    return SlaPolicy(
        ack=timedelta(seconds=data["ack"]),
        resolve=timedelta(seconds=data["resolve"]),
        reminders=tuple(data.get("reminders", ())),
        hours=None
        if hours is None
        else WorkingHours(days=tuple(hours["days"]), start=hours["start"], end=hours["end"], tz=hours["tz"]),
        holidays=data.get("holidays"),
        source=data.get("source", ""),
    )


def ticket_values(ticket: Ticket) -> dict[str, Any]:
    """The ticket's columns as plain values (Slack message references are not among them)."""
    values: dict[str, Any] = {name: getattr(ticket, name) for name in _PLAIN_FIELDS}
    values.update(kind=Kind(ticket.kind).value, state=State(ticket.state).value,
                  policy=policy_to_json(ticket.policy), ack_left=seconds(ticket.ack_left),
                  resolve_left=seconds(ticket.resolve_left))
    return values


def ticket_values_columns() -> tuple[str, ...]:
    """The columns `ticket_values` fills, in a stable order."""
    return (*_PLAIN_FIELDS, "kind", "state", "policy", "ack_left", "resolve_left")


def ticket_to_row(ticket: Ticket, row: TicketRow | None = None) -> TicketRow:
    """Fill `row` (or a new one) from `ticket`; Slack message references on the row are left alone."""
    row = row if row is not None else TicketRow()
    if ticket.id is not None:
        row.id = ticket.id
    for name, value in ticket_values(ticket).items():
        setattr(row, name, value)
    return row


def ticket_from_row(row: TicketRow) -> Ticket:
    return Ticket(
        id=row.id,
        kind=Kind(row.kind),
        state=State(row.state),
        policy=policy_from_json(row.policy),
        ack_left=duration(row.ack_left),
        resolve_left=duration(row.resolve_left),
        **{name: getattr(row, name) for name in _PLAIN_FIELDS},
    )


def event_values(ticket_id: int, event: Event) -> dict[str, Any]:
    return {"ticket_id": ticket_id, "kind": event.kind, "actor": event.actor, "at": event.at,
            "level": event.level, "reason": event.reason, "data": dict(event.data)}


def event_to_row(ticket_id: int, event: Event) -> EventRow:
    return EventRow(**event_values(ticket_id, event))


def event_from_row(row: EventRow) -> Event:
    return Event(kind=row.kind, actor=row.actor, at=row.at, level=row.level, reason=row.reason, data=dict(row.data))
