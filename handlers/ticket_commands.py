"""`/ack #N` and `/resolve #N [note]`: the buttons' work, typed.

    /ack #12
    /resolve #12 Fixed in pytorch/pytorch#1234
"""

from __future__ import annotations

from slack_bolt.async_app import AsyncApp

from handlers.deps import Deps
from handlers.parsing import parse_ticket
from handlers.payloads import command_text, command_user
from handlers.replies import answer_errors
from handlers.views.text import when


def register(app: AsyncApp, deps: Deps) -> None:
    @app.command("/ack")
    async def ack_command(ack, command):
        async def work():
            number, _ = parse_ticket(command_text(command), "/ack #12")
            outcome = await deps.call(deps.tickets.acknowledge, number, by=command_user(command), now=deps.clock.now())
            await ack(text=f"You have #{number}; the asker was told. Resolve it by "
                           f"{when(outcome.ticket.resolve_due_at)}.")

        await answer_errors(lambda message: ack(text=message), work, f"/ack by {command.get('user_id')}")

    @app.command("/resolve")
    async def resolve_command(ack, command):
        async def work():
            number, note = parse_ticket(command_text(command), "/resolve #12 what fixed it")
            await deps.call(deps.tickets.resolve, number, by=command_user(command), now=deps.clock.now(), note=note)
            await ack(text=f"#{number} is resolved" + (" with your note." if note else ".")
                           + " The asker was told.")

        await answer_errors(lambda message: ack(text=message), work, f"/resolve by {command.get('user_id')}")
