"""Delivering the weekly digests (`digest.core` and `digest.area` outbox rows), drawn from the content
the row carries — computed once when the digest fell due, so a retry or another replica posts the same.

Where they go: the core's digest to the core's channel, else a DM to each core maintainer and the lead;
an area's to its channel, else a DM to each of its maintainers. Not kept as copies: a digest is a
picture of one week, never updated.
"""

from __future__ import annotations

from collections.abc import Callable

from bot.config.schema import Config
from bot.services.notifier import DeliveryFailed, OutboxMessage
from handlers.kept_copies import KeptCopies
from handlers.slack_calls import Attempt
from handlers.views import digest as views

DIGEST = "digest."  # the prefix of every outbox kind this module delivers


class DigestNotifier(KeptCopies):
    def __init__(self, config: Config, unit_of_work: Callable):
        self.config = config
        self._unit_of_work = unit_of_work

    def lane(self, message: OutboxMessage) -> str:
        channel, people = self._places(message.payload)
        return channel or (f"dm:{people[0]}" if people else f"digest:{message.payload.get('scope')}")

    async def deliver(self, attempt: Attempt, message: OutboxMessage) -> None:
        content = message.payload
        if message.kind == "digest.core":
            text, blocks = views.core_digest(self.config, content)
        elif message.kind == "digest.area":
            text, blocks = views.area_digest(self.config, content)
        else:
            raise DeliveryFailed(f"no way to deliver a {message.kind!r} message", permanent=True)
        channel, people = self._places(content)
        if channel:
            await self._post(attempt, channel, text, blocks, None, {})
            return
        for _, dm in await self._dm_channels(attempt, people):
            await self._post(attempt, dm, text, blocks, None, {})

    def _places(self, content: dict) -> tuple[str | None, tuple[str, ...]]:
        """The channel to post in, else the people to DM."""
        scope = content.get("scope", "")
        if scope == "core":
            return self.config.core.channel, (*self.config.core.maintainers, self.config.lead)
        area = self.config.area(scope.removeprefix("area:"))
        if area is None:
            return None, ()
        return area.channel, tuple(area.maintainers)


__all__ = ["DIGEST", "DigestNotifier"]
