"""Slack retries an event it thinks was missed (`X-Slack-Retry-Num`); each `event_id` counts once.

The id is recorded under a unique key in the database, so a retry that reaches another replica is
dropped too. Commands and button clicks carry no event_id: their handlers are idempotent instead.

A class-based middleware: it runs on every request, and Bolt calls these directly instead of working
out which arguments a function middleware wants (which cost more than this check itself).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from slack_bolt.async_app import AsyncApp
from slack_bolt.middleware.async_middleware import AsyncMiddleware
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.response import BoltResponse

log = logging.getLogger(__name__)


class DropRepeatedEvents(AsyncMiddleware):
    def __init__(self, deps) -> None:
        self._deps = deps

    async def async_process(self, *, req: AsyncBoltRequest, resp: BoltResponse,
                            next: Callable[[], Awaitable[BoltResponse]]) -> BoltResponse | None:  # noqa: A002
        body = req.body
        event_id = body.get("event_id") if body.get("type") == "event_callback" else None
        if event_id is not None and not await self._deps.call(_first_time, self._deps, event_id):
            log.info("dropping repeated event %s", event_id)
            return BoltResponse(status=200, body="")
        return await next()


def register(app: AsyncApp, deps) -> None:
    app.use(DropRepeatedEvents(deps))


def _first_time(deps, event_id: str) -> bool:
    with deps.unit_of_work() as uow:
        first = uow.processed.remember(event_id, deps.clock.now())
        uow.commit()
    return first
