"""`/escalate`: raise a dispute or blocker that needs a decision, or push a ticket up by hand.

    /escalate nn The forward-hook API change breaks our users; we need a decision
    /escalate #12 Nobody has looked at this in a week
"""

from __future__ import annotations

from slack_bolt.async_app import AsyncApp

from bot.domain.ticket import Kind
from handlers.deps import Deps
from handlers.opening import open_form, open_from_text
from handlers.parsing import names_a_ticket, parse_ticket
from handlers.payloads import command_text, command_user
from handlers.replies import answer_errors
from handlers.views.text import level_label, mentions


def register(app: AsyncApp, deps: Deps) -> None:
    @app.command("/escalate")
    async def escalate(ack, command, client):
        async def work():
            user, text = command_user(command), command_text(command)
            if not text:
                await open_form(client, deps, command, Kind.ESCALATION)
                await ack()
                return
            if not names_a_ticket(text):
                await ack(**await open_from_text(deps, user=user, kind=Kind.ESCALATION, text=text))
                return
            number, reason = parse_ticket(text, "/escalate #12 why")
            outcome = await deps.call(deps.tickets.escalate, number, by=user, now=deps.clock.now(),
                                      reason=reason)
            pinged = [person for notice in outcome.notices if notice.kind == "escalated" for person in notice.to]
            await ack(text=f"#{number} moved up to the {level_label(deps.config, outcome.ticket.level)}"
                           + (f": pinged {mentions(deps.config, pinged)}." if pinged else "."))

        await answer_errors(lambda message: ack(text=message), work, f"/escalate by {command.get('user_id')}")
