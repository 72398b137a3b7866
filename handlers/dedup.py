"""Slack retries an event it thinks was missed (`X-Slack-Retry-Num`); each `event_id` counts once.

The id is recorded under a unique key in the database, so a retry that reaches another replica is
dropped too. Commands and button clicks carry no event_id: their handlers are idempotent instead.
"""

from __future__ import annotations

from slack_bolt.async_app import AsyncApp
from slack_bolt.response import BoltResponse


def register(app: AsyncApp, deps) -> None:
    @app.middleware
    async def drop_repeated_events(body, next, logger):  # noqa: A002 (Bolt injects by this name)
        event_id = body.get("event_id") if body.get("type") == "event_callback" else None
        if event_id is not None and not await deps.call(_first_time, deps, event_id):
            logger.info("dropping repeated event %s", event_id)
            return BoltResponse(status=200, body="")
        return await next()


def _first_time(deps, event_id: str) -> bool:
    with deps.unit_of_work() as uow:
        first = uow.processed.remember(event_id, deps.clock.now())
        uow.commit()
    return first
