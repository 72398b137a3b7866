"""What every click on a decision's button shares: which decision it names, and how the person who
clicked is answered — privately, where they clicked.

    on a message (the vote message, the lead's DM, `/status #12`)   an ephemeral there ("You voted For on #12.")
    on App Home                                                      the tab redrawn, the answer at its top

A Home tab is no conversation, so an ephemeral cannot go there; redrawing it also takes away the
buttons of what no longer waits on them.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from bot.domain.errors import UserError
from handlers.deps import Deps
from handlers.home import publish_home
from handlers.parsing import ticket_id
from handlers.payloads import clicker
from handlers.replies import request_reference, to_clicker

log = logging.getLogger(__name__)


def decision_number(value: str | None) -> int:
    """The decision a button names (its value, "12"), or metadata "12:approve" → 12."""
    number = (value or "").partition(":")[0]
    if not (number and number.isascii() and number.isdigit()):
        raise UserError("That button does not name a decision; `/decisions` lists them.")
    return ticket_id(number)  # one series for tickets and decisions


def on_home(body: dict) -> bool:
    container, view = body.get("container"), body.get("view")
    return (isinstance(container, dict) and container.get("type") == "view" and isinstance(view, dict)
            and view.get("type") == "home")


def answer_clicker(deps: Deps, client, body: dict) -> Callable[[str], Awaitable[None]]:
    """An answer only the person who clicked sees, where they clicked."""
    if not on_home(body):
        return to_clicker(client, body)
    user = clicker(body)

    async def redraw(text: str) -> None:
        try:
            await publish_home(deps, client, user, note=text)
        except Exception:  # the tab cannot be drawn (database down): the log is all that is left
            log.exception("request %s: could not answer %s on their App Home: %r", request_reference(), user, text)

    return redraw
