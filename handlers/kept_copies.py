"""What the deliveries of decisions and nominations share: posting a message that is kept as a copy (with
a digest of what it shows), finding each person's DM with the bot, and updating a kept copy only when
its rendering changed (a copy Slack says is gone is marked so, and no longer updated)."""

from __future__ import annotations

from bot.config.schema import Config
from bot.services.notifier import Copy
from handlers.decision_copies import digest
from handlers.slack_calls import Attempt
from handlers.views.text import slack_id


class KeptCopies:
    """Mixed into a notifier that has `config`."""

    config: Config

    async def _post(self, attempt: Attempt, channel: str, text: str, blocks: list[dict], role: str | None,
                    data: dict, thread: str | None = None, **params) -> tuple[str, str]:
        """Post once; kept as a copy of `role` (None: not kept), with a digest of what it shows."""
        where = await attempt.post(channel, text, blocks=blocks, thread_ts=thread, unfurl_links=False, **params)
        if role is not None:
            attempt.posted.append(Copy(role, *where, data | {"shown": digest(text, blocks)}))
        return where

    async def _dm_channels(self, attempt: Attempt, people) -> list[tuple[str, str]]:
        """(person, their DM channel with the bot) for each person with a Slack ID, once each."""
        return [(person, await attempt.dm_channel(user)) for person in dict.fromkeys(people)
                if (user := slack_id(self.config, person))]

    @staticmethod
    async def _update(attempt: Attempt, copy: Copy, shown: tuple[str, list[dict]] | None) -> None:
        """Bring `copy` to `shown` (text, blocks) unless it already shows that."""
        if shown is None or copy.data.get("shown") == digest(*shown):
            return
        if await attempt.update(copy.channel, copy.ts, *shown):
            attempt.changed.append((copy.id, copy.data | {"shown": digest(*shown)}))
        else:
            attempt.changed.append((copy.id, copy.data | {"gone": True}))
