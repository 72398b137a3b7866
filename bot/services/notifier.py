"""The port through which the outbox worker speaks to the outside world (Slack, or a test's fake)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from bot.domain.ticket import Ticket
from storage.repositories import Copy, OutboxMessage, SlackRefs

__all__ = ["Copy", "Delivered", "DeliveryFailed", "Notifier", "OutboxMessage", "SlackRefs"]


@dataclass(frozen=True)
class Delivered:
    """What a delivery left in Slack that the ticket must remember.

    `posted`: new messages that show the ticket (its ping, a rung's post, the asker's DM with a
    button), each updated in place from then on. `changed`: stored copies whose `data` changed, as
    (copy id, new data) — a DM whose button was taken away needs no more updates.
    """

    posted: tuple[Copy, ...] = ()
    changed: tuple[tuple[int, dict[str, Any]], ...] = ()


class DeliveryFailed(Exception):
    """Delivery did not happen, or not all of it. `retry_after` (seconds) is when to try again.

    `deferred`: not a failure — Slack's rate limits (ours, or its 429): the message goes back for
    `retry_after` without counting as an attempt. `progress` and `delivered` are what the attempt
    did before it stopped (posts that went, copies they made), kept so the next attempt goes on from there.
    """

    def __init__(self, reason: str, retry_after: float | None = None, permanent: bool = False, *,
                 deferred: bool = False):
        super().__init__(reason)
        self.retry_after = retry_after
        self.permanent = permanent  # retrying cannot help (a deleted channel): park at once
        self.deferred = deferred
        self.progress: dict[str, Any] = {}
        self.delivered: Delivered = Delivered()


class Notifier(Protocol):
    def lane(self, message: OutboxMessage, ticket: Ticket | None, refs: SlackRefs | None) -> str:
        """The conversation (or budget) this message will mostly use: messages of different lanes are
        delivered side by side, so a backlog in one channel holds up no other."""

    async def summarize(self, lane: str, messages: list[OutboxMessage],
                        tickets: dict[int, tuple[Ticket, SlackRefs]]) -> Delivered:
        """Say many notices for one conversation as one message (a storm after downtime), or raise
        DeliveryFailed; `summarizable` says which lanes' messages it takes."""

    def summarizable(self, lane: str, message: OutboxMessage) -> bool:
        """Whether this message may be folded into a summary with others for the same lane."""

    async def deliver(self, message: OutboxMessage, ticket: Ticket | None,
                      refs: SlackRefs | None) -> Delivered | None:
        """Deliver or raise DeliveryFailed. Must be safe to call again for the same message.

        `ticket` and `refs` are the message's ticket and its Slack messages as they are now (None when
        the message is about no ticket, or its ticket is gone).

        Messages that show the ticket come back in `Delivered.posted` for the ticket to keep, so that
        later changes update each of them in place; the first ping becomes the ticket's thread.
        """

