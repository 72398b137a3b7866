"""Converting between the domain's `Election` and its rows: its `tickets` row (number, phase, the core's
level, the sweeper's `next_due_at`) and its `elections` row (the columns queries need, the rest as JSON).

An election must come back exactly as it went in: its voters, the core's vote policy it copied, every
answer to "do you stand?", every poll with its ranked ballots, and the change it confirmed. Keys
missing from an older body take the dataclasses' defaults, so adding a field never needs a migration.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.domain.election_record import Candidacy, Election, Failure, Phase, Poll, RankedBallot, Vacancy
from storage.decision_mapping import vote_policy_from_json, vote_policy_to_json
from storage.nomination_mapping import _change_from_json, _change_to_json

ELECTION = "election"  # the `kind` of an election's row in `tickets`
OPEN_KEY = "lead"  # `elections.open_key` while open: unique, so only one election is ever open


def _when(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def _moment(value: str | None) -> datetime | None:
    return None if value is None else datetime.fromisoformat(value)


def _poll_to_json(poll: Poll) -> dict[str, Any]:
    return {"candidates": list(poll.candidates), "opened_at": _when(poll.opened_at),
            "closes_at": _when(poll.closes_at), "reminders_sent": poll.reminders_sent,
            "closed_at": _when(poll.closed_at), "early": poll.early,
            "ballots": [{"voter": ballot.voter, "ranking": list(ballot.ranking), "at": _when(ballot.at)}
                        for ballot in poll.ballots]}


def _poll_from_json(data: dict[str, Any]) -> Poll:
    ballots = tuple(RankedBallot(item["voter"], tuple(item["ranking"]), _moment(item["at"]))
                    for item in data.get("ballots", ()))
    return Poll(candidates=tuple(data["candidates"]), opened_at=_moment(data["opened_at"]),
                closes_at=_moment(data["closes_at"]), ballots=ballots, reminders_sent=data.get("reminders_sent", 0),
                closed_at=_moment(data.get("closed_at")), early=data.get("early", False))


def election_body(election: Election) -> dict[str, Any]:
    """Everything of the election its columns do not hold, as JSON."""
    return {
        "previous_lead": election.previous_lead,
        "voters": list(election.voters),
        "stand_until": _when(election.stand_until),
        "policy": vote_policy_to_json(election.policy),
        "candidacies": [{"person": c.person, "stands": c.stands, "at": _when(c.at)} for c in election.candidacies],
        "stand_reminders_sent": election.stand_reminders_sent,
        "polls": [_poll_to_json(poll) for poll in election.polls],
        "failure": election.failure.value if election.failure else None,
        "change": _change_to_json(election.change) if election.change else None,
    }


def election_values(election: Election) -> dict[str, Any]:
    """The `elections` row's columns (without its id)."""
    return {"phase": election.phase.value, "vacancy": election.vacancy.value,
            "open_key": OPEN_KEY if election.is_open else None, "opened_by": election.opened_by,
            "opened_at": election.opened_at, "closed_at": election.closed_at, "winner": election.winner,
            "body": election_body(election)}


def summary(election: Election) -> str:
    """The `tickets` row's text: what a list of every `#N` shows of it."""
    return f"elect the lead ({election.vacancy.value.replace('_', ' ')})"


def number_values(election: Election) -> dict[str, Any]:
    """The election's `tickets` row: what the sweeper and the `#N` series need of it."""
    return {"kind": ELECTION, "area": None, "asker": election.opened_by, "text": summary(election),
            "state": election.phase.value, "level": election.level, "policy": {}, "created_at": election.opened_at,
            "level_started_at": election.opened_at, "next_due_at": election.next_due_at}


def election_from_rows(row: Any, next_due_at: datetime | None) -> Election:
    """The election from its `elections` row and its `tickets` row's `next_due_at`."""
    body = row.body
    return Election(
        vacancy=Vacancy(row.vacancy), previous_lead=body.get("previous_lead"), opened_by=row.opened_by,
        opened_at=row.opened_at, voters=tuple(body["voters"]), stand_until=_moment(body["stand_until"]),
        policy=vote_policy_from_json(body["policy"]), phase=Phase(row.phase),
        candidacies=tuple(Candidacy(item["person"], item["stands"], _moment(item["at"]))
                          for item in body.get("candidacies", ())),
        stand_reminders_sent=body.get("stand_reminders_sent", 0),
        polls=tuple(_poll_from_json(item) for item in body.get("polls", ())), winner=row.winner,
        closed_at=row.closed_at, failure=Failure(body["failure"]) if body.get("failure") else None,
        change=_change_from_json(body["change"]) if body.get("change") else None, number=row.id,
        next_due_at=next_due_at)
