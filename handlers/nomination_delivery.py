"""Delivering a nomination's messages (`nomination.*` outbox rows), each rendered from the nomination as
it is when it goes out, posted where its people read; those with buttons are kept (`Copy`) and updated
in place at every change (`nomination.refresh`).

Where things go:
- nominated: a DM to the nominee (the nominators' acknowledgement is the command's reply);
- the review: its opening, then one message per nomination on the slate (`nomination.slate`, with Ask
  the maintainers, Desk-reject, Call the vote), in the core's channel, else a DM to each of the core;
- ask and its reminders: a DM to each asked maintainer, with the questions and Answer;
- answers in: to whoever decides — the core's channel (else DMs), or the lead by DM for the core's own
  membership;
- published: the public record in `decisions.channel`, else the core's channel, else DMs to the core;
- outcome: a DM to the nominee and to each nominator;
- lead vacant: the core's channel (else DMs), saying `/elect lead` may start.
Kept copies, by role: `slate` (data `person` when it went by DM) and `ask` (`person`, `reminder`); each
keeps `shown`, a digest of what it shows, so a refresh updates only those whose rendering changed.
"""

from __future__ import annotations

from collections.abc import Callable

from bot.config.decisions import decision_settings
from bot.config.schema import Config
from bot.domain.nomination_record import CORE, Nomination
from bot.services.notifier import Copy, DeliveryFailed, OutboxMessage
from handlers.decision_copies import live
from handlers.kept_copies import KeptCopies
from handlers.slack_calls import Attempt
from handlers.views import nomination as views
from handlers.views import nomination_notes as notes

NOMINATION = "nomination."  # the prefix of every outbox kind this module delivers
_DM_KINDS = ("nominated", "ask", "answer_reminder", "outcome")


