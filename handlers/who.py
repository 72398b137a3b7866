"""`/who <area>`: the ladder a question in that area climbs, and who on it is away."""

from __future__ import annotations

import difflib

from slack_bolt.async_app import AsyncApp

from bot.config.ladders import ladder_for
from bot.config.routing import close_areas
from bot.config.schema import Config
from bot.domain.errors import UserError
from handlers.deps import Deps
from handlers.payloads import command_text
from handlers.replies import answer_errors
from handlers.views.text import mention, when


def register(app: AsyncApp, deps: Deps) -> None:
    @app.command("/who")
    async def who(ack, command):
        async def work():
            word = command_text(command).split(" ")[0]
            area = deps.config.area(word) if word else None
            if area is None:
                area = next((candidate for candidate in deps.config.areas
                             if word and word.casefold() in (alias.casefold() for alias in candidate.aliases)), None)
            if area is None:
                raise UserError(which_area(deps.config, word))
            away = await deps.call(deps.tickets.away_now, deps.clock.now())
            lines = [f"*{area.title}*" + (" _(sunset)_" if area.sunset else "")]
            for number, rung in enumerate(ladder_for(deps.config, area.key), start=1):
                people = ", ".join(
                    mention(deps.config, person) + (f" (away until {when(away[person])})" if person in away else "")
                    for person in rung.people)
                lines.append(f"{number}. {rung.label}: {people}")
            if area.emeritus:
                lines.append("Emeritus (not pinged): " + ", ".join(deps.config.display_name(p) for p in area.emeritus))
            await ack(text="\n".join(lines))

        await answer_errors(lambda message: ack(text=message), work, f"/who by {command.get('user_id')}")


def which_area(config: Config, word: str) -> str:
    """The answer to an area nobody has: the close ones when a word comes close, else every area."""
    live_areas = [area for area in config.areas if not area.sunset]
    names = {name.casefold(): area.key for area in live_areas for name in (area.key, *area.aliases)}
    spelt = [names[name] for name in difflib.get_close_matches(word.casefold(), names, n=3, cutoff=0.6)]
    close = tuple(dict.fromkeys([*spelt, *close_areas(config, word)]))[:3] if word else ()
    if close:
        return (f"There is no area '{word}'. Did you mean {', '.join(f'`{key}`' for key in close)}? "
                f"Try `/who {close[0]}`.")
    live = [area.key for area in live_areas]
    said = f"There is no area '{word}'." if word else "Which area?"
    return f"{said} The areas are {', '.join(f'`{key}`' for key in live)}: try `/who {live[0]}`."
