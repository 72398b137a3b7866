"""One outbox message's Slack calls: paced to Slack's limits, and each post made once across attempts.

A message may need several calls (a ping to four people's DMs, an escalation and its note in the
ping's thread). Before each call, `SlackPacing` says whether its conversation's and its method's
budget allow it; when they do not — or when Slack answers 429 anyway — the message is put back for
that long (`DeliveryFailed(deferred=True)`), which is not a failed attempt. Every post that went is
remembered in `progress` (kept on the outbox row with the copies it made), so the next attempt skips
it: a message held up after two of four DMs sends the other two, not four. Updates (`chat.update`)
are not remembered: sending one again shows the same thing.
"""

from __future__ import annotations

import logging
from collections import Counter
from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.services.notifier import Copy, Delivered, DeliveryFailed
from bot.services.pacing import POST, SlackPacing

log = logging.getLogger(__name__)

# Errors that mean one kept copy of a ticket is gone (deleted, or its channel is): stop updating it.
GONE = {"message_not_found", "cant_update_message", "channel_not_found", "is_archived", "not_in_channel"}


class SlackDirectory:
    """What does not change while Upline runs, asked of Slack once: each person's DM channel, the
    workspace's address (permalinks are built from it instead of one `chat.getPermalink` each)."""

    def __init__(self) -> None:
        self.dm_channels: dict[str, str] = {}  # Slack user ID -> their DM channel with the bot
        self.team_url: str | None = None


class Attempt:
    """The calls of one delivery attempt of one message; `delivered()` is what it left in Slack."""

    def __init__(self, client: AsyncWebClient, pacing: SlackPacing, directory: SlackDirectory,
                 progress: dict[str, Any]):
        self.client, self.pacing, self.directory = client, pacing, directory
        self.progress = dict(progress)
        self.posted: list[Copy] = []
        self.changed: list[tuple[int, dict[str, Any]]] = []
        self._seen: Counter[tuple[str, str]] = Counter()

    def delivered(self) -> Delivered:
        return Delivered(posted=tuple(self.posted), changed=tuple(self.changed))

    async def post(self, channel: str, text: str, *, thread_ts: str | None = None, **params) -> tuple[str, str]:
        """Post once (a repeat attempt skips a post that went); returns where it went: (channel, ts)."""
        self._seen[channel, thread_ts or ""] += 1
        step = f"post:{channel}:{thread_ts or ''}:{self._seen[channel, thread_ts or '']}"
        if step in self.progress:
            return tuple(self.progress[step])
        response = await self._call(POST, channel, self.client.chat_postMessage, channel=channel, text=text,
                                    thread_ts=thread_ts, **params)
        self.progress[step] = [response["channel"], response["ts"]]
        return response["channel"], response["ts"]

    async def update(self, channel: str, ts: str, text: str, blocks: list[dict]) -> bool:
        """Update a message in place; False when Slack says it is gone for good."""
        try:
            await self._call("chat.update", None, self.client.chat_update, channel=channel, ts=ts, text=text,
                             blocks=blocks)
        except SlackApiError as error:
            if error.response.status_code < 500 and _code(error) in GONE:
                log.warning("message %s in %s is gone (%s): no longer updated", ts, channel, _code(error))
                return False
            raise
        return True

    async def dm_channel(self, user: str) -> str:
        if user not in self.directory.dm_channels:
            opened = await self._call("conversations.open", None, self.client.conversations_open, users=user)
            self.directory.dm_channels[user] = opened["channel"]["id"]
        return self.directory.dm_channels[user]

    async def permalink(self, channel: str | None, ts: str | None) -> str | None:
        """A link to a message, as Slack writes it: the workspace's address, /archives/C…/p<ts>."""
        if channel is None or ts is None:
            return None
        if self.directory.team_url is None:
            self.directory.team_url = (await self._call("auth.test", None, self.client.auth_test))["url"]
        return f"{self.directory.team_url.rstrip('/')}/archives/{channel}/p{ts.replace('.', '')}"

    async def _call(self, method: str, paced_by: str | None, call, /, **params) -> Any:
        """`call(**params)`, once the budget of `method` (and of the conversation `paced_by`) allows."""
        channel = paced_by
        wait = self.pacing.wait(method, channel)
        if wait > 0:
            raise DeliveryFailed(f"{method} paced for {wait:.1f} s", retry_after=wait, deferred=True)
        try:
            return await call(**{name: value for name, value in params.items() if value is not None})
        except SlackApiError as error:
            if error.response.status_code == 429:  # back-pressure: that bucket waits, nothing else does
                retry_after = float(error.response.headers.get("retry-after")
                                    or error.response.headers.get("Retry-After") or 1)
                self.pacing.hold(method, channel, retry_after)
                raise DeliveryFailed(f"{method} rate limited by Slack", retry_after=retry_after,
                                     deferred=True) from error
            raise


def _code(error: SlackApiError) -> str | None:
    return error.response.get("error") if isinstance(error.response.data, dict) else None
