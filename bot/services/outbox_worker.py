"""Delivers what the services decided to say: paced to Slack's limits, urgent first, in order per
ticket, each message recorded as soon as Slack has it, never dropped.

A pass leases a batch of due rows (so another replica's worker leaves them alone) — the most urgent
first: first pings and escalations, then reminders and notes, then refreshes of messages already
posted — and delivers it lane by lane: a lane is the conversation (or the rate-limit budget) a message
will use, and lanes run side by side, so a backlog in one channel holds up no other. Each message is
recorded the moment Slack has answered for it (sent, with the copies it posted), so a crash repeats at
most the message in flight; the lease is short and renewed while the pass runs, so a replica that dies
holds up its messages for seconds, not minutes.

What Slack's limits hold back (our own pacing, or its 429 with `Retry-After`) is put back for that
long without counting as a failed attempt: back-pressure parks nothing. A real failure (5xx, a
timeout) is retried after an exponential backoff; after `max_attempts` the row is parked — kept, with
an event on its ticket and a log line — so a person can see what was not said. When many notices go
to one conversation at once (a storm after downtime), they become one summary message.

The worker is a coroutine: it runs on the event loop that answers Slack's requests, and between two
messages of a lane it calls `pause()`, which lets waiting requests go first (see `bot.app`).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from bot.domain.ticket import SYSTEM, Event
from bot.services.notifier import Delivered, DeliveryFailed, Notifier, OutboxMessage

log = logging.getLogger(__name__)

BATCH = 50  # messages leased at once
# How long a leased row is ours unless renewed (every quarter of it, while the pass runs): a replica
# that dies holds up the rows it had leased for at most this long.
LEASE = timedelta(seconds=5)
SUMMARY_AT = 5  # this many notices for one conversation in one pass become one summary message
LANES_AT_ONCE = 8  # conversations delivered to side by side


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int = 8
    first_delay: timedelta = timedelta(seconds=2)
    max_delay: timedelta = timedelta(minutes=15)

    def delay(self, attempts: int, retry_after: float | None) -> timedelta:
        backoff = min(self.first_delay * 2 ** max(attempts - 1, 0), self.max_delay)
        return max(backoff, timedelta(seconds=retry_after or 0))


@dataclass
class DeliveryReport:
    sent: int = 0
    retried: int = 0
    parked: int = 0
    deferred: int = 0  # put back by Slack's limits (not failures)
    summaries: int = 0  # summary messages posted, each in place of several notices
    waiting: dict[str, int] = field(default_factory=dict)  # lane -> messages put back to wait their turn
    waited: list[float] = field(default_factory=list)  # seconds from written to sent, per message sent

    @property
    def handled(self) -> int:
        return self.sent + self.retried + self.parked + self.deferred


async def deliver_due(uow_factory: Callable, notifier: Notifier, now: datetime,
                      retry: RetryPolicy | None = None, batch: int = BATCH,
                      pause: Callable[[], Awaitable[None]] | None = None) -> DeliveryReport:
    """Deliver the outbox rows due at `now` (at most `batch`), lane by lane, each recorded at once."""
    with uow_factory() as uow:
        messages = uow.outbox.next_batch(now, batch, lease_until=now + LEASE)
        # Each message is rendered from its ticket as it is now: read them all at once.
        tickets = uow.tickets.with_refs([message.ticket_id for message in messages if message.ticket_id is not None])
        uow.commit()
    pass_ = _Pass(uow_factory, notifier, now, retry or RetryPolicy(), pause, tickets)
    if messages:
        await pass_.run(messages)
    return pass_.report


class _Pass:
    def __init__(self, uow_factory, notifier: Notifier, now: datetime, retry: RetryPolicy, pause, tickets):
        self.uow_factory, self.notifier, self.now, self.retry = uow_factory, notifier, now, retry
        self.pause = pause or (lambda: asyncio.sleep(0))
        self.tickets = tickets
        self.report = DeliveryReport()
        self.in_flight: set[int] = set()

    async def run(self, messages: list[OutboxMessage]) -> None:
        self.in_flight = {message.id for message in messages}
        lanes: dict[str, list[OutboxMessage]] = {}
        for message in messages:  # in priority order, which each lane keeps
            lanes.setdefault(self._lane(message), []).append(message)
        renewing = asyncio.ensure_future(self._renew_leases())
        gate = asyncio.Semaphore(LANES_AT_ONCE)
        try:
            await asyncio.gather(*(self._deliver_lane(lane, queued, gate) for lane, queued in lanes.items()))
        finally:
            renewing.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await renewing

    def _lane(self, message: OutboxMessage) -> str:
        ticket, refs = self.tickets.get(message.ticket_id, (None, None))
        try:
            return self.notifier.lane(message, ticket, refs)
        except Exception:  # a bug in guessing where it goes must not stop the pass: it goes alone
            log.exception("outbox row %s: no lane", message.id)
            return f"row:{message.id}"

    async def _deliver_lane(self, lane: str, queued: list[OutboxMessage], gate: asyncio.Semaphore) -> None:
        async with gate:
            folded = [message for message in queued if self.notifier.summarizable(lane, message)]
            if len(folded) >= SUMMARY_AT:
                await self._summarize(lane, folded)
                queued = [message for message in queued if message not in folded]
            for index, message in enumerate(queued):
                held = await self._deliver(message)
                if held is not None:  # the lane's budget is spent: the rest of it waits as long, at once
                    self._put_back(queued[index + 1:], held)
                    return
                await self.pause()

    async def _deliver(self, message: OutboxMessage) -> DeliveryFailed | None:
        """Deliver one message and record the outcome; returns the hold-up when Slack's limits put it back."""
        ticket, refs = self.tickets.get(message.ticket_id, (None, None))
        try:
            delivered = await self.notifier.deliver(message, ticket, refs)
        except DeliveryFailed as failure:
            self._failed([message], failure)
            return failure if failure.deferred else None
        except Exception as error:  # a bug in rendering must not stop the other messages
            log.exception("outbox row %s (ticket %s) failed unexpectedly", message.id, message.ticket_id)
            self._failed([message], DeliveryFailed(repr(error)))
        else:
            self._sent([message], delivered)
        return None

    def _put_back(self, messages: list[OutboxMessage], held: DeliveryFailed) -> None:
        """Messages of a lane whose budget is spent, untried: back for as long, in one transaction."""
        if messages:
            with self.uow_factory() as uow:
                for message in messages:
                    uow.outbox.put_back(message.id, self.now + timedelta(seconds=held.retry_after or 1),
                                        message.progress)
                uow.commit()
            self.in_flight.difference_update(message.id for message in messages)
            self.report.deferred += len(messages)
            lane = self._lane(messages[0])
            self.report.waiting[lane] = self.report.waiting.get(lane, 0) + len(messages)

    async def _summarize(self, lane: str, messages: list[OutboxMessage]) -> None:
        try:
            delivered = await self.notifier.summarize(lane, messages, self.tickets)
        except DeliveryFailed as failure:
            self._failed(messages, failure)
        except Exception as error:
            log.exception("summary of %s outbox rows for %s failed unexpectedly", len(messages), lane)
            self._failed(messages, DeliveryFailed(repr(error)))
        else:
            self._sent(messages, delivered)
            self.report.summaries += 1

    # -- recording, one transaction per answer from Slack ------------------------------------------

    def _sent(self, messages: list[OutboxMessage], delivered: Delivered | None) -> None:
        with self.uow_factory() as uow:
            self._keep(uow, messages[0], delivered)
            uow.outbox.mark_sent_many([message.id for message in messages], self.now)
            uow.commit()
        self.in_flight.difference_update(message.id for message in messages)
        self.report.sent += len(messages)
        self.report.waited += [(self.now - message.created_at).total_seconds() for message in messages]

    def _keep(self, uow, message: OutboxMessage, delivered: Delivered | None) -> None:
        """What the delivery left in Slack: the copies it posted (the first ping is the ticket's thread)."""
        if delivered is None or message.ticket_id is None:
            return
        uow.copies.add_many([(message.ticket_id, copy) for copy in delivered.posted], self.now)
        uow.copies.update_data(list(delivered.changed))
        _, refs = self.tickets.get(message.ticket_id, (None, None))
        first_ping = next((copy for copy in delivered.posted if copy.role == "ping"), None)
        if first_ping is not None and (refs is None or refs.ping_ts is None):
            uow.tickets.set_pings([(message.ticket_id, first_ping.channel, first_ping.ts)])

    def _failed(self, messages: list[OutboxMessage], failure: DeliveryFailed) -> None:
        with self.uow_factory() as uow:
            self._keep(uow, messages[0], failure.delivered)
            for message in messages:
                self._record_failure(uow, message, failure)
            uow.commit()
        self.in_flight.difference_update(message.id for message in messages)

    def _record_failure(self, uow, message: OutboxMessage, failure: DeliveryFailed) -> None:
        progress = failure.progress if len(failure.progress) else message.progress
        if failure.deferred:  # Slack's limits: back-pressure, not a failed attempt
            uow.outbox.put_back(message.id, self.now + timedelta(seconds=failure.retry_after or 1), progress)
            self.report.deferred += 1
            lane = self._lane(message)
            self.report.waiting[lane] = self.report.waiting.get(lane, 0) + 1
            return
        attempts = message.attempts + 1
        if failure.permanent or attempts >= self.retry.max_attempts:
            uow.outbox.park(message.id, str(failure))
            if message.ticket_id is not None:
                ticket = uow.tickets.get(message.ticket_id)
                uow.events.append(message.ticket_id, Event(
                    "parked", SYSTEM, self.now, ticket.level if ticket else "",
                    reason=f"gave up delivering a {message.kind} message after {attempts} attempts: {failure}",
                    data={"outbox_id": message.id}))
            log.error("outbox row %s (%s, ticket %s) parked after %s attempts: %s",
                      message.id, message.kind, message.ticket_id, attempts, failure)
            self.report.parked += 1
        else:
            retry_at = self.now + self.retry.delay(attempts, failure.retry_after)
            uow.outbox.mark_failed(message.id, str(failure), retry_at=retry_at, progress=progress)
            self.report.retried += 1

    async def _renew_leases(self) -> None:
        """Keep this pass's rows leased while it runs: a short lease that a live worker renews lets a
        dead replica's rows come back within seconds."""
        started = time.monotonic()
        while True:
            await asyncio.sleep(LEASE.total_seconds() / 4)
            elapsed = timedelta(seconds=time.monotonic() - started)
            with self.uow_factory() as uow:
                uow.outbox.renew(sorted(self.in_flight), self.now + elapsed + LEASE)
                uow.commit()
