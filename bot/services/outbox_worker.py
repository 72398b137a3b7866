"""Delivers what the services decided to say: retries with backoff, in order per ticket, never dropped.

A row is leased before delivery (so another replica's worker leaves it alone), delivered through the
`Notifier`, then marked sent. A failure is retried after an exponential backoff, or after the
receiver's own `Retry-After` when it gave one; after `max_attempts` the row is parked — kept, with an
event on its ticket and a log line — so a person can see what was not said. Delivery is
at-least-once: a crash between delivering and marking sent delivers that batch's messages again.

The worker is a coroutine: it runs on the event loop that answers Slack's requests, and between two
messages it calls `pause()`, which lets waiting requests go first (see `bot.app`).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.domain.ticket import SYSTEM, Event
from bot.services.notifier import Copy, DeliveryFailed, Notifier

log = logging.getLogger(__name__)

BATCH = 50  # messages leased at once
LEASE = timedelta(minutes=2)  # longer than any one delivery takes, with its HTTP timeouts


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


async def deliver_due(uow_factory: Callable, notifier: Notifier, now: datetime,
                      retry: RetryPolicy | None = None, batch: int = BATCH,
                      pause: Callable[[], Awaitable[None]] | None = None) -> DeliveryReport:
    """Deliver every outbox row that is due at `now` (at most `batch`).

    Deliveries are marked sent together at the end of the batch, with the Slack messages they posted
    (every copy of a ticket, kept to be updated in place) — one transaction, not one per message; a
    failure is recorded at once, since its retry time matters.
    """
    retry = retry or RetryPolicy()
    with uow_factory() as uow:
        messages = uow.outbox.next_batch(now, batch, lease_until=now + LEASE)
        # Each message is rendered from its ticket as it is now: read them all at once.
        tickets = uow.tickets.with_refs([message.ticket_id for message in messages if message.ticket_id is not None])
        uow.commit()
    report = DeliveryReport()
    sent: list[int] = []
    pings: list[tuple[int, str, str]] = []
    posted: list[tuple[int, Copy]] = []
    changed: list[tuple[int, dict]] = []
    try:
        for message in messages:
            ticket, refs = tickets.get(message.ticket_id, (None, None))
            try:
                delivered = await notifier.deliver(message, ticket, refs)
            except DeliveryFailed as failure:
                _record_failure(uow_factory, message, failure, now, retry, report)
            except Exception as error:  # a bug in rendering must not stop the other messages
                log.exception("outbox row %s (ticket %s) failed unexpectedly", message.id, message.ticket_id)
                _record_failure(uow_factory, message, DeliveryFailed(repr(error)), now, retry, report)
            else:
                sent.append(message.id)
                if delivered is not None and message.ticket_id is not None:
                    posted += [(message.ticket_id, copy) for copy in delivered.posted]
                    changed += delivered.changed
                    first_ping = next((copy for copy in delivered.posted if copy.role == "ping"), None)
                    if first_ping is not None and (refs is None or refs.ping_ts is None):
                        pings.append((message.ticket_id, first_ping.channel, first_ping.ts))
            await (pause() if pause is not None else asyncio.sleep(0))
    finally:
        if sent:
            with uow_factory() as uow:
                uow.tickets.set_pings(pings)
                uow.copies.add_many(posted, now)
                uow.copies.update_data(changed)
                uow.outbox.mark_sent_many(sent, now)
                uow.commit()
        report.sent = len(sent)
    return report


def _record_failure(uow_factory, message, failure: DeliveryFailed, now, retry: RetryPolicy,
                    report: DeliveryReport) -> None:
    attempts = message.attempts + 1
    with uow_factory() as uow:
        if failure.permanent or attempts >= retry.max_attempts:
            uow.outbox.park(message.id, str(failure))
            if message.ticket_id is not None:
                ticket = uow.tickets.get(message.ticket_id)
                uow.events.append(message.ticket_id, Event(
                    "parked", SYSTEM, now, ticket.level if ticket else "",
                    reason=f"gave up delivering a {message.kind} message after {attempts} attempts: {failure}",
                    data={"outbox_id": message.id}))
            log.error("outbox row %s (%s, ticket %s) parked after %s attempts: %s",
                      message.id, message.kind, message.ticket_id, attempts, failure)
            report.parked += 1
        else:
            uow.outbox.mark_failed(message.id, str(failure), retry_at=now + retry.delay(attempts, failure.retry_after))
            report.retried += 1
        uow.commit()
