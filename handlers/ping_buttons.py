"""The ping's buttons, and the asker's "I answered", as the person who clicks them sees them.

    #12 · question · nn
    [Acknowledge] [Resolve] [Escalate] [Waiting on asker]      on the ping, in a channel or a DM
    [I answered]                                               on the asker's "needs more from you" DM

A click changes the ticket and nothing else here: the ping is brought up to date in place and the
asker is told through the outbox, so a click that worked adds no message of its own — except
Escalate, whose clicker is told where the ticket went. A click that is refused ("Only the nn
maintainers, core maintainers or the lead can acknowledge #12.") is answered to the clicker alone,
and changes nothing. The same buttons on App Home's triage agenda are answered by redrawing the tab,
the answer at its top ("#12: you acknowledged it.").
"""

from __future__ import annotations

import functools
from collections.abc import Callable

from slack_bolt.async_app import AsyncApp

from bot.domain.errors import UserError
from bot.domain.ticket import Outcome
from handlers.decision_clicks import answer_clicker, on_home
from handlers.deps import Deps
from handlers.parsing import ticket_id
from handlers.payloads import action_value, clicker
from handlers.replies import answer_errors
from handlers.views.asker_notes import REPLIED_BUTTON
from handlers.views.text import level_label, mentions

ESCALATE_REASON = "by hand from the ping"
DONE = {"ticket_acknowledge": "you acknowledged it", "ticket_resolve": "you resolved it",
        "ticket_wait": "it now waits on the asker", REPLIED_BUTTON: "the clocks run again"}


def ticket_number(value: str | None) -> int:
    if not (value and value.isascii() and value.isdigit()):
        raise UserError("That button does not name a ticket; use `/status` to find it.")
    return ticket_id(value)


def moved_up(deps: Deps, outcome: Outcome) -> str:
    ticket = outcome.ticket
    pinged = [person for notice in outcome.notices if notice.kind == "escalated" for person in notice.to]
    return (f"#{ticket.id} moved up to the {level_label(deps.config, ticket.level)}"
            + (f": pinged {mentions(deps.config, pinged)}." if pinged else "."))


def register(app: AsyncApp, deps: Deps) -> None:
    def button(action_id: str, act: Callable[..., Outcome],
               confirm: Callable[[Deps, Outcome], str] | None = None) -> None:
        @app.action(action_id)
        async def click(ack, body, action, client):
            await ack()
            user, tell_clicker = clicker(body), answer_clicker(deps, client, body)

            async def work() -> None:
                outcome = await deps.call(act, ticket_number(action_value(action)), by=user, now=deps.clock.now())
                if confirm is not None:
                    await tell_clicker(confirm(deps, outcome))
                elif on_home(body):  # the tab is redrawn with the answer: no ping there updates in place
                    await tell_clicker(f"#{outcome.ticket.id}: {DONE[action_id]}.")

            await answer_errors(tell_clicker, work, f"{action_id} on #{action.get('value')} by {user}")

    tickets = deps.tickets
    button("ticket_acknowledge", tickets.acknowledge)
    button("ticket_resolve", tickets.resolve)
    button("ticket_escalate", functools.partial(tickets.escalate, reason=ESCALATE_REASON), confirm=moved_up)
    button("ticket_wait", tickets.wait_on_asker)
    button(REPLIED_BUTTON, tickets.asker_replied)
