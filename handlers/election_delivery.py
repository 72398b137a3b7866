"""Delivering an election's messages (`election.*` outbox rows), each rendered from the election as it is
when it goes out; its message is kept (`Copy`, role `election`) and updated in place at every change
(`election.refresh`).

Where things go:
- opened: the election's message (Stand, Not standing) in the core's channel, else a DM to each voter;
- stand_reminder, vote_reminder: in the message's thread, mentioning only those who must still act;
- ballot: the message updated (Rank the candidates), and "the ballot is open" in its thread, mentioning
  the voters;
- elected: the message updated, and the public record in `decisions.channel`, else the core's channel,
  linking the message;
- failed: the message updated, and why in its thread;
- refresh: every kept copy whose rendering changed.
A note for a voter whose copy is in their DM goes in that DM's thread; where no copy is kept (none was
posted yet), in the core's channel, else by DM.
"""

from __future__ import annotations

from collections.abc import Callable

from bot.config.decisions import decision_settings
from bot.config.schema import Config
from bot.domain.election_record import Election, Phase
from bot.services.notifier import Copy, DeliveryFailed, OutboxMessage
from handlers.decision_copies import live
from handlers.kept_copies import KeptCopies
from handlers.slack_calls import Attempt
from handlers.views import election_notes as notes
from handlers.views.election import message_blocks, message_text

ELECTION = "election."  # the prefix of every outbox kind this module delivers
ROLE = "election"


class ElectionNotifier(KeptCopies):
    def __init__(self, config: Config, unit_of_work: Callable):
        self.config = config
        self._unit_of_work = unit_of_work
        self._render = {"opened": self._opened, "stand_reminder": self._reminder, "vote_reminder": self._reminder,
                        "ballot": self._ballot, "elected": self._elected, "failed": self._failed,
                        "refresh": self._refresh}

    def lane(self, message: OutboxMessage) -> str:
        """The conversation the row mostly posts to; refreshes share chat.update's budget."""
        kind, to = message.kind.removeprefix(ELECTION), message.payload.get("to") or []
        if kind == "refresh":
            return "chat.update"
        if kind == "elected":
            return self._record_channel() or f"election:{message.ticket_id}"
        return self.config.core.channel or (f"dm:{to[0]}" if to else f"election:{message.ticket_id}")

    async def deliver(self, attempt: Attempt, message: OutboxMessage) -> None:
        """Do what one `election.*` row says, through `attempt` (its posts and copies are the attempt's)."""
        render = self._render.get(message.kind.removeprefix(ELECTION))
        if render is None:
            raise DeliveryFailed(f"no way to deliver a {message.kind!r} message", permanent=True)
        number = message.payload.get("election", message.ticket_id)
        with self._unit_of_work(read_only=True) as uow:
            election = uow.elections.get(number)
            copies = uow.copies.for_ticket(number) if election is not None else []
        if election is None:
            raise DeliveryFailed(f"election {number} does not exist", permanent=True)
        await render(attempt, election, live([copy for copy in copies if copy.role == ROLE]), message)

    # -- the message ---------------------------------------------------------------------------------

    async def _opened(self, attempt: Attempt, election: Election, copies: list[Copy], message: OutboxMessage) -> None:
        text, blocks = message_text(self.config, election), message_blocks(self.config, election)
        if self.config.core.channel:
            await self._post(attempt, self.config.core.channel, text, blocks, ROLE, {})
            return
        for person, dm in await self._dm_channels(attempt, message.payload.get("to", ()) or election.voters):
            await self._post(attempt, dm, text, blocks, ROLE, {"person": person})

    async def _refresh(self, attempt: Attempt, election: Election, copies: list[Copy],
                       message: OutboxMessage) -> None:
        shown = message_text(self.config, election), message_blocks(self.config, election)
        for copy in copies:
            await self._update(attempt, copy, shown)

    # -- in its thread -------------------------------------------------------------------------------

    async def _reminder(self, attempt: Attempt, election: Election, copies: list[Copy],
                        message: OutboxMessage) -> None:
        standing = message.kind.endswith("stand_reminder")
        if election.phase is not (Phase.STANDING if standing else Phase.VOTING):
            return  # the phase ended before the reminder went out
        waiting = election.unanswered if standing else election.not_voted
        people = tuple(person for person in message.payload.get("to", ()) if person in waiting)
        say = notes.stand_reminder if standing else notes.vote_reminder
        await self._in_thread(attempt, copies, people, lambda them: say(self.config, election, them))

    async def _ballot(self, attempt: Attempt, election: Election, copies: list[Copy], message: OutboxMessage) -> None:
        await self._refresh(attempt, election, copies, message)
        if election.phase is not Phase.VOTING:
            return  # everyone ranked (or the deadline passed) before this went out: the message says how it ended
        people = tuple(message.payload.get("to", ()) or election.voters)
        await self._in_thread(attempt, copies, people, lambda them: notes.ballot(self.config, election, them))

    async def _failed(self, attempt: Attempt, election: Election, copies: list[Copy], message: OutboxMessage) -> None:
        await self._refresh(attempt, election, copies, message)
        people = tuple(message.payload.get("to", ()) or election.voters)
        await self._in_thread(attempt, copies, people, lambda them: notes.failed(self.config, election, them))

    async def _in_thread(self, attempt: Attempt, copies: list[Copy], people: tuple[str, ...],
                         say: Callable[[tuple[str, ...]], str]) -> None:
        """`say(people)` in the thread of the message where they read it; nothing when nobody is to be told."""
        if not people:
            return
        shared = next((copy for copy in copies if "person" not in copy.data), None)
        if shared is not None:
            await attempt.post(shared.channel, say(people), thread_ts=shared.ts)
            return
        threads = {copy.data["person"]: copy for copy in copies}
        for person in people:
            copy = threads.get(person)
            if copy is not None:
                await attempt.post(copy.channel, say((person,)), thread_ts=copy.ts)
        rest = tuple(person for person in people if person not in threads)
        if rest and self.config.core.channel:
            await attempt.post(self.config.core.channel, say(rest))
        elif rest:
            for person, dm in await self._dm_channels(attempt, rest):
                await attempt.post(dm, say((person,)))

    # -- the record ----------------------------------------------------------------------------------

    async def _elected(self, attempt: Attempt, election: Election, copies: list[Copy],
                       message: OutboxMessage) -> None:
        await self._refresh(attempt, election, copies, message)
        shared = next((copy for copy in copies if "person" not in copy.data), None)
        link = await attempt.permalink(shared.channel, shared.ts) if shared else None
        text, blocks = notes.record(self.config, election, link)
        channel = self._record_channel()
        targets = [channel] if channel else [dm for _, dm in await self._dm_channels(attempt, election.voters)]
        for target in targets:
            await attempt.post(target, text, blocks=blocks, unfurl_links=False)

    def _record_channel(self) -> str | None:
        return decision_settings(self.config).channel or self.config.core.channel
