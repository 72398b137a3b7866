"""Delivering a decision's messages (`decision.*` outbox rows), each rendered from the decision as it
is when it goes out, posted where its people read, kept (`Copy`) and updated in place at every change.

Where things go:
- the vote: the voting group's channel (the area's, or the core's), else one DM per voter;
- reminders to vote, the result asking for the rationale, the rationale's reminders: the vote
  message's thread (each voter's own DM thread when the vote went by DM), mentioning whom they are for;
- the rationale overdue: the core's channel (else a DM to each of the core), or a DM to the lead;
- a decision reaching the lead: a DM with Approve and Reject, and each reminder another;
- a dispute: the deciding vote's thread, also sent to the channel, with Uphold and Revote; the
  disputer's DM with Escalate to core; the group's answer: another DM to the disputer;
- the public record: `decisions.channel`, else the area's channel and the core's, else a DM to each
  of the group that decided; a proposal or rationale too long for one message goes whole in its thread.
Every message that offers a button, and every vote and record, is kept; `decision.refresh` updates
each one whose rendering changed (a copy keeps a digest of what it shows), so a ballot updates the
live vote messages and leaves closed rounds, and messages nothing changed, alone.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from bot.config.decisions import decision_settings
from bot.config.schema import Config
from bot.domain.decision_record import Decision
from bot.services.notifier import Copy, DeliveryFailed, OutboxMessage
from handlers.decision_copies import (
    Place,
    channel_of,
    channel_vote,
    live,
    newest_records,
    record_channels,
    rendered,
    round_of,
    vote_threads,
)
from handlers.kept_copies import KeptCopies
from handlers.slack_calls import Attempt
from handlers.views import decision_record, dispute, vote
from handlers.views.text import chunks

DECISION = "decision."  # the prefix of every outbox kind this module delivers


@dataclass(frozen=True)
class Job:
    """One row to deliver, with the decision and its kept copies as they are now."""

    kind: str  # the notice's kind: "vote", "decided", …, "refresh"
    decision: Decision
    copies: list[Copy]
    message: OutboxMessage

    @property
    def to(self) -> tuple[str, ...]:
        return tuple(self.message.payload.get("to", ()))

    @property
    def level(self) -> str:
        return self.message.payload.get("level", "")

    @property
    def data(self) -> dict:
        return self.message.payload.get("data", {})

    @property
    def round(self) -> int:
        """The index of the round the notice is about."""
        return round_of(self.decision, self.data, self.level)


class DecisionNotifier(KeptCopies):
    def __init__(self, config: Config, unit_of_work: Callable):
        self.config = config
        self._unit_of_work = unit_of_work
        self._render = {
            "vote": self._vote, "vote_reminder": self._note, "decided": self._note, "rationale_reminder": self._note,
            "rationale_missing": self._missing, "lead_asked": self._lead, "lead_reminder": self._lead,
            "disputed": self._disputed, "dispute_answered": self._answered, "published": self._published,
            "refresh": self._refresh,
        }

    def lane(self, message: OutboxMessage) -> str:
        """The conversation the row mostly posts to; refreshes share chat.update's budget."""
        kind, payload = message.kind.removeprefix(DECISION), message.payload
        to, level = payload.get("to") or [], payload.get("level", "")
        if kind == "refresh":
            return "chat.update"
        if kind == "published":
            area = level.removeprefix("area:") if level.startswith("area:") else None
            channel = decision_settings(self.config, area).channel or channel_of(self.config, level)
            return channel or f"decision:{message.ticket_id}"
        if kind in ("lead_asked", "lead_reminder", "dispute_answered") or not channel_of(self.config, level):
            return f"dm:{to[0]}" if to else f"decision:{message.ticket_id}"
        return channel_of(self.config, level)

    async def deliver(self, attempt: Attempt, message: OutboxMessage) -> None:
        """Do what one `decision.*` row says, through `attempt` (its posts and copies are the attempt's)."""
        kind = message.kind.removeprefix(DECISION)
        render = self._render.get(kind)
        if render is None:
            raise DeliveryFailed(f"no way to deliver a {message.kind!r} message", permanent=True)
        number = message.payload.get("decision", message.ticket_id)
        with self._unit_of_work(read_only=True) as uow:
            decision = uow.decisions.get(number)
            copies = uow.copies.for_ticket(number) if decision is not None else []
        if decision is None:
            raise DeliveryFailed(f"decision {number} does not exist", permanent=True)
        await render(attempt, Job(kind, decision, copies, message))

    # -- the vote and its thread -------------------------------------------------------------------

    async def _vote(self, attempt: Attempt, job: Job) -> None:
        index, decision = job.round, job.decision
        text, blocks = vote.vote_text(self.config, decision, index), vote.vote_blocks(self.config, decision, index)
        level = decision.rounds[index].level
        channel = channel_of(self.config, level)
        targets = [(channel, {})] if channel else [
            (dm, {"person": person}) for person, dm in await self._dm_channels(attempt, job.to)]
        for target, extra in targets:
            where = await self._post(attempt, target, text, blocks, "vote", {"round": index, "level": level} | extra)
            if vote.proposal_cut(self.config, decision):  # the message quotes the start; the whole goes in its thread
                for part in chunks(decision.proposal):
                    await attempt.post(where[0], part, thread_ts=where[1])

    async def _note(self, attempt: Attempt, job: Job) -> None:
        index, decision = job.round, job.decision
        if job.kind == "vote_reminder" and decision.rounds[index].result is not None:
            return  # the vote closed before its reminder went out: nobody is left to remind
        for channel, thread, people, extra in await self._places(attempt, job.copies, index, job.level, job.to):
            text, blocks = vote.note(self.config, decision, job.kind, index, people)
            data = {"kind": job.kind, "round": index, "to": list(people)} | extra
            await self._post(attempt, channel, text, blocks, "note" if len(blocks) > 1 else None, data, thread)

    async def _missing(self, attempt: Attempt, job: Job) -> None:
        index, decision = job.round, job.decision
        link = await self._vote_link(attempt, job.copies)
        channel = channel_of(self.config, job.level) if job.level == "core" else None
        places = [(channel, job.to, {})] if channel else [
            (dm, (person,), {"person": person}) for person, dm in await self._dm_channels(attempt, job.to)]
        for target, people, extra in places:
            text, blocks = vote.note(self.config, decision, job.kind, index, people, link)
            data = {"kind": job.kind, "round": index, "to": list(people), "link": link} | extra
            await self._post(attempt, target, text, blocks, "note", data)

    # -- the lead, disputes, the record ------------------------------------------------------------

    async def _lead(self, attempt: Attempt, job: Job) -> None:
        index, decision = job.round, job.decision
        reminder = job.kind == "lead_reminder"
        if reminder and not decision_record.lead_offered(decision, index):
            return  # the lead decided before the reminder went out
        text = decision_record.lead_text(self.config, decision, index, reminder=reminder)
        blocks = decision_record.lead_blocks(self.config, decision, index, reminder=reminder)
        for person, dm in await self._dm_channels(attempt, job.to):
            await self._post(attempt, dm, text, blocks, "lead", {"round": index, "reminder": reminder,
                                                                 "person": person})

    async def _disputed(self, attempt: Attempt, job: Job) -> None:
        decision = job.decision
        index = next((i for i, d in enumerate(decision.disputes)
                      if d.answer_due_at.isoformat() == job.data.get("answer_due_at")), len(decision.disputes) - 1)
        deciding = next((i for i, r in enumerate(decision.rounds) if r is decision.deciding), len(decision.rounds) - 1)
        for channel, thread, people, extra in await self._places(attempt, job.copies, deciding, job.level, job.to):
            text, blocks = dispute.dispute_post(self.config, decision, index, people)
            data = {"dispute": index, "to": list(people), "level": job.level} | extra
            broadcast = thread is not None and "person" not in extra  # a dispute is for the whole channel to see
            await self._post(attempt, channel, text, blocks, "dispute", data, thread, reply_broadcast=broadcast)
        await self._to_disputer(attempt, job, index)

    async def _answered(self, attempt: Attempt, job: Job) -> None:
        answered = [i for i, d in enumerate(job.decision.disputes) if d.answer is not None]
        await self._to_disputer(attempt, job, answered[-1] if answered else len(job.decision.disputes) - 1)

    async def _to_disputer(self, attempt: Attempt, job: Job, index: int) -> None:
        text, blocks = dispute.disputer_dm(self.config, job.decision, index)
        for person, dm in await self._dm_channels(attempt, [job.decision.disputes[index].by]):
            await self._post(attempt, dm, text, blocks, "disputer", {"dispute": index, "person": person})

    async def _published(self, attempt: Attempt, job: Job) -> None:
        decision = job.decision
        link = await self._vote_link(attempt, job.copies)
        text, blocks = decision_record.record_text(self.config, decision), decision_record.record_blocks(
            self.config, decision, link)
        channels = record_channels(self.config, decision)
        targets = [(channel, {}) for channel in channels] or [
            (dm, {"person": person}) for person, dm in await self._dm_channels(attempt, decision.current.voters)]
        announced = decision_record.headline(decision)
        for target, extra in targets:
            where = await self._post(attempt, target, text, blocks, "published",
                                     {"link": link, "headline": announced} | extra)
            for rationale in decision_record.cut_rationales(self.config, decision):
                for part in chunks(rationale):
                    await attempt.post(where[0], part, thread_ts=where[1])

    # -- keeping copies current --------------------------------------------------------------------

    async def _refresh(self, attempt: Attempt, job: Job) -> None:
        """Update every kept copy whose rendering changed; a copy Slack says is gone is no longer updated."""
        newest = {channel: (copy, await attempt.permalink(copy.channel, copy.ts))
                  for channel, copy in newest_records(job.copies).items()}
        for copy in live(job.copies):
            await self._update(attempt, copy, rendered(self.config, job.decision, copy, job.copies, newest))

    # -- plumbing ----------------------------------------------------------------------------------

    async def _places(self, attempt: Attempt, copies: list[Copy], index: int, level: str,
                      people: tuple[str, ...]) -> list[Place]:
        """Where `people` read about round `index`: its vote message's thread (decision_copies.vote_threads);
        whoever has none, in the group's channel, else by DM."""
        places, rest = vote_threads(copies, index, people)
        if rest and (channel := channel_of(self.config, level)):
            return [*places, (channel, None, tuple(rest), {})]
        dms = await self._dm_channels(attempt, rest)
        return places + [(dm, None, (person,), {"person": person}) for person, dm in dms]

    async def _vote_link(self, attempt: Attempt, copies: list[Copy]) -> str | None:
        shared = channel_vote(copies)
        return await attempt.permalink(shared.channel, shared.ts) if shared else None
