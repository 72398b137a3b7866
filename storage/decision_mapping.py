"""Converting between the domain's `Decision` and its rows: the decision's `tickets` row (number, state,
level, deadline), its `decisions` row (the rest, as JSON) and its `ballots`.

A decision must come back exactly as it went in: its policy copy (durations as seconds), every round
with its voters and result, its disputes and vetoes. Keys missing from an older body take the
dataclasses' defaults, so adding a field never needs a data migration.
"""

from __future__ import annotations

from dataclasses import fields
from datetime import datetime
from typing import Any

from bot.domain.decision_policy import DecisionSettings, Rule, VotePolicy
from bot.domain.decision_record import Decision, Dispute, Kind, Purpose, Round, State, Veto
from bot.domain.tally import Ballot, Choice, Result
from storage.mapping import duration, seconds

DECISION = "decision"  # the `kind` of a decision's row in `tickets`


def _when(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def _moment(value: str | None) -> datetime | None:
    return None if value is None else datetime.fromisoformat(value)


def vote_policy_to_json(policy: VotePolicy) -> dict[str, Any]:
    return {"rule": policy.rule.value, "quorum": policy.quorum, "duration": seconds(policy.duration),
            "rationale_within": seconds(policy.rationale_within), "veto_window": seconds(policy.veto_window),
            "reminders": list(policy.reminders)}


def vote_policy_from_json(data: dict[str, Any]) -> VotePolicy:
    defaults = VotePolicy()
    return VotePolicy(
        rule=Rule(data.get("rule", defaults.rule)), quorum=float(data.get("quorum", defaults.quorum)),
        duration=duration(data.get("duration")) or defaults.duration,
        rationale_within=duration(data.get("rationale_within")) or defaults.rationale_within,
        veto_window=duration(data.get("veto_window")) or defaults.veto_window,
        reminders=tuple(data.get("reminders", defaults.reminders)))


def _round_to_json(vote: Round) -> dict[str, Any]:
    return {"level": vote.level, "purpose": vote.purpose.value, "voters": list(vote.voters),
            "policy": vote_policy_to_json(vote.policy), "opened_at": _when(vote.opened_at),
            "closes_at": _when(vote.closes_at), "recused": list(vote.recused), "reminders_sent": vote.reminders_sent,
            "closed_at": _when(vote.closed_at), "result": vote.result.value if vote.result else None,
            "early": vote.early, "rationale": vote.rationale, "rationale_by": vote.rationale_by,
            "rationale_at": _when(vote.rationale_at)}


def _round_from_json(data: dict[str, Any], ballots: tuple[Ballot, ...]) -> Round:
    return Round(
        level=data["level"], purpose=Purpose(data["purpose"]), voters=tuple(data["voters"]),
        policy=vote_policy_from_json(data["policy"]), opened_at=_moment(data["opened_at"]),
        closes_at=_moment(data.get("closes_at")), ballots=ballots, recused=tuple(data.get("recused", ())),
        reminders_sent=data.get("reminders_sent", 0), closed_at=_moment(data.get("closed_at")),
        result=Result(data["result"]) if data.get("result") else None, early=data.get("early", False),
        rationale=data.get("rationale"), rationale_by=data.get("rationale_by"),
        rationale_at=_moment(data.get("rationale_at")))


def _plain_to_json(item: Dispute | Veto) -> dict[str, Any]:
    return {f.name: _when(value) if isinstance(value := getattr(item, f.name), datetime) else value
            for f in fields(item)}


def _dispute_from_json(data: dict[str, Any]) -> Dispute:
    return Dispute(**{**data, "at": _moment(data["at"]), "answer_due_at": _moment(data["answer_due_at"])})


def _veto_from_json(data: dict[str, Any]) -> Veto:
    return Veto(**{**data, "at": _moment(data["at"])})


def decision_body(decision: Decision) -> dict[str, Any]:
    """Everything of the decision but its number and ballots, as JSON."""
    return {
        "caller": decision.caller,
        "policy": {"vote": vote_policy_to_json(decision.policy.vote), "core": vote_policy_to_json(decision.policy.core),
                   "channel": decision.policy.channel},
        "rounds": [_round_to_json(vote) for vote in decision.rounds],
        "rationale_due_at": _when(decision.rationale_due_at),
        "rationale_reminders_sent": decision.rationale_reminders_sent,
        "rationale_missing_told": decision.rationale_missing_told,
        "lead_remind_at": _when(decision.lead_remind_at),
        "settles_at": _when(decision.settles_at),
        "disputes": [_plain_to_json(item) for item in decision.disputes],
        "vetoes": [_plain_to_json(item) for item in decision.vetoes],
    }


def decision_values(decision: Decision) -> dict[str, Any]:
    """The `decisions` row's columns."""
    return {"kind": decision.kind.value, "area": decision.area, "state": decision.state.value,
            "outcome": decision.outcome.value if decision.outcome else None, "opened_at": decision.opened_at,
            "published_at": decision.published_at, "ticket_id": decision.ticket, "body": decision_body(decision)}


def number_values(decision: Decision) -> dict[str, Any]:
    """The decision's `tickets` row: what the sweeper and the `#N` series need of it."""
    return {"kind": DECISION, "area": decision.area, "asker": decision.caller, "text": decision.proposal,
            "state": decision.state.value, "level": decision.level, "policy": {}, "created_at": decision.opened_at,
            "level_started_at": decision.current.opened_at if decision.rounds else decision.opened_at,
            "next_due_at": decision.next_due_at}


def ballot_rows(decision: Decision) -> list[dict[str, Any]]:
    return [{"decision_id": decision.number, "round": index, "voter": ballot.voter, "choice": ballot.choice.value,
             "cast_at": ballot.at, "position": position}
            for index, vote in enumerate(decision.rounds) for position, ballot in enumerate(vote.ballots)]


def decision_from_rows(number: int, proposal: str, level: str, next_due_at: datetime | None, row: Any,
                       ballots: list[Any]) -> Decision:
    """The decision from its `tickets` columns, its `decisions` row and its ballot rows."""
    body = row.body
    by_round: dict[int, list[Any]] = {}
    for ballot in sorted(ballots, key=lambda item: (item.round, item.position)):
        by_round.setdefault(ballot.round, []).append(ballot)
    rounds = tuple(_round_from_json(data, tuple(Ballot(b.voter, Choice(b.choice), b.cast_at)
                                                for b in by_round.get(index, ())))
                   for index, data in enumerate(body["rounds"]))
    policy = body["policy"]
    return Decision(
        kind=Kind(row.kind), area=row.area, proposal=proposal, caller=body["caller"],
        policy=DecisionSettings(vote=vote_policy_from_json(policy["vote"]), core=vote_policy_from_json(policy["core"]),
                                channel=policy.get("channel")),
        opened_at=row.opened_at, level=level, state=State(row.state), rounds=rounds, number=number,
        ticket=row.ticket_id, outcome=Result(row.outcome) if row.outcome else None,
        rationale_due_at=_moment(body.get("rationale_due_at")),
        rationale_reminders_sent=body.get("rationale_reminders_sent", 0),
        rationale_missing_told=body.get("rationale_missing_told", False),
        lead_remind_at=_moment(body.get("lead_remind_at")), published_at=row.published_at,
        settles_at=_moment(body.get("settles_at")),
        disputes=tuple(_dispute_from_json(item) for item in body.get("disputes", ())),
        vetoes=tuple(_veto_from_json(item) for item in body.get("vetoes", ())),
        next_due_at=next_due_at)
