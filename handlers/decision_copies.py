"""Where a decision's messages go and what each kept copy shows now, read from the decision and the
copies already posted (pure: no Slack calls; handlers/decision_delivery.py makes them).

The copies a decision keeps, by role: `vote` (one per round per channel, or per voter's DM: data
`round`, `level`, `person`), `note` (a thread note offering Write the rationale: `kind`, `round`,
`to`), `lead` (the lead's DM: `round`, `reminder`), `dispute` and `disputer` (`dispute`: its index),
`published` (the public record: `link` to the vote, the `headline` it announced). Each also keeps
`shown`, a digest of what it shows, so that a refresh updates only the copies whose rendering changed.
"""

from __future__ import annotations

import hashlib
import json

from bot.config.schema import Config
from bot.domain.decision_record import Decision
from bot.services.notifier import Copy
from handlers.views import decision_record, dispute, vote

Rendered = tuple[str, list[dict]]
Place = tuple[str, str | None, tuple[str, ...], dict]  # channel, thread (None: top level), for whom, copy data


def digest(text: str, blocks: list[dict]) -> str:
    """A short fingerprint of a rendering: an unchanged copy needs no chat.update."""
    return hashlib.blake2s(json.dumps([text, blocks], sort_keys=True).encode(), digest_size=8).hexdigest()


def channel_of(config: Config, level: str) -> str | None:
    """The channel where the people of `level` read (the core's, an area's); None: DM each."""
    if level == "core":
        return config.core.channel
    area = config.area(level.removeprefix("area:")) if level.startswith("area:") else None
    return area.channel if area else None


def record_channels(config: Config, decision: Decision) -> list[str]:
    """Where the public record goes: `decisions.channel`, else the area's channel and the core's."""
    if decision.policy.channel:
        return [decision.policy.channel]
    area = config.area(decision.area) if decision.area else None
    return list(dict.fromkeys(c for c in (area.channel if area else None, config.core.channel) if c))


def round_of(decision: Decision, data: dict, level: str) -> int:
    """The round a notice is about: the one that closes when it says, else the newest at its level."""
    rounds = decision.rounds
    if "closes_at" in data:
        found = [i for i, r in enumerate(rounds) if r.closes_at and r.closes_at.isoformat() == data["closes_at"]]
        if found:
            return found[-1]
    at_level = [i for i, r in enumerate(rounds) if r.level == data.get("deciding_level", level)]
    return at_level[-1] if at_level else len(rounds) - 1


def vote_threads(copies: list[Copy], index: int, people: tuple[str, ...]) -> tuple[list[Place], list[str]]:
    """(threads to post in, people left without one) for a note to `people` about round `index`: the
    newest vote message's thread in a channel, else each one's own DM's thread."""
    votes = [copy for copy in reversed(copies) if copy.role == "vote" and copy.data.get("round") == index]
    shared = next((copy for copy in votes if "person" not in copy.data), None)
    if shared is not None:
        return [(shared.channel, shared.ts, people, {})], []
    places, rest = [], []
    for person in people:
        own = next((copy for copy in votes if copy.data.get("person") == person), None)
        if own is None:
            rest.append(person)
        else:
            places.append((own.channel, own.ts, (person,), {"person": person}))
    return places, rest


def channel_vote(copies: list[Copy]) -> Copy | None:
    """The newest vote message in a channel, for links (a DM is nobody else's to open)."""
    return next((copy for copy in reversed(copies) if copy.role == "vote" and "person" not in copy.data), None)


def live(copies: list[Copy]) -> list[Copy]:
    """The copies still updated: stored, and not gone from Slack."""
    return [copy for copy in copies if not copy.data.get("gone") and copy.id is not None]


def newest_records(copies: list[Copy]) -> dict[str, Copy]:
    """The newest public record in each channel where there are several (the earlier ones point to it)."""
    records = [copy for copy in live(copies) if copy.role == "published"]
    newest = {copy.channel: copy for copy in records}
    return {channel: copy for channel, copy in newest.items()
            if sum(record.channel == channel for record in records) > 1}


def rendered(config: Config, decision: Decision, copy: Copy, copies: list[Copy],
             newest: dict[str, tuple[Copy, str | None]]) -> Rendered | None:
    """What `copy` shows now (None: a copy of nothing this code draws). `newest`: each channel's newest
    record, with its link, where there are several."""
    data = copy.data
    index = data.get("round", data.get("dispute", 0))
    if index >= len(decision.disputes if "dispute" in data else decision.rounds):
        return None
    if copy.role == "vote":
        return vote.vote_text(config, decision, index), vote.vote_blocks(config, decision, index)
    if copy.role == "note":
        return vote.note(config, decision, data["kind"], index, tuple(data["to"]), data.get("link"))
    if copy.role == "lead":
        reminder = bool(data.get("reminder"))
        return (decision_record.lead_text(config, decision, index, reminder=reminder),
                decision_record.lead_blocks(config, decision, index, reminder=reminder))
    if copy.role == "dispute":
        return dispute.dispute_post(config, decision, index, tuple(data["to"]))
    if copy.role == "disputer":  # only the newest DM about a dispute says where it stands, with Escalate to core
        mine = [c for c in copies if c.role == "disputer" and c.data.get("dispute") == index]
        return dispute.disputer_dm(config, decision, index, newest=mine[-1].id == copy.id)
    if copy.role == "published":
        text = decision_record.record_text(config, decision)
        latest, link = newest.get(copy.channel, (copy, None))
        if latest.id != copy.id:  # an earlier record: what it announced, pointing to the record now
            return text, decision_record.superseded_blocks(config, decision, data.get("headline", ""), link,
                                                           data.get("link"))
        return text, decision_record.record_blocks(config, decision, data.get("link"))
    return None
