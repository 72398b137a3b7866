"""What every click on a decision's button shares: which decision it names, and how the person who
clicked is answered — privately, where they clicked.

    on a message (the vote message, the lead's DM, `/status #12`)   an ephemeral there ("You voted For on #12.")
    on App Home                                                      the tab redrawn, the answer at its top

A Home tab is no conversation, so an ephemeral cannot go there; redrawing it also takes away the
buttons of what no longer waits on them. A button that acts at once (a vote, Recuse, Revote, Escalate
to core) is registered with `decision_button`.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from slack_bolt.async_app import AsyncApp

from bot.domain.decision_record import DecisionOutcome
from bot.domain.errors import UserError
from handlers.deps import Deps
from handlers.home import publish_home
from handlers.parsing import ticket_id
from handlers.payloads import action_value, clicker
from handlers.replies import answer_errors, request_reference, to_clicker

log = logging.getLogger(__name__)


def decision_number(value: str | None) -> int:
    """The decision a button names (its value, "12"), or metadata "12:approve" → 12."""
    number = (value or "").partition(":")[0]
    if not (number and number.isascii() and number.isdigit()):
        raise UserError("That button does not name a decision; `/decisions` lists them.")
    return ticket_id(number, "decision")  # one series for tickets and decisions


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


def decision_button(app: AsyncApp, deps: Deps, action_id: str, act: Callable[..., DecisionOutcome],
                    confirm: Callable[[Deps, DecisionOutcome], str]) -> None:
    """`action_id` does `act(number, by=…, now=…)` on the decision its value names, and answers whoever
    clicked with `confirm`, or with why the rules refused."""
    async def click(ack, body, action, client):
        await ack()
        user, tell = clicker(body), answer_clicker(deps, client, body)

        async def work():
            outcome = await deps.call(act, decision_number(action_value(action)), by=user, now=deps.clock.now())
            await tell(confirm(deps, outcome))

        await answer_errors(tell, work, f"{action_id} on #{action.get('value')} by {user}")

    click.__name__ = f"{action_id}_button"  # what Bolt's logs and the manifest's check call it
    app.action(action_id)(click)
