"""`/handover #N @person` and the ping's user picker: give a ticket to someone else on its ladder.

    /handover #12 @Alban Desmaison
    [Hand over to… ▾]      a users_select on the ping, in the block `ticket_handover:12`

The ticket moves to that person's rung (the one way a ticket goes down its ladder) and waits for
their acknowledgement with a fresh ack window; they are told by DM, and so is the asker. Anyone on
the ladder may hand a ticket over, to anyone on it. Whoever handed it over is told privately
("#12 handed to @Alban; they and the asker were told."); a refusal is answered to them alone and
changes nothing.

The command is registered with `should_escape` (bot/manifest.py), so Slack sends a person picked
from its list as `<@U123|name>`; `<@U123>` is accepted too. A bare name is not: it names nobody
for sure, and the answer says how to pick the person.
"""

from __future__ import annotations

import re

from slack_bolt.async_app import AsyncApp

from bot.domain.errors import UserError
from bot.domain.ticket import Outcome
from handlers.deps import Deps
from handlers.parsing import parse_ticket
from handlers.payloads import block_id, clicker, command_text, command_user, selected_user
from handlers.replies import answer_errors, to_clicker
from handlers.views.text import mention
from handlers.views.ticket_actions import HANDOVER

USAGE = "/handover #12 @person"
MENTION = re.compile(r"^<@([UW][A-Z0-9]+)(?:\|[^>]*)?>$")


def parse_handover(text: str) -> tuple[int, str]:
    """`#12 <@U123|name>` (or `#12 <@U123>`) -> (12, "U123"); anything else is a UserError with the usage."""
    number, rest = parse_ticket(text, USAGE)
    match = MENTION.match(rest or "")
    if match is None:
        raise UserError(f"Who should have #{number}? Write it as `{USAGE}`, picking the person from the list "
                        "Slack offers when you type @, so that it names them.")
    return number, match.group(1)


def picked(action: dict) -> tuple[int, str]:
    """The ticket (from the picker's block_id) and the person picked."""
    prefix, _, number = (block_id(action) or "").partition(":")
    if prefix != HANDOVER or not number.isdigit():
        raise UserError("That picker does not name a ticket; use `/status` to find it.")
    person = selected_user(action)
    if not person:
        raise UserError(f"Pick the person to hand #{number} to.")
    return int(number), person


def handed(deps: Deps, outcome: Outcome) -> str:
    ticket = outcome.ticket
    return f"#{ticket.id} handed to {mention(deps.config, ticket.assignee)}; they and the asker were told."


def register(app: AsyncApp, deps: Deps) -> None:
    @app.command("/handover")
    async def handover_command(ack, command):
        async def work():
            number, person = parse_handover(command_text(command))
            outcome = await deps.call(deps.tickets.reassign, number, by=command_user(command), now=deps.clock.now(),
                                      to_person=person)
            await ack(text=handed(deps, outcome))

        await answer_errors(lambda message: ack(text=message), work, f"/handover by {command.get('user_id')}")

    @app.action(HANDOVER)
    async def handover_picked(ack, body, action, client):
        await ack()
        user, tell = clicker(body), to_clicker(client, body)

        async def work():
            number, person = picked(action)
            outcome = await deps.call(deps.tickets.reassign, number, by=user, now=deps.clock.now(), to_person=person)
            await tell(handed(deps, outcome))

        await answer_errors(tell, work, f"{HANDOVER} in {action.get('block_id')} by {user}")
