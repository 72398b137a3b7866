"""The Slack `Notifier`: turns outbox rows into Web API calls, reading the ticket as it is now.

Rows are rendered at delivery time, not when they were written, so a ping delivered late already
shows the latest state. Where things go:
- the ping: the area's channel, else a DM to each person of the rung; later changes update it in place;
- reminders, replies and reopenings: the ping's thread, mentioning the rung;
- a climb to a parent area or core: that rung's channel, else DMs; to the lead: a DM;
- anything for the asker: a DM.
Slack's answer decides what happens to the row: 429 and 5xx are retried (after `Retry-After`), an
error that retrying cannot fix (a channel that does not exist) parks it.

Delivery runs on the event loop that serves Slack's requests, through one kept-alive HTTP session:
waiting for Slack costs no thread, and a delivery cannot hold the interpreter while a request waits.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

import aiohttp
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.http_retry.builtin_async_handlers import AsyncConnectionErrorRetryHandler
from slack_sdk.web.async_client import AsyncWebClient

from bot.config.schema import Config
from bot.domain.ladder import ladder_for
from bot.domain.ticket import Ticket
from bot.services.notifier import DeliveryFailed, OutboxMessage, SlackRefs
from handlers.views import asker_notes
from handlers.views.escalation import escalation_blocks
from handlers.views.ping import ping_blocks, ping_text, title
from handlers.views.text import chunks, level_label, mentions, slack_id, when

log = logging.getLogger(__name__)

# Errors a retry cannot fix: park the row (it stays visible) instead of retrying for hours.
PERMANENT = {"channel_not_found", "not_in_channel", "is_archived", "invalid_blocks", "msg_too_long",
             "no_text", "user_not_found", "cannot_dm_bot", "invalid_auth", "account_inactive",
             "message_not_found", "cant_update_message", "missing_scope", "not_authed"}


class SlackNotifier:
    def __init__(self, token: str | None, base_url: str, config: Config, unit_of_work: Callable, metrics=None):
        self._token, self._base_url = token, base_url
        self.client: AsyncWebClient | None = None  # made on the loop that delivers (its session belongs there)
        self.config = config
        self._unit_of_work = unit_of_work
        self._metrics = metrics
        self._dm_channel: dict[str, str] = {}  # user -> their DM channel: conversations.open answers the same
        self._render = {
            "ping": self._ping, "refresh": self._refresh, "reminder": self._in_thread,
            "replied": self._in_thread, "resolved": self._in_thread, "escalated": self._escalated,
            "resolve_breach": self._escalated, "assigned": self._assigned,
        }

    def _connect(self) -> AsyncWebClient:
        if self.client is None:
            # Its own session, kept alive: a new TCP connection per message cost more than the message.
            # Retries of 429/5xx are the outbox's (they may wait minutes); a dropped connection is retried once.
            self.client = AsyncWebClient(token=self._token, base_url=self._base_url, session=aiohttp.ClientSession(),
                                         retry_handlers=[AsyncConnectionErrorRetryHandler(max_retry_count=1)])
        return self.client

    async def close(self) -> None:
        """Close the HTTP session (on the loop that delivered)."""
        if self.client is not None:
            await self.client.session.close()
            self.client = None

    async def deliver(self, message: OutboxMessage, ticket: Ticket | None,
                      refs: SlackRefs | None) -> tuple[str, str] | None:
        """Deliver one row; a new ping returns its (channel, ts), which the ticket keeps for updates."""
        if ticket is None:
            raise DeliveryFailed(f"ticket {message.ticket_id} does not exist", permanent=True)
        self._connect()
        events = []
        if message.kind in ("escalated", "resolve_breach"):  # they show the history
            with self._unit_of_work(read_only=True) as uow:
                events = uow.events.for_ticket(ticket.id)
        to = tuple(message.payload.get("to", ()))
        try:
            if not to and message.kind != "refresh":
                await self._to_asker(ticket, message)
                return None
            return await self._render[message.kind](ticket, refs, message, events)
        except SlackApiError as error:
            raise self._failure(message, error) from error
        except SlackClientError as error:  # connection refused, timeout: try again later
            raise self._failure(message, error) from error
        except KeyError:
            raise DeliveryFailed(f"no way to deliver a {message.kind!r} message", permanent=True) from None

    # -- the ping and its thread ------------------------------------------------------------------

    async def _ping(self, ticket: Ticket, refs, message: OutboxMessage, events) -> tuple[str, str] | None:
        if refs and refs.ping_ts:  # a ping again (reopened): say so in the thread, refresh the message
            people = mentions(self.config, message.payload["to"])
            await self._thread_note(ticket, refs, f"#{ticket.id} was reopened — {people}")
            await self._refresh(ticket, refs, message, events)
            return None
        area = self.config.area(ticket.area) if ticket.area else None
        blocks = ping_blocks(self.config, ticket)
        text = ping_text(self.config, ticket)
        targets = [area.channel] if area and area.channel else await self._dm_channels(message.payload["to"])
        first = None
        for channel in targets:
            response = await self.client.chat_postMessage(channel=channel, text=text, blocks=blocks,
                                                          unfurl_links=False)
            first = first or (response["channel"], response["ts"])
        if first is None:
            return None
        if len(ticket.text) > 2800:  # the ping quotes the start; the whole question goes in its thread
            for part in chunks(ticket.text):
                await self.client.chat_postMessage(channel=first[0], thread_ts=first[1], text=part)
        return first

    async def _refresh(self, ticket: Ticket, refs, message: OutboxMessage, events) -> None:
        if refs and refs.ping_ts:
            await self.client.chat_update(channel=refs.ping_channel, ts=refs.ping_ts,
                                          text=ping_text(self.config, ticket), blocks=ping_blocks(self.config, ticket))

    async def _in_thread(self, ticket: Ticket, refs, message: OutboxMessage, events) -> None:
        people = mentions(self.config, message.payload["to"])
        data = message.payload.get("data", {})
        text = {
            "reminder": f"Reminder: #{ticket.id} still waits for an acknowledgement — {people}. "
                        f"Ack due {when(ticket.ack_due_at)}.",
            "replied": f"The asker replied on #{ticket.id} — {people}, the clocks run again.",
            "resolved": f"The asker closed #{ticket.id}. {people}",
        }[message.kind]
        if data.get("note"):
            text += f" Note: {data['note']}"
        if refs and refs.ping_ts:
            await self._thread_note(ticket, refs, text)
        else:
            await self._dm(message.payload["to"], text)

    async def _thread_note(self, ticket: Ticket, refs, text: str) -> None:
        await self.client.chat_postMessage(channel=refs.ping_channel, thread_ts=refs.ping_ts, text=text)

    # -- climbing the ladder -----------------------------------------------------------------------

    async def _escalated(self, ticket: Ticket, refs, message: OutboxMessage, events) -> None:
        level = message.payload["level"] if message.kind == "escalated" else "above"
        headline = (f"Escalated to the {level_label(self.config, level)}" if message.kind == "escalated"
                    else f"Not resolved in time — {title(ticket)} needs a decision")
        permalink = None
        if refs and refs.ping_ts:
            permalink = (await self.client.chat_getPermalink(channel=refs.ping_channel,
                                                             message_ts=refs.ping_ts))["permalink"]
        blocks = escalation_blocks(self.config, ticket, events, headline=headline, permalink=permalink)
        text = f"{headline}: {title(ticket)} — {mentions(self.config, message.payload['to'])}"
        for channel in await self._rung_channels(ticket, message.payload["to"]):
            await self.client.chat_postMessage(channel=channel, text=text, blocks=blocks, unfurl_links=False)
        if refs and refs.ping_ts and message.kind == "escalated":
            await self._thread_note(ticket, refs, f"#{ticket.id} moved up to the {level_label(self.config, level)}: "
                                            f"{mentions(self.config, message.payload['to'])}")

    async def _rung_channels(self, ticket: Ticket, people) -> list[str]:
        """The channel of the rung these people stand on (area or core), else a DM to each."""
        rung = next((rung for rung in ladder_for(self.config, ticket.area) if people and people[0] in rung.people),
                    None)
        if rung is not None and rung.level == "core" and self.config.core.channel:
            return [self.config.core.channel]
        if rung is not None and rung.level.startswith("area:"):
            area = self.config.area(rung.level.removeprefix("area:"))
            if area and area.channel:
                return [area.channel]
        return await self._dm_channels(people)

    async def _assigned(self, ticket: Ticket, refs, message: OutboxMessage, events) -> None:
        by = message.payload.get("data", {}).get("by")
        await self._dm(message.payload["to"], f"{mentions(self.config, [by]) if by else 'Someone'} handed "
                                        f"#{ticket.id} to you: {title(ticket)}.")

    # -- the asker ---------------------------------------------------------------------------------

    async def _to_asker(self, ticket: Ticket, message: OutboxMessage) -> None:
        text, blocks = asker_notes.note(self.config, ticket, message.kind, message.payload.get("data", {}),
                                        message.payload.get("level", ticket.level))
        channel = await self._dm_channels([ticket.asker])
        for target in channel:
            await self.client.chat_postMessage(channel=target, text=text, blocks=blocks)

    # -- plumbing ----------------------------------------------------------------------------------

    async def _dm(self, people, text: str) -> None:
        for channel in await self._dm_channels(people):
            await self.client.chat_postMessage(channel=channel, text=text)

    async def _dm_channels(self, people) -> list[str]:
        channels = []
        for person in people:
            user = slack_id(self.config, person)
            if user:
                if user not in self._dm_channel:
                    opened = await self.client.conversations_open(users=user)
                    self._dm_channel[user] = opened["channel"]["id"]
                channels.append(self._dm_channel[user])
        return channels

    def _failure(self, message: OutboxMessage, error: SlackClientError) -> DeliveryFailed:
        if self._metrics is not None:
            self._metrics.delivery_failures.labels(message.kind).inc()
        if isinstance(error, SlackApiError):
            response = error.response
            code = response.get("error") if isinstance(response.data, dict) else None
            retry_after = response.headers.get("retry-after") or response.headers.get("Retry-After")
            if response.status_code == 429:
                return DeliveryFailed("rate limited by Slack", retry_after=float(retry_after or 1))
            if response.status_code < 500 and code in PERMANENT:
                return DeliveryFailed(f"Slack refused it: {code}", permanent=True)
            return DeliveryFailed(f"Slack answered {response.status_code} {code or ''}".strip())
        return DeliveryFailed(f"cannot reach Slack: {error}")
