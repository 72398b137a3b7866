"""What handlers may use: the services, the config and the clock — never the database directly."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from bot.clock import Clock
from bot.config import Config
from bot.domain.errors import UserError
from bot.domain.ticket import Outcome
from bot.in_flight import InFlight
from bot.services.decisions import DecisionService
from bot.services.elections import ElectionService
from bot.services.nominations import NominationService
from bot.services.tickets import NewTicket, TicketService
from handlers.group_commit import GroupCommit
from handlers.replies import in_slack


@dataclass(frozen=True)
class Deps:
    tickets: TicketService
    clock: Clock
    unit_of_work: Callable[..., Any]
    in_flight: InFlight = field(default_factory=InFlight)
    decisions: DecisionService | None = None
    nominations: NominationService | None = None
    elections: ElectionService | None = None
    # New tickets that arrive together share one transaction (see handlers.group_commit).
    _opening: GroupCommit[NewTicket, Outcome] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        opening = GroupCommit(lambda requests: self.tickets.open_many(requests, self.clock.now()),
                              others_coming=self._others_coming)
        object.__setattr__(self, "_opening", opening)

    @property
    def config(self) -> Config:
        """The config being served: the ticket service's, so a reloaded app.yaml reaches every handler."""
        return self.tickets.config

    def _others_coming(self, waiting: int) -> bool:
        # Requests already in flight will join. And while requests come in crowds, the rest of the
        # crowd is likely a moment away: ten clients answered in turn are rarely all in flight at one
        # instant, and waiting for them (4 ms at most, see GroupCommit) halved the commits per ask.
        return self.in_flight.uncommitted > waiting or waiting < self.in_flight.recent_peak

    @classmethod
    def of(cls, upline) -> Deps:
        return cls(upline.tickets, upline.clock, upline.unit_of_work, upline.in_flight, upline.decisions,
                   getattr(upline, "nominations", None), getattr(upline, "elections", None))

    async def open_ticket(self, request: NewTicket) -> Outcome:
        """Open a ticket, committed (with the others that arrived with it) before this returns."""
        try:
            return await self._opening.submit(request)
        finally:
            self.in_flight.committed()

    async def call(self, function: Callable[..., Any], /, *args, **kwargs) -> Any:
        """Run a synchronous service call off the event loop, so one slow commit never stalls the rest.

        A refusal comes back naming its people as Slack mentions, whichever handler shows it.
        """
        try:
            return await asyncio.to_thread(function, *args, **kwargs)
        except UserError as error:
            shown = in_slack(self.config, error)
            if shown is error:
                raise
            raise shown from error
