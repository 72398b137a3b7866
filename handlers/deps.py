"""What handlers may use: the services, the config and the clock — never the database directly."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from bot.clock import Clock
from bot.config import Config
from bot.services.tickets import TicketService


@dataclass(frozen=True)
class Deps:
    tickets: TicketService
    config: Config
    clock: Clock
    unit_of_work: Callable[..., Any]

    @classmethod
    def of(cls, upline) -> Deps:
        return cls(upline.tickets, upline.config, upline.clock, upline.unit_of_work)

    async def call(self, function: Callable[..., Any], /, *args, **kwargs) -> Any:
        """Run a synchronous service call off the event loop, so one slow commit never stalls the rest."""
        return await asyncio.to_thread(function, *args, **kwargs)
