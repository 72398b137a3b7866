"""Converting between the domain's `Nomination` and its rows: its `tickets` row (number, state, level,
a one-line summary) and its `nominations` row (the columns lists filter on, the rest as JSON).

A nomination must come back exactly as it went in: its nominators, its request for information
with every answer, and the change a confirmation made. Keys missing from an older body take the
dataclasses' defaults, so adding a field never needs a data migration.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime
from typing import Any

from bot.domain.hierarchy import ChangeKind, HierarchyChange
from bot.domain.nomination_record import Action, Answer, Ask, Nomination, Nominator, State

NOMINATION = "nomination"  # the `kind` of a nomination's row in `tickets`


def _when(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def _moment(value: str | None) -> datetime | None:
    return None if value is None else datetime.fromisoformat(value)


def _plain(item: Any) -> dict[str, Any]:
    """A frozen dataclass of strings, flags and moments as JSON."""
    return {name: _when(value) if isinstance(value, datetime) else value for name, value in asdict(item).items()}


def _ask_to_json(ask: Ask) -> dict[str, Any]:
    return {"by": ask.by, "at": _when(ask.at), "due_at": _when(ask.due_at), "people": list(ask.people),
            "reminders": list(ask.reminders), "reminders_sent": ask.reminders_sent, "closed": ask.closed,
            "answers": [_plain(answer) for answer in ask.answers]}


def _ask_from_json(data: dict[str, Any]) -> Ask:
    answers = tuple(Answer(**{**item, "at": _moment(item["at"])}) for item in data.get("answers", ()))
    return Ask(by=data["by"], at=_moment(data["at"]), due_at=_moment(data["due_at"]), people=tuple(data["people"]),
               reminders=tuple(data.get("reminders", ())), reminders_sent=data.get("reminders_sent", 0),
               closed=data.get("closed", False), answers=answers)


def _change_to_json(change: HierarchyChange) -> dict[str, Any]:
    return _plain(change) | {"kind": change.kind.value}


def _change_from_json(data: dict[str, Any]) -> HierarchyChange:
    return HierarchyChange(**{**data, "kind": ChangeKind(data["kind"]), "decided_at": _moment(data.get("decided_at")),
                              "applied_at": _moment(data.get("applied_at"))})


def nomination_body(nomination: Nomination) -> dict[str, Any]:
    """Everything of the nomination its columns do not hold, as JSON."""
    return {
        "nominators": [_plain(nominator) for nominator in nomination.nominators],
        "of_lead": nomination.of_lead,
        "emeritus": nomination.emeritus,
        "reviewed_at": _when(nomination.reviewed_at),
        "ask": _ask_to_json(nomination.ask) if nomination.ask else None,
        "closed_by": nomination.closed_by,
        "reason": nomination.reason,
        "change": _change_to_json(nomination.change) if nomination.change else None,
    }


def nomination_values(nomination: Nomination) -> dict[str, Any]:
    """The `nominations` row's columns (without its id)."""
    return {"action": nomination.action.value, "person": nomination.person, "target": nomination.target,
            "state": nomination.state.value, "open_key": nomination.open_key, "decision_id": nomination.decision,
            "opened_at": nomination.opened_at, "closed_at": nomination.closed_at,
            "next_due_at": nomination.next_due_at, "body": nomination_body(nomination)}


def summary(nomination: Nomination) -> str:
    """The `tickets` row's text: what a list of every `#N` shows of it ("add kshitij to nn")."""
    return f"{nomination.action.value} {nomination.person} {'to' if nomination.action is Action.ADD else 'from'} " \
           f"{nomination.target}"


def number_values(nomination: Nomination) -> dict[str, Any]:
    """The nomination's `tickets` row. Its deadline stays out of it (`next_due_at` NULL): the tickets'
    sweeper reads that column for its next wake-up and would wait on a deadline it never sweeps."""
    return {"kind": NOMINATION, "area": None if nomination.level == "core" else nomination.target,
            "asker": nomination.nominators[0].by, "text": summary(nomination), "state": nomination.state.value,
            "level": nomination.level, "policy": {}, "created_at": nomination.opened_at,
            "level_started_at": nomination.opened_at, "next_due_at": None}


def nomination_from_row(row: Any) -> Nomination:
    body = row.body
    return Nomination(
        action=Action(row.action), person=row.person, target=row.target,
        nominators=tuple(Nominator(item["by"], item.get("reason"), _moment(item["at"])) for item in body["nominators"]),
        state=State(row.state), opened_at=row.opened_at, number=row.id, of_lead=body.get("of_lead", False),
        emeritus=body.get("emeritus", False), reviewed_at=_moment(body.get("reviewed_at")),
        ask=_ask_from_json(body["ask"]) if body.get("ask") else None, decision=row.decision_id,
        closed_at=row.closed_at, closed_by=body.get("closed_by"), reason=body.get("reason"),
        change=_change_from_json(body["change"]) if body.get("change") else None, next_due_at=row.next_due_at)