class NominationNotifier(KeptCopies):
    def __init__(self, config: Config, unit_of_work: Callable):
        self.config = config
        self._unit_of_work = unit_of_work
        self._render = {
            "nominated": self._nominated, "slate": self._slate, "ask": self._ask, "answer_reminder": self._ask,
            "answers_in": self._answers_in, "published": self._published, "outcome": self._outcome,
            "lead_vacant": self._lead_vacant, "refresh": self._refresh,
        }

    def lane(self, message: OutboxMessage) -> str:
        """The conversation the row mostly posts to; refreshes share chat.update's budget."""
        kind, to = message.kind.removeprefix(NOMINATION), message.payload.get("to") or []
        fallback = f"dm:{to[0]}" if to else f"nomination:{message.ticket_id}"
        if kind == "refresh":
            return "chat.update"
        if kind in _DM_KINDS:
            return fallback
        if kind == "published":
            return self._record_channel(message.payload.get("level", "")) or fallback
        return self.config.core.channel or fallback

    async def deliver(self, attempt: Attempt, message: OutboxMessage) -> None:
        """Do what one `nomination.*` row says, through `attempt` (its posts and copies are the attempt's)."""
        kind = message.kind.removeprefix(NOMINATION)
        if kind == "review":  # about the slate, not one nomination
            await self._review(attempt, message)
            return
        render = self._render.get(kind)
        if render is None:
            raise DeliveryFailed(f"no way to deliver a {message.kind!r} message", permanent=True)
        number = message.payload.get("nomination", message.ticket_id)
        with self._unit_of_work(read_only=True) as uow:
            nomination = uow.nominations.get(number)
            copies = uow.copies.for_ticket(number) if nomination is not None else []
        if nomination is None:
            raise DeliveryFailed(f"nomination {number} does not exist", permanent=True)
        await render(attempt, nomination, copies, message)

    # -- the review and the slate ------------------------------------------------------------------

    async def _review(self, attempt: Attempt, message: OutboxMessage) -> None:
        to = tuple(message.payload.get("to", ()))
        text, blocks = notes.review(self.config, message.payload.get("data", {}), to, message.payload.get("slate", []))
        for target, _ in await self._core_places(attempt, to):
            await attempt.post(target, text, blocks=blocks, unfurl_links=False)

    async def _slate(self, attempt: Attempt, nomination: Nomination, copies: list[Copy],
                     message: OutboxMessage) -> None:
        text, blocks = views.slate_text(self.config, nomination), views.slate_blocks(self.config, nomination)
        for target, extra in await self._core_places(attempt, tuple(message.payload.get("to", ()))):
            await self._post(attempt, target, text, blocks, "slate", extra)

    # -- asking the maintainers ----------------------------------------------------------------------

    async def _ask(self, attempt: Attempt, nomination: Nomination, copies: list[Copy], message: OutboxMessage) -> None:
        reminder = message.kind.endswith("answer_reminder")
        for person, dm in await self._dm_channels(attempt, message.payload.get("to", ())):
            if reminder and not views.asked_of(nomination, person):
                continue  # answered (or closed) before the reminder went out
            text = views.ask_text(self.config, nomination, person, reminder=reminder)
            blocks = views.ask_blocks(self.config, nomination, person, reminder=reminder)
            await self._post(attempt, dm, text, blocks, "ask", {"person": person, "reminder": reminder})

    async def _answers_in(self, attempt: Attempt, nomination: Nomination, copies: list[Copy],
                          message: OutboxMessage) -> None:
        to = tuple(message.payload.get("to", ()))
        shared = next((c for c in reversed(copies) if c.role == "slate" and "person" not in c.data), None)
        link = await attempt.permalink(shared.channel, shared.ts) if shared else None
        text, blocks = notes.answers_in(self.config, nomination, to, link)
        lead_decides = nomination.target == CORE and not nomination.of_lead
        places = ([(dm, {}) for _, dm in await self._dm_channels(attempt, to)] if lead_decides
                  else await self._core_places(attempt, to))
        for target, _ in places:
            await attempt.post(target, text, blocks=blocks, unfurl_links=False)

    # -- the outcome -------------------------------------------------------------------------------

    async def _published(self, attempt: Attempt, nomination: Nomination, copies: list[Copy],
                         message: OutboxMessage) -> None:
        text, blocks = notes.published(self.config, nomination)
        channel = self._record_channel(nomination.level)
        targets = [channel] if channel else [dm for _, dm in await self._dm_channels(
            attempt, self.config.core.maintainers)]
        for target in targets:
            await attempt.post(target, text, blocks=blocks, unfurl_links=False)

    async def _outcome(self, attempt: Attempt, nomination: Nomination, copies: list[Copy],
                       message: OutboxMessage) -> None:
        for person, dm in await self._dm_channels(attempt, message.payload.get("to", ())):
            text, blocks = notes.outcome(self.config, nomination, person)
            await attempt.post(dm, text, blocks=blocks, unfurl_links=False)

    async def _nominated(self, attempt: Attempt, nomination: Nomination, copies: list[Copy],
                         message: OutboxMessage) -> None:
        text, blocks = notes.nominated(self.config, nomination, message.payload.get("data", {}))
        for _, dm in await self._dm_channels(attempt, message.payload.get("to", ())):
            await attempt.post(dm, text, blocks=blocks, unfurl_links=False)

    async def _lead_vacant(self, attempt: Attempt, nomination: Nomination, copies: list[Copy],
                           message: OutboxMessage) -> None:
        to = tuple(message.payload.get("to", ()))
        text, blocks = notes.lead_vacant(self.config, nomination, to, message.payload.get("data", {}))
        for target, _ in await self._core_places(attempt, to):
            await attempt.post(target, text, blocks=blocks, unfurl_links=False)

    # -- keeping copies current --------------------------------------------------------------------

    async def _refresh(self, attempt: Attempt, nomination: Nomination, copies: list[Copy],
                       message: OutboxMessage) -> None:
        """Update every kept copy whose rendering changed; a copy Slack says is gone is no longer updated."""
        for copy in live(copies):
            await self._update(attempt, copy, self._rendered(nomination, copy))

    def _rendered(self, nomination: Nomination, copy: Copy) -> tuple[str, list[dict]] | None:
        if copy.role == "slate":
            return views.slate_text(self.config, nomination), views.slate_blocks(self.config, nomination)
        if copy.role == "ask" and nomination.ask is not None:
            person, reminder = copy.data["person"], bool(copy.data.get("reminder"))
            return (views.ask_text(self.config, nomination, person, reminder=reminder),
                    views.ask_blocks(self.config, nomination, person, reminder=reminder))
        return None

    # -- plumbing ----------------------------------------------------------------------------------

    def _record_channel(self, level: str) -> str | None:
        area = level.removeprefix("area:") if level.startswith("area:") else None
        return decision_settings(self.config, area).channel or self.config.core.channel

    async def _core_places(self, attempt: Attempt, people: tuple[str, ...]) -> list[tuple[str, dict]]:
        """The core's channel, else one DM each (the copy data names whose DM it is)."""
        if self.config.core.channel:
            return [(self.config.core.channel, {})]
        return [(dm, {"person": person}) for person, dm in await self._dm_channels(attempt, people)]
