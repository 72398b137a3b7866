"""The port through which the outbox worker speaks to the outside world (Slack, or a test's fake)."""

from __future__ import annotations

from typing import Protocol

from bot.domain.ticket import Ticket
from storage.repositories import OutboxMessage, SlackRefs

__all__ = ["DeliveryFailed", "Notifier", "OutboxMessage", "SlackRefs"]


class DeliveryFailed(Exception):
    """Delivery did not happen. `retry_after` (seconds) is the receiver's own word on when to try again."""

    def __init__(self, reason: str, retry_after: float | None = None, permanent: bool = False):
        super().__init__(reason)
        self.retry_after = retry_after
        self.permanent = permanent  # retrying cannot help (a deleted channel): park at once


class Notifier(Protocol):
    async def deliver(self, message: OutboxMessage, ticket: Ticket | None,
                      refs: SlackRefs | None) -> tuple[str, str] | None:
        """Deliver or raise DeliveryFailed. Must be safe to call again for the same message.

        `ticket` and `refs` are the message's ticket and its Slack messages as they are now (None when
        the message is about no ticket, or its ticket is gone).

        A ticket's first public message (its ping) returns where it went — (channel, message id) — for
        the ticket to keep, so that later changes update that message in place.
        """
