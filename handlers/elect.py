"""`/elect lead`: the core elects the lead core maintainer by ranked-choice vote, once the seat is vacant.

    /elect lead      (a core maintainer, once the core removed the lead or the lead is away for longer than a
                     nominations review; or the lead, stepping down)

Whoever typed it is told privately: "#57: the core says who stands until Mon 30 Nov at 09:00: @Edward
@Greg … are asked whether they stand." The election's message, with Stand and Not standing, goes to
the core's channel (else each voter's DM; handlers/election_delivery.py). The rules refuse, and nothing
is stored, when the seat is not vacant, when an election is already open, and for anyone but the core;
anything but `lead` after `/elect` gets the usage.
"""

from __future__ import annotations

from slack_bolt.async_app import AsyncApp

from bot.domain.election_record import ElectionOutcome
from bot.domain.errors import UserError
from handlers.deps import Deps
from handlers.payloads import command_text, command_user
from handlers.replies import answer_errors
from handlers.views.text import mentions, when

USAGE = ("Write it as `/elect lead`: the core maintainers elect the lead core maintainer, by ranked-choice vote, "
         "once the lead's seat is vacant.")


def parse_elect(text: str) -> None:
    """`lead` is the one seat elected; anything else is the usage."""
    if text.strip().casefold() != "lead":
        raise UserError(USAGE)


def opened(deps: Deps, outcome: ElectionOutcome) -> str:
    election = outcome.election
    return (f"#{election.number}: the core says who stands until {when(election.stand_until)}: "
            f"{mentions(deps.config, election.voters)} {'is' if len(election.voters) == 1 else 'are'} asked "
            "whether they stand.")


def register(app: AsyncApp, deps: Deps) -> None:
    @app.command("/elect")
    async def elect_command(ack, command):
        async def work():
            user = command_user(command)
            parse_elect(command_text(command))
            outcome = await deps.call(deps.elections.open, by=user, now=deps.clock.now())
            await ack(text=opened(deps, outcome))

        await answer_errors(lambda message: ack(text=message), work, f"/elect by {command.get('user_id')}")
