"""The Slack `Notifier`: turns outbox rows into Web API calls, reading the ticket as it is now.

Rows are rendered at delivery time, not when they were written, so a ping delivered late already
shows the latest state. Where things go:
- the ping: the area's channel, else a DM to each person of the rung;
- a climb to a parent area or core, or a resolve breach told to a rung: that rung's channel, else a
  DM to each of its people; to the lead: a DM;
- reminders, replies and reopenings: the thread of the newest post the rung got (handlers/copies.py),
  mentioning the rung's people; else the rung's channel; else a DM;
- anything for the asker: a DM, linking their thread or the ping.
Every message that shows the ticket with buttons — each ping, each rung's post, the asker's DMs with a
button — is kept (`Copy`), and every change updates each one in place (`refresh`), so no copy in any
channel or DM keeps offering what can no longer be done. Many notices for one channel at once become
one summary (`summarize`).

Each call is paced to Slack's limits and each post made once across attempts (handlers/slack_calls.py);
Slack's answer decides the rest: 429 is back-pressure, 5xx is retried, an error that retrying cannot
fix (a channel that does not exist) parks the row.

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
from bot.services.pacing import SlackPacing
from handlers.copies import EMPTY, channel_ping, note_threads, ping_threads
from handlers.decision_delivery import DECISION, DecisionNotifier
from handlers.digest_delivery import DIGEST, DigestNotifier
from handlers.election_delivery import ELECTION, ElectionNotifier
from handlers.nomination_delivery import NOMINATION, NominationNotifier
from handlers.slack_calls import Attempt, SlackDirectory
from handlers.views import asker_notes
from handlers.views.asker_notes import link_text
from handlers.views.escalation import escalation_blocks
from handlers.views.ping import ping_blocks, ping_text, title
from handlers.views.summary import Item, summary_blocks, summary_text
from handlers.views.text import chunks, escape, level_label, mentions, slack_id, when

log = logging.getLogger(__name__)

# Errors a retry cannot fix: park the row (it stays visible) instead of retrying for hours.
PERMANENT = {"channel_not_found", "not_in_channel", "is_archived", "invalid_blocks", "msg_too_long",
             "no_text", "user_not_found", "cannot_dm_bot", "invalid_auth", "account_inactive",
             "message_not_found", "cant_update_message", "missing_scope", "not_authed"}
SUMMARIZED = ("escalated", "resolve_breach", "reminder")  # notices a storm may fold into one message


class SlackNotifier:
    def __init__(self, token: str | None, base_url: str, config: Config, unit_of_work: Callable, metrics=None,
                 pacing: SlackPacing | None = None):
        self._token, self._base_url = token, base_url
        self.client: AsyncWebClient | None = None  # made on the loop that delivers (its session belongs there)
        self.config = config
        self._unit_of_work = unit_of_work
        self._metrics = metrics
        self.pacing = pacing or SlackPacing()
        self._directory = SlackDirectory()
        self._decisions = DecisionNotifier(config, unit_of_work)  # `decision.*` rows: handlers/decision_delivery.py
        self._nominations = NominationNotifier(config, unit_of_work)  # `nomination.*`: handlers/nomination_delivery.py
        self._elections = ElectionNotifier(config, unit_of_work)  # `election.*`: handlers/election_delivery.py
        self._digests = DigestNotifier(config, unit_of_work)  # `digest.*`: handlers/digest_delivery.py
        self._others = ((DECISION, self._decisions), (NOMINATION, self._nominations), (ELECTION, self._elections),
                        (DIGEST, self._digests))
        self._render = {
            "ping": self._ping, "refresh": self._refresh, "reminder": self._in_thread,
            "replied": self._in_thread, "resolved": self._in_thread, "escalated": self._escalated,
            "resolve_breach": self._escalated, "assigned": self._assigned,
        }

    def reload(self, config: Config) -> None:
        """Render with `config` from the next delivery on (app.yaml reloaded: see `Upline.reload_config`)."""
        self.config = self._decisions.config = self._nominations.config = self._elections.config = config
        self._digests.config = config

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
        for prefix, other in self._others:  # a decision, nomination or election has no Ticket: its rows read it
            if message.kind.startswith(prefix):
                attempt = Attempt(self._connect(), self.pacing, self._directory, message.progress)
                await self._attempt(message.kind, attempt, other.deliver(attempt, message))
                return attempt.delivered()
        if ticket is None:
            raise DeliveryFailed(f"ticket {message.ticket_id} does not exist", permanent=True)
        to = tuple(message.payload.get("to", ()))
        render = self._to_asker if not to and message.kind != "refresh" else self._render.get(message.kind)
        if render is None:
            raise DeliveryFailed(f"no way to deliver a {message.kind!r} message", permanent=True)
        attempt = Attempt(self._connect(), self.pacing, self._directory, message.progress)
        await self._attempt(message.kind, attempt, render(attempt, ticket, refs or EMPTY, message))
        return attempt.delivered()

    async def _attempt(self, kind: str, attempt: Attempt, work) -> None:
        """Run `work`; whatever stops it, the failure carries what the attempt already did."""
        try:
            await work
        except DeliveryFailed as failure:
            failure.progress, failure.delivered = attempt.progress, attempt.delivered()
            raise
        except (SlackApiError, SlackClientError) as error:  # SlackClientError: refused, timed out
            failure = self._failure(kind, error)
            failure.progress, failure.delivered = attempt.progress, attempt.delivered()
            raise failure from error

    # -- lanes and summaries (see bot.services.outbox_worker) ---------------------------------------

    def lane(self, message: OutboxMessage, ticket: Ticket | None, refs: SlackRefs | None) -> str:
        """The conversation this message mostly posts to; refreshes share chat.update's budget."""
        for prefix, other in self._others:
            if message.kind.startswith(prefix):
                return other.lane(message)
        to, level = tuple(message.payload.get("to", ())), message.payload.get("level", "")
        if message.kind == "refresh":
            return "chat.update"
        if not to:
            return f"dm:{ticket.asker if ticket else message.ticket_id}"
        if message.kind == "ping":
            area = self.config.area(ticket.area) if ticket and ticket.area else None
            return area.channel if area and area.channel else f"dm:{to[0]}"
        if message.kind in ("reminder", "replied", "resolved"):
            threads, _ = note_threads(refs or EMPTY, level, to)
            if threads:
                return threads[0][0]
        return self._rung_channel(level) or f"dm:{to[0]}"

    def summarizable(self, lane: str, message: OutboxMessage) -> bool:
        """Escalations, overdue notices and reminders for one channel (never a DM) may be folded together."""
        return message.kind in SUMMARIZED and bool(message.payload.get("to")) and not lane.startswith(("dm:", "row:"))

    async def summarize(self, lane: str, messages: list[OutboxMessage],
                        tickets: dict[int, tuple[Ticket, SlackRefs]]) -> Delivered:
        """One message in `lane` for all these notices, mentioning everyone they were for, once."""
        attempt = Attempt(self._connect(), self.pacing, self._directory, {})
        items, people, level = [], {}, messages[0].payload.get("level", "")
        for message in messages:
            if message.ticket_id not in tickets:
                continue
            ticket, refs = tickets[message.ticket_id]
            ping = channel_ping(refs)
            items.append(Item(ticket, message.kind, await attempt.permalink(*ping) if ping else None))
            people.update(dict.fromkeys(message.payload.get("to", ())))
        if items:
            blocks = summary_blocks(self.config, items, level=level, people=tuple(people))
            text = summary_text(len(items), level, self.config, tuple(people))
            await self._attempt("summary", attempt, attempt.post(lane, text, blocks=blocks, unfurl_links=False))
        return Delivered()

    # -- the ping and its thread ------------------------------------------------------------------

    async def _ping(self, attempt: Attempt, ticket: Ticket, refs: SlackRefs, message: OutboxMessage) -> None:
        to, level = tuple(message.payload["to"]), message.payload.get("level", ticket.level)
        if refs.ping_ts:  # a ping again (reopened): say so where the rung reads, refresh every copy
            why = message.payload.get("data", {}).get("reason")
            note = f"#{ticket.id} was reopened" + (f": {escape(why)}" if why else "")
            await self._note(attempt, refs, level, to, f"{note} — {mentions(self.config, to)}")
            await self._refresh(attempt, ticket, refs, message)
            return
        area = self.config.area(ticket.area) if ticket.area else None
        data = {"to": list(to), "level": level}
        blocks, text = ping_blocks(self.config, ticket, to=to, level=level), ping_text(self.config, ticket, to)
        if area and area.channel:
            targets = [(area.channel, data)]
        else:  # no channel: one DM each, every one of them kept current
            targets = [(channel, data | {"person": person}) for person, channel in await self._dm_channels(attempt, to)]
        for channel, copy_data in targets:
            posted = await attempt.post(channel, text, blocks=blocks, unfurl_links=False)
            attempt.posted.append(Copy("ping", *posted, copy_data))
        if attempt.posted and len(ticket.text) > 2800:  # the ping quotes the start; the whole text goes in its thread
            first = attempt.posted[0]
            for part in chunks(ticket.text):
                await attempt.post(first.channel, part, thread_ts=first.ts)

    async def _refresh(self, attempt: Attempt, ticket: Ticket, refs: SlackRefs, message: OutboxMessage) -> None:
        """Bring every copy of the ticket up to date in place: pings, rungs' posts, the asker's buttons."""
        copies = refs.copies
        if not copies and refs.ping_ts:  # a ticket pinged before copies were kept
            copies = (Copy("ping", refs.ping_channel, refs.ping_ts, {}),)
        rungs = any(copy.role == "rung" for copy in copies)
        events = self._events(ticket) if rungs else []
        permalink = await self._ping_link(attempt, refs) if rungs else None
        for copy in copies:
            if copy.data.get("gone"):
                continue
            if copy.role == "asker":
                rendered = self._asker_update(ticket, copy)
                if rendered is None:
                    continue
                attempt.changed.append((copy.id, copy.data | {"settled": True}))
                text, blocks = rendered
            elif copy.role == "rung":
                text, blocks = self._rung_text(ticket, copy.data), self._rung_blocks(ticket, copy.data, events,
                                                                                     permalink)
            else:
                to = tuple(copy.data["to"]) if "to" in copy.data else None
                text = ping_text(self.config, ticket, to)
                blocks = ping_blocks(self.config, ticket, to=to, level=copy.data.get("level"))
            if not await attempt.update(copy.channel, copy.ts, text, blocks) and copy.id is not None:
                attempt.changed.append((copy.id, copy.data | {"gone": True}))

    async def _in_thread(self, attempt: Attempt, ticket: Ticket, refs: SlackRefs, message: OutboxMessage) -> None:
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
        await self._note(attempt, refs, level, to, text)

    async def _note(self, attempt: Attempt, refs: SlackRefs, level: str, people: tuple[str, ...], text: str) -> None:
        """Say `text` where the people of `level` read about this ticket (handlers/copies.py); whoever has
        no such thread hears it in the rung's channel, else by DM."""
        threads, rest = note_threads(refs, level, people)
        for channel, ts in threads:
            await attempt.post(channel, text, thread_ts=ts)
        if rest and (channel := self._rung_channel(level)):
            await attempt.post(channel, text)
        elif rest:
            await self._dm(attempt, rest, text)

    # -- climbing the ladder -----------------------------------------------------------------------

    async def _escalated(self, attempt: Attempt, ticket: Ticket, refs: SlackRefs, message: OutboxMessage) -> None:
        to, level = tuple(message.payload["to"]), message.payload["level"]
        overdue = message.kind == "resolve_breach"
        headline = (f"Not resolved in time — {title(ticket)} needs a decision" if overdue
                    else f"Escalated to the {level_label(self.config, level)}")
        data = {"to": list(to), "level": level, "headline": headline, "why": "overdue" if overdue else "escalated"}
        await self._post_to_rung(attempt, ticket, refs, data, self._rung_channel(level))
        if not overdue:  # the rung below reads in the ping's thread where its ticket went
            note = f"#{ticket.id} moved up to the {level_label(self.config, level)}: {mentions(self.config, to)}"
            for channel, ts in ping_threads(refs):
                await attempt.post(channel, note, thread_ts=ts)

    async def _post_to_rung(self, attempt: Attempt, ticket: Ticket, refs: SlackRefs, data: dict,
                            channel: str | None) -> None:
        """Post the ticket for `data["to"]`: in `channel`, or (None) by DM to each; every post is kept."""
        blocks = self._rung_blocks(ticket, data, self._events(ticket), await self._ping_link(attempt, refs))
        text = self._rung_text(ticket, data)
        targets = [(channel, data)] if channel else [
            (dm, data | {"person": person}) for person, dm in await self._dm_channels(attempt, data["to"])]
        for target, copy_data in targets:
            posted = await attempt.post(target, text, blocks=blocks, unfurl_links=False)
            attempt.posted.append(Copy("rung", *posted, copy_data))

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

    async def _assigned(self, attempt: Attempt, ticket: Ticket, refs: SlackRefs, message: OutboxMessage) -> None:
        """The person a ticket was handed to gets it by DM, with its history and buttons, kept current."""
        by = message.payload.get("data", {}).get("by")
        headline = f"Handed to you by {mentions(self.config, [by]) if by else 'someone'}"
        data = {"to": list(message.payload["to"]), "level": message.payload.get("level", ticket.level),
                "headline": headline, "why": "handed"}
        await self._post_to_rung(attempt, ticket, refs, data, None)

    # -- the asker ---------------------------------------------------------------------------------

    async def _to_asker(self, attempt: Attempt, ticket: Ticket, refs: SlackRefs, message: OutboxMessage) -> None:
        thread = refs.thread_channel is not None and refs.thread_ts is not None
        if thread:
            permalink = await attempt.permalink(refs.thread_channel, refs.thread_ts)
        else:
            permalink = await self._ping_link(attempt, refs)
        data = {"kind": message.kind, "data": message.payload.get("data", {}),
                "level": message.payload.get("level", ticket.level), "link": link_text(permalink, thread=thread)}
        text, blocks = asker_notes.note(self.config, ticket, data["kind"], data["data"], data["level"],
                                        link=data["link"])
        for _, target in await self._dm_channels(attempt, [ticket.asker]):
            posted = await attempt.post(target, text, blocks=blocks)
            if message.kind in asker_notes.WITH_BUTTON:  # kept, so the button goes once it no longer applies
                moment = asker_notes.moment_of(ticket, message.kind)
                attempt.posted.append(Copy("asker", *posted, data | {"moment": moment}))

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

    async def _ping_link(self, attempt: Attempt, refs: SlackRefs) -> str | None:
        ping = channel_ping(refs)
        return await attempt.permalink(*ping) if ping else None

    async def _dm(self, attempt: Attempt, people, text: str) -> None:
        for _, channel in await self._dm_channels(attempt, people):
            await attempt.post(channel, text)

    async def _dm_channels(self, attempt: Attempt, people) -> list[tuple[str, str]]:
        """(person, their DM channel with the bot) for each person with a Slack ID."""
        channels = []
        for person in people:
            user = slack_id(self.config, person)
            if user:
                channels.append((person, await attempt.dm_channel(user)))
        return channels

    def _failure(self, kind: str, error: SlackClientError) -> DeliveryFailed:
        if self._metrics is not None:
            self._metrics.delivery_failures.labels(kind).inc()
        if isinstance(error, SlackApiError):
            response = error.response
            code = response.get("error") if isinstance(response.data, dict) else None
            if response.status_code < 500 and code in PERMANENT:
                return DeliveryFailed(f"Slack refused it: {code}", permanent=True)
            return DeliveryFailed(f"Slack answered {response.status_code} {code or ''}".strip())
        return DeliveryFailed(f"cannot reach Slack: {error}")
