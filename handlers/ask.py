"""`/ask [area] <question>`: open a question on the area's ladder and say who was pinged.

    /ask nn How do I register a forward hook on a ModuleList?
    /ask why does torch/nn/modules/conv.py pad twice?      (the path finds the area)
    /ask                                                     (opens the ask form)
"""

from __future__ import annotations

from slack_bolt.async_app import AsyncApp

from bot.domain.ticket import Kind
from handlers.deps import Deps
from handlers.opening import open_form, open_from_text
from handlers.payloads import command_text, command_user
from handlers.replies import answer_errors


def register(app: AsyncApp, deps: Deps) -> None:
    @app.command("/ask")
    async def ask(ack, command, client):
        async def work():
            user, text = command_user(command), command_text(command)
            if not text:
                await open_form(client, deps, command, Kind.QUESTION)
                await ack()
                return
            await ack(**await open_from_text(deps, user=user, kind=Kind.QUESTION, text=text))

        await answer_errors(lambda message: ack(text=message), work, f"/ask by {command.get('user_id')}")
