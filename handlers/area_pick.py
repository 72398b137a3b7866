"""The area picker's buttons: when Upline could not tell which area a question is for, the asker picks.

    I could not tell which area this question is for. Did you mean *optim*, *nn*? …
    [Ask in optim] [Ask in nn] [Another area…]

"Ask in optim" opens the ticket there and the picker turns into the usual confirmation ("#3 opened
in optim … Pinged …"). "Another area…" opens the ask form with the question already filled in.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from slack_bolt.async_app import AsyncApp

from bot.domain.errors import UserError
from bot.domain.ticket import Kind
from handlers.deps import Deps
from handlers.opening import PICK_AREA, PICK_OTHER, open_in_area
from handlers.replies import answer_errors
from handlers.views.ask_modal import ask_modal

STALE = "This choice can no longer be read; ask again with the area first: `/ask nn …`"


@dataclass(frozen=True)
class Choice:
    kind: Kind
    text: str
    area: str | None = None


def parse_choice(value: str | None) -> Choice:
    """The button's value, as `area_picker` wrote it: JSON with the area, the kind and the question."""
    try:
        fields = json.loads(value or "")
        return Choice(Kind(fields["kind"]), str(fields["text"]), fields.get("area"))
    except (ValueError, TypeError, KeyError):
        raise UserError(STALE) from None


def register(app: AsyncApp, deps: Deps) -> None:
    @app.action(re.compile(rf"^{PICK_AREA}:"))
    async def ask_in_area(ack, body, action, respond):
        await ack()
        user = body["user"]["id"]

        async def work() -> None:
            choice = parse_choice(action.get("value"))
            answer = await open_in_area(deps, user=user, kind=choice.kind, area=choice.area, text=choice.text)
            # The picker becomes the confirmation, so its buttons cannot open the same question twice.
            await respond(text=answer["text"], replace_original=True)

        async def tell(text: str) -> None:
            await respond(text=text, replace_original=False, response_type="ephemeral")

        await answer_errors(tell, work, f"{action.get('action_id')} by {user}")

    @app.action(PICK_OTHER)
    async def ask_elsewhere(ack, body, action, client, respond):
        await ack()
        user = body["user"]["id"]

        async def work() -> None:
            choice = parse_choice(action.get("value"))
            await client.views_open(trigger_id=body["trigger_id"],
                                    view=ask_modal(deps.config, choice.kind, text=choice.text))

        async def tell(text: str) -> None:
            await respond(text=text, replace_original=False, response_type="ephemeral")

        await answer_errors(tell, work, f"{PICK_OTHER} by {user}")
