"""The Slack `Notifier`: turns outbox rows into Web API calls, reading the ticket as it is now.

Rows are rendered at delivery time, not when they were written, so a ping delivered late already
shows the latest state. Where things go:
- the ping: the area's channel, else a DM to each person of the rung;
- a climb to a parent area or core, or a resolve breach told to a rung: that rung's channel, else a
  DM to each of its people; to the lead: a DM;
- reminders, replies and reopenings: the thread of the newest post the rung got (its own post after a
  climb, else the ping), mentioning the rung's people; a DM for whoever has no such thread;
- anything for the asker: a DM, linking their thread or the ping.
Every message that shows the ticket with buttons — each ping, each rung's post, the asker's DMs with a
button — is kept (`Copy`), and every change updates each one in place (`refresh`), so no copy in any
channel or DM keeps offering what can no longer be done.
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
from bot.domain.ticket import Ticket
from bot.services.notifier import Copy, Delivered, DeliveryFailed, OutboxMessage, SlackRefs
from handlers.views import asker_notes
from handlers.views.asker_notes import link_text
from handlers.views.escalation import escalation_blocks
from handlers.views.ping import ping_blocks, ping_text, title
from handlers.views.text import chunks, escape, level_label, mentions, slack_id, when

log = logging.getLogger(__name__)

# Errors a retry cannot fix: park the row (it stays visible) instead of retrying for hours.
PERMANENT = {"channel_not_found", "not_in_channel", "is_archived", "invalid_blocks", "msg_too_long",
             "no_text", "user_not_found", "cannot_dm_bot", "invalid_auth", "account_inactive",
             "message_not_found", "cant_update_message", "missing_scope", "not_authed"}
# Errors that mean one kept copy of a ticket is gone (deleted, or its channel is): stop updating it.
GONE = {"message_not_found", "cant_update_message", "channel_not_found", "is_archived", "not_in_channel"}


class SlackNotifier:
    def __init__(self, token: str | None, base_url: str, config: Config, unit_of_work: Callable, metrics=None):
        self._token, self._base_url = token, base_url
        self.client: AsyncWebClient | None = None  # made on the loop that delivers (its session belongs there)
        self.config = config
        self._unit_of_work = unit_of_work
        self._metrics = metrics
        self._dm_channel: dict[str, str] = {}  # user -> their DM channel: conversations.open answers the same
        self._permalinks: dict[tuple[str, str], str] = {}  # (channel, ts) -> permalink: it never changes
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
                      refs: SlackRefs | None) -> Delivered | None:
        """Deliver one row; what it posted that shows the ticket comes back to be kept (see `Delivered`)."""
        if ticket is None:
            raise DeliveryFailed(f"ticket {message.ticket_id} does not exist", permanent=True)
        self._connect()
        refs = refs or SlackRefs(None, None, None, None)
        to = tuple(message.payload.get("to", ()))
        render = self._to_asker if not to and message.kind != "refresh" else self._render.get(message.kind)
        if render is None:
            raise DeliveryFailed(f"no way to deliver a {message.kind!r} message", permanent=True)
        try:
            return await render(ticket, refs, message)
        except SlackApiError as error:
            raise self._failure(message, error) from error
        except SlackClientError as error:  # connection refused, timeout: try again later
            raise self._failure(message, error) from error

    # -- the ping and its thread ------------------------------------------------------------------

    async def _ping(self, ticket: Ticket, refs: SlackRefs, message: OutboxMessage) -> Delivered | None:
        to, level = tuple(message.payload["to"]), message.payload.get("level", ticket.level)
        if refs.ping_ts:  # a ping again (reopened): say so where the rung reads, refresh every copy
            await self._note(ticket, refs, level, to, f"#{ticket.id} was reopened — {mentions(self.config, to)}")
            return await self._refresh(ticket, refs, message)
        area = self.config.area(ticket.area) if ticket.area else None
        data = {"to": list(to), "level": level}
        blocks, text = ping_blocks(self.config, ticket, to=to, level=level), ping_text(self.config, ticket, to)
        if area and area.channel:
            targets = [(area.channel, data)]
        else:  # no channel: one DM each, every one of them kept current
            targets = [(channel, data | {"person": person}) for person, channel in await self._dm_channels_of(to)]
        posted = []
        for channel, copy_data in targets:
            response = await self.client.chat_postMessage(channel=channel, text=text, blocks=blocks,
                                                          unfurl_links=False)
            posted.append(Copy("ping", response["channel"], response["ts"], copy_data))
        if posted and len(ticket.text) > 2800:  # the ping quotes the start; the whole question goes in its thread
            for part in chunks(ticket.text):
                await self.client.chat_postMessage(channel=posted[0].channel, thread_ts=posted[0].ts, text=part)
        return Delivered(posted=tuple(posted))

    async def _refresh(self, ticket: Ticket, refs: SlackRefs, message: OutboxMessage) -> Delivered:
        """Bring every copy of the ticket up to date in place: pings, rungs' posts, the asker's buttons."""
        copies = refs.copies
        if not copies and refs.ping_ts:  # a ticket pinged before copies were kept
            copies = (Copy("ping", refs.ping_channel, refs.ping_ts, {}),)
        events = self._events(ticket) if any(copy.role == "rung" for copy in copies) else []
        permalink = await self._ping_link(refs) if any(copy.role == "rung" for copy in copies) else None
        changed = []
        for copy in copies:
            if copy.data.get("gone"):
                continue
            if copy.role == "asker":
                rendered = self._asker_update(ticket, copy)
                if rendered is None:
                    continue
                changed.append((copy.id, copy.data | {"settled": True}))
                text, blocks = rendered
            elif copy.role == "rung":
                text, blocks = self._rung_text(ticket, copy.data), self._rung_blocks(ticket, copy.data, events,
                                                                                     permalink)
            else:
                to = tuple(copy.data["to"]) if "to" in copy.data else None
                text = ping_text(self.config, ticket, to)
                blocks = ping_blocks(self.config, ticket, to=to, level=copy.data.get("level"))
            if not await self._update(copy, text, blocks) and copy.id is not None:
                changed.append((copy.id, copy.data | {"gone": True}))
        return Delivered(changed=tuple(changed))

    async def _update(self, copy: Copy, text: str, blocks: list[dict]) -> bool:
        """Update one copy; False when Slack says it is gone for good (deleted, or its channel is)."""
        try:
            await self.client.chat_update(channel=copy.channel, ts=copy.ts, text=text, blocks=blocks)
        except SlackApiError as error:
            code = error.response.get("error") if isinstance(error.response.data, dict) else None
            if error.response.status_code < 500 and code in GONE:
                log.warning("copy %s of a ticket in %s is gone (%s): no longer updated", copy.ts, copy.channel, code)
                return False
            raise
        return True

    async def _in_thread(self, ticket: Ticket, refs: SlackRefs, message: OutboxMessage) -> None:
        to, level = tuple(message.payload["to"]), message.payload.get("level", ticket.level)
        people = mentions(self.config, to)
        data = message.payload.get("data", {})
        text = {
            "reminder": f"Reminder: #{ticket.id} still waits for an acknowledgement — {people}. "
                        f"Ack due {when(ticket.ack_due_at)}.",
            "replied": f"The asker replied on #{ticket.id} — {people}, the clocks run again.",
            "resolved": f"The asker closed #{ticket.id}. {people}",
        }[message.kind]
        if data.get("note"):
            text += f" Note: {escape(data['note'])}"
        await self._note(ticket, refs, level, to, text)

    async def _note(self, ticket: Ticket, refs: SlackRefs, level: str, people: tuple[str, ...], text: str) -> None:
        """Say `text` where the people of `level` read about this ticket: the thread of the newest post
        they got (their rung's post, else the ping), else a DM."""
        threads, rest = note_threads(refs, level, people)
        for channel, ts in threads:
            await self.client.chat_postMessage(channel=channel, thread_ts=ts, text=text)
        if rest:
            await self._dm(rest, text)

    # -- climbing the ladder -----------------------------------------------------------------------

    async def _escalated(self, ticket: Ticket, refs: SlackRefs, message: OutboxMessage) -> Delivered:
        to, level = tuple(message.payload["to"]), message.payload["level"]
        overdue = message.kind == "resolve_breach"
        headline = (f"Not resolved in time — {title(ticket)} needs a decision" if overdue
                    else f"Escalated to the {level_label(self.config, level)}")
        data = {"to": list(to), "level": level, "headline": headline, "why": "overdue" if overdue else "escalated"}
        posted = await self._post_to_rung(ticket, refs, data, self._rung_channel(level))
        if not overdue:  # the rung below reads in the ping's thread where its ticket went
            note = f"#{ticket.id} moved up to the {level_label(self.config, level)}: {mentions(self.config, to)}"
            for channel, ts in ping_threads(refs):
                await self.client.chat_postMessage(channel=channel, thread_ts=ts, text=note)
        return Delivered(posted=posted)

    async def _post_to_rung(self, ticket: Ticket, refs: SlackRefs, data: dict, channel: str | None) -> tuple[Copy, ...]:
        """Post the ticket for `data["to"]`: in `channel`, or (None) by DM to each; every post is kept."""
        blocks = self._rung_blocks(ticket, data, self._events(ticket), await self._ping_link(refs))
        text = self._rung_text(ticket, data)
        targets = [(channel, data)] if channel else [
            (dm, data | {"person": person}) for person, dm in await self._dm_channels_of(data["to"])]
        posted = []
        for target, copy_data in targets:
            response = await self.client.chat_postMessage(channel=target, text=text, blocks=blocks, unfurl_links=False)
            posted.append(Copy("rung", response["channel"], response["ts"], copy_data))
        return tuple(posted)

    def _rung_text(self, ticket: Ticket, data: dict) -> str:
        return f"{data.get('headline', title(ticket))}: {title(ticket)} — {mentions(self.config, data.get('to', ()))}"

    def _rung_blocks(self, ticket: Ticket, data: dict, events, permalink: str | None) -> list[dict]:
        return escalation_blocks(self.config, ticket, events, headline=data.get("headline", ""),
                                 to=tuple(data.get("to", ())), level=data.get("level"),
                                 why=data.get("why", "escalated"), permalink=permalink)

    def _rung_channel(self, level: str) -> str | None:
        """The channel where the people of `level` read (the core's, an area's); None: DM each."""
        if level == "core":
            return self.config.core.channel
        if level.startswith("area:"):
            area = self.config.area(level.removeprefix("area:"))
            return area.channel if area else None
        return None

    async def _assigned(self, ticket: Ticket, refs: SlackRefs, message: OutboxMessage) -> Delivered:
        """The person a ticket was handed to gets it by DM, with its history and buttons, kept current."""
        by = message.payload.get("data", {}).get("by")
        headline = f"Handed to you by {mentions(self.config, [by]) if by else 'someone'}"
        data = {"to": list(message.payload["to"]), "level": message.payload.get("level", ticket.level),
                "headline": headline, "why": "handed"}
        return Delivered(posted=await self._post_to_rung(ticket, refs, data, None))

    # -- the asker ---------------------------------------------------------------------------------

    async def _to_asker(self, ticket: Ticket, refs: SlackRefs, message: OutboxMessage) -> Delivered | None:
        thread = refs.thread_channel is not None and refs.thread_ts is not None
        if thread:
            permalink = await self._permalink(refs.thread_channel, refs.thread_ts)
        else:
            permalink = await self._ping_link(refs)
        data = {"kind": message.kind, "data": message.payload.get("data", {}),
                "level": message.payload.get("level", ticket.level), "link": link_text(permalink, thread=thread)}
        text, blocks = asker_notes.note(self.config, ticket, data["kind"], data["data"], data["level"],
                                        link=data["link"])
        posted = []
        for target in await self._dm_channels([ticket.asker]):
            response = await self.client.chat_postMessage(channel=target, text=text, blocks=blocks)
            if message.kind in asker_notes.WITH_BUTTON:  # kept, so the button goes once it no longer applies
                moment = asker_notes.moment_of(ticket, message.kind)
                posted.append(Copy("asker", response["channel"], response["ts"], data | {"moment": moment}))
        return Delivered(posted=tuple(posted)) if posted else None

    def _asker_update(self, ticket: Ticket, copy: Copy) -> tuple[str, list[dict]] | None:
        """The asker's DM without its button, once the button no longer applies; None while it does."""
        if copy.data.get("settled"):
            return None
        settled = asker_notes.why_settled(self.config, ticket, copy.data["kind"], copy.data.get("moment"))
        if settled is None:
            return None
        return asker_notes.note(self.config, ticket, copy.data["kind"], copy.data.get("data", {}),
                                copy.data.get("level", ticket.level), link=copy.data.get("link"), settled=settled)

    # -- plumbing ----------------------------------------------------------------------------------

    def _events(self, ticket: Ticket) -> list:
        with self._unit_of_work(read_only=True) as uow:
            return uow.events.for_ticket(ticket.id)

    async def _ping_link(self, refs: SlackRefs) -> str | None:
        """A link to the ping in its channel (a DM ping is nobody else's to open)."""
        channel_pings = [copy for copy in refs.copies if copy.role == "ping" and "person" not in copy.data]
        if channel_pings:
            return await self._permalink(channel_pings[0].channel, channel_pings[0].ts)
        if refs.ping_ts and not refs.copies:  # a ticket pinged before copies were kept
            return await self._permalink(refs.ping_channel, refs.ping_ts)
        return None

    async def _permalink(self, channel: str | None, ts: str | None) -> str | None:
        if channel is None or ts is None:
            return None
        if (channel, ts) not in self._permalinks:  # a message's permalink never changes
            try:
                response = await self.client.chat_getPermalink(channel=channel, message_ts=ts)
            except SlackApiError as error:
                code = error.response.get("error") if isinstance(error.response.data, dict) else None
                if error.response.status_code < 500 and code in GONE:
                    return None  # the message or channel is gone: say it without a link
                raise
            self._permalinks[channel, ts] = response["permalink"]
        return self._permalinks[channel, ts]

    async def _dm(self, people, text: str) -> None:
        for channel in await self._dm_channels(people):
            await self.client.chat_postMessage(channel=channel, text=text)

    async def _dm_channels(self, people) -> list[str]:
        return [channel for _, channel in await self._dm_channels_of(people)]

    async def _dm_channels_of(self, people) -> list[tuple[str, str]]:
        """(person, their DM channel with the bot) for each person with a Slack ID."""
        channels = []
        for person in people:
            user = slack_id(self.config, person)
            if user:
                if user not in self._dm_channel:
                    opened = await self.client.conversations_open(users=user)
                    self._dm_channel[user] = opened["channel"]["id"]
                channels.append((person, self._dm_channel[user]))
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


def ping_threads(refs: SlackRefs) -> list[tuple[str, str]]:
    """The threads of the ticket's pings: the channel's, or each DM's."""
    threads = [(copy.channel, copy.ts) for copy in refs.copies if copy.role == "ping"]
    if not threads and refs.ping_ts:
        threads = [(refs.ping_channel, refs.ping_ts)]
    return threads


def note_threads(refs: SlackRefs, level: str, people: tuple[str, ...]) -> tuple[list[tuple[str, str]], list[str]]:
    """Where a note for `people` of `level` goes: the threads of the newest posts they got for this ticket
    (their rung's post, else the ping) — one channel post, or each person's own DM — and who is left to DM.

    A reminder at the core goes to the thread of the #core post, not to the area's ping, where core
    maintainers may not even be members and a mention would notify nobody.
    """
    for role in ("rung", "ping"):
        mine = [copy for copy in reversed(refs.copies) if copy.role == role and copy.data.get("level") == level]
        if mine:
            break
    else:
        mine = []
    if not mine:
        if refs.ping_ts and not refs.copies:  # a ticket pinged before copies were kept
            return [(refs.ping_channel, refs.ping_ts)], []
        return [], list(people)
    in_channel = next((copy for copy in mine if "person" not in copy.data), None)
    if in_channel is not None:
        return [(in_channel.channel, in_channel.ts)], []
    threads, rest = [], []
    for person in people:
        own = next((copy for copy in mine if copy.data.get("person") == person), None)
        if own is None:
            rest.append(person)
        else:
            threads.append((own.channel, own.ts))
    return threads, rest
