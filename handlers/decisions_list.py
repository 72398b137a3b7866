"""`/decisions [area]`: the decisions under way and the latest outcomes, to the person who asked.

    /decisions            every area's and the core's
    /decisions nn         nn's only (an alias works too: /decisions torch.nn)
    /decisions core       what is with the core or the lead now, and the latest outcomes they decided

Each decision under way shows its number, area, proposal (shortened), tally, deadline and who has
not voted; each outcome its number, outcome and when it was published (`handlers.views.decision_list`).
"""

from __future__ import annotations

from slack_bolt.async_app import AsyncApp

from bot.config.routing import close_areas
from bot.domain.decision_record import CORE, LEAD
from bot.domain.errors import UserError
from bot.services.decisions import Listing
from handlers.deps import Deps
from handlers.payloads import command_text
from handlers.replies import answer_errors
from handlers.views.decision_list import listing_blocks, listing_text
from handlers.vote import named_area

ABOVE = (CORE, LEAD)


def register(app: AsyncApp, deps: Deps) -> None:
    @app.command("/decisions")
    async def decisions_command(ack, command):
        async def work():
            word = command_text(command).split(maxsplit=1)[0] if command_text(command) else None
            area = None
            if word is not None:
                area = named_area(deps.config, word)
                if area is None:
                    raise UserError(unknown_area(deps, word))
            listing = await deps.call(deps.decisions.listing, None if area == "core" else area)
            if area == "core":
                listing = Listing(open=[d for d in listing.open if d.level in ABOVE],
                                  recent=[d for d in listing.recent if d.level in ABOVE])
            await ack(text=listing_text(listing), blocks=listing_blocks(deps.config, listing, area))

        await answer_errors(lambda message: ack(text=message), work, f"/decisions by {command.get('user_id')}")


def unknown_area(deps: Deps, word: str) -> str:
    close = close_areas(deps.config, word)
    hint = f" Did you mean {' or '.join(close)}?" if close else " `/decisions` with no area lists them all."
    return f"There is no area '{word[:40]}'.{hint}"  # escaped with every refusal (handlers.replies)
