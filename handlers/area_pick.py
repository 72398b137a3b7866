"""The area picker's choices: when Upline could not tell which area a question is for, the asker picks.

    I could not tell which area this question is for. Did you mean *optim*? …
    [Ask in optim]  [Another area… ▾]  [Open the form…]

"Ask in optim", or an area chosen in the list, opens the ticket there, and the picker turns into the
usual confirmation ("#3 opened in optim … Pinged …"). "Open the form…" opens the ask form with the
question already filled in. A button carries the question in its value; the list reads it back
from the draft its block names (see `handlers.views.area_picker`), which is dropped once the
ticket is open — and with it the thread of an `@Upline ask`, which the ticket stays linked to.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from slack_bolt.async_app import AsyncApp

from bot.domain.errors import UserError
from bot.domain.ticket import Kind
from bot.services.drafts import discard_draft, find_draft
from handlers.deps import Deps
from handlers.opening import open_in_area
from handlers.payloads import action_value, block_id, clean, clicker, selected_option, trigger
from handlers.replies import answer_errors
from handlers.views.area_picker import PICK_AREA, PICK_LISTED, PICK_OTHER, draft_token
from handlers.views.ask_modal import ask_modal

STALE = "This choice can no longer be read; ask again with the area first: `/ask nn …`"
EXPIRED = ("This list has expired (it keeps a question for a day), or was not yours; "
           "ask again, with the area first if you know it: `/ask nn …`")


@dataclass(frozen=True)
class Choice:
    kind: Kind
    text: str
    area: str | None = None


def parse_choice(value: str | None) -> Choice:
    """The button's value, as `area_picker` wrote it: JSON with the area, the kind and the question."""
    try:
        fields = json.loads(value or "")
        area = fields.get("area")
        if not isinstance(fields["text"], str) or not (area is None or isinstance(area, str)):
            raise TypeError("not the picker's value")
        return Choice(Kind(fields["kind"]), clean(fields["text"]), area)
    except (ValueError, TypeError, KeyError, AttributeError, RecursionError):
        raise UserError(STALE) from None


def register(app: AsyncApp, deps: Deps) -> None:
    @app.action(re.compile(rf"^{PICK_AREA}:"))
    async def ask_in_area(ack, body, action, respond):
        await ack()
        user = clicker(body)

        async def work() -> None:
            choice = parse_choice(action_value(action))
            answer = await open_in_area(deps, user=user, kind=choice.kind, area=choice.area, text=choice.text)
            # The picker becomes the confirmation, so its buttons cannot open the same question twice.
            await respond(text=answer["text"], replace_original=True)

        async def tell(text: str) -> None:
            await respond(text=text, replace_original=False, response_type="ephemeral")

        await answer_errors(tell, work, f"{action.get('action_id')} by {user}")

    @app.action(PICK_LISTED)
    async def ask_in_listed_area(ack, body, action, respond):
        await ack()
        user = clicker(body)

        async def work() -> None:
            token = draft_token(block_id(action))
            area = selected_option(action)
            if token is None or not area:
                raise UserError(STALE)
            draft = await deps.call(find_draft, deps.unit_of_work, token, user, deps.clock.now())
            if draft is None:
                raise UserError(EXPIRED)
            answer = await open_in_area(deps, user=user, kind=draft.kind, area=area, text=draft.text,
                                        thread=draft.thread)
            await respond(text=answer["text"], replace_original=True)
            await deps.call(discard_draft, deps.unit_of_work, token)

        async def tell(text: str) -> None:
            await respond(text=text, replace_original=False, response_type="ephemeral")

        await answer_errors(tell, work, f"{PICK_LISTED} by {user}")

    @app.action(PICK_OTHER)
    async def ask_elsewhere(ack, body, action, client, respond):
        await ack()
        user = clicker(body)

        async def work() -> None:
            choice = parse_choice(action_value(action))
            await client.views_open(trigger_id=trigger(body),
                                    view=ask_modal(deps.config, choice.kind, text=choice.text))

        async def tell(text: str) -> None:
            await respond(text=text, replace_original=False, response_type="ephemeral")

        await answer_errors(tell, work, f"{PICK_OTHER} by {user}")
