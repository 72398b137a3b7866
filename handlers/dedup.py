"""Slack retries an event it thinks was missed (`X-Slack-Retry-Num`); each `event_id` counts once.

The id is recorded under a unique key in the database, so a retry that reaches another replica is
dropped too. Over HTTP, commands and button clicks carry no event_id: their handlers are idempotent
instead. In Socket Mode every envelope has an `envelope_id`, and `bot.socket_mode` drops one seen
before the same way (`DeliveryKeys`), commands and clicks included.

A key is kept for `KEEP` (a day: Slack retries an event for minutes, and redelivers an envelope
after a reconnect), then forgotten: whoever records one also prunes, at most every `PRUNE_EVERY`.

A class-based middleware: it runs on every request, and Bolt calls these directly instead of working
out which arguments a function middleware wants (which cost more than this check itself).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta

from slack_bolt.async_app import AsyncApp
from slack_bolt.middleware.async_middleware import AsyncMiddleware
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.response import BoltResponse

from bot.clock import Clock
from handlers.payloads import event_id

log = logging.getLogger(__name__)

KEEP = timedelta(days=1)
PRUNE_EVERY = timedelta(minutes=10)


class DeliveryKeys:
    """Which deliveries were handled already, kept in the database (across replicas and restarts)."""

    def __init__(self, unit_of_work: Callable, clock: Clock) -> None:
        self._unit_of_work = unit_of_work
        self._clock = clock
        self._pruned_at: datetime | None = None

    def first_time(self, key: str) -> bool:
        """Record `key`; False when it was recorded before (the delivery is a repeat: drop it)."""
        now = self._clock.now()
        with self._unit_of_work() as uow:
            first = uow.processed.remember(key, now)
            if self._pruned_at is None or now - self._pruned_at >= PRUNE_EVERY:
                uow.processed.prune(now - KEEP)
                self._pruned_at = now
            uow.commit()
        return first


class DropRepeatedEvents(AsyncMiddleware):
    def __init__(self, deps) -> None:
        self._deps = deps
        self._keys = DeliveryKeys(deps.unit_of_work, deps.clock)

    async def async_process(self, *, req: AsyncBoltRequest, resp: BoltResponse,
                            next: Callable[[], Awaitable[BoltResponse]]) -> BoltResponse | None:  # noqa: A002
        key = event_id(req.body)
        if key is not None and not await self._deps.call(self._keys.first_time, key):
            log.info("dropping repeated event %s", key)
            return BoltResponse(status=200, body="")
        return await next()


def register(app: AsyncApp, deps) -> None:
    app.use(DropRepeatedEvents(deps))
