"""`/reopen #N [why]` and the **Reopen** button: a resolved ticket that is not done after all.

    /reopen #12 still crashes on 2.5
    [Reopen]      on the resolved ping, on the asker's "resolved" DM and on `/status #12`

The ticket opens again on the rung it was resolved on, with fresh ack and resolve windows, and that
rung is pinged again (in the ping's thread); the asker is told when someone else reopened it. The
asker, whoever resolved it, the core maintainers and the lead may reopen. Whoever reopened is told,
privately, whom it went to: "#12 is open again with the nn maintainers: pinged @Mikayla @Alban." A
refusal ("#12 is not resolved, so there is nothing to reopen.") is answered to them alone and
changes nothing.
"""

from __future__ import annotations

from slack_bolt.async_app import AsyncApp

from bot.domain.ticket import Outcome
from handlers.deps import Deps
from handlers.parsing import parse_ticket
from handlers.payloads import action_value, clicker, command_text, command_user
from handlers.ping_buttons import ticket_number
from handlers.replies import answer_errors, to_clicker
from handlers.views.text import level_label, mentions
from handlers.views.ticket_actions import REOPEN

USAGE = "/reopen #12 why it is not done"


def reopened(deps: Deps, outcome: Outcome) -> str:
    """What the person who reopened is told: where it went, who was pinged, whether the asker heard."""
    ticket = outcome.ticket
    pinged = [person for notice in outcome.notices if notice.kind == "ping" for person in notice.to]
    asker_told = any(notice.kind == "reopened" and not notice.to for notice in outcome.notices)
    return (f"#{ticket.id} is open again with the {level_label(deps.config, ticket.level)}"
            + (f": pinged {mentions(deps.config, pinged)}." if pinged else
               "; nobody there can be pinged right now, they will see it when they are back.")
            + (" The asker was told." if asker_told else ""))


def register(app: AsyncApp, deps: Deps) -> None:
    @app.command("/reopen")
    async def reopen_command(ack, command):
        async def work():
            number, reason = parse_ticket(command_text(command), USAGE)
            outcome = await deps.call(deps.tickets.reopen, number, by=command_user(command), now=deps.clock.now(),
                                      reason=reason)
            await ack(text=reopened(deps, outcome))

        await answer_errors(lambda message: ack(text=message), work, f"/reopen by {command.get('user_id')}")

    @app.action(REOPEN)
    async def reopen_button(ack, body, action, client):
        await ack()
        user, tell = clicker(body), to_clicker(client, body)

        async def work():
            outcome = await deps.call(deps.tickets.reopen, ticket_number(action_value(action)), by=user,
                                      now=deps.clock.now())
            await tell(reopened(deps, outcome))

        await answer_errors(tell, work, f"{REOPEN} on #{action.get('value')} by {user}")
