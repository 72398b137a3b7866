"""`/veto #N <reason>`: a core maintainer asks the core to veto a published module decision.

    /veto #12 This breaks the serialization format we promised to keep

Within the decision's `veto_window` of its publication, the core votes on it (For vetoes it; the
lead decides on no decision); a vetoed decision is published as vetoed, with the reason. Whoever
asked is told privately: "You asked the core to veto #12. #12 is open for the core maintainers
until Sat 28 Nov at 09:00 (For vetoes it): @Soumith @Ed … are asked to vote." The rules check the
window and who may ask; a refusal changes nothing.
"""

from __future__ import annotations

from slack_bolt.async_app import AsyncApp

from handlers.deps import Deps
from handlers.parsing import parse_decision
from handlers.payloads import command_text, command_user
from handlers.replies import answer_errors
from handlers.views.decision_words import opened

USAGE = "/veto #12 why the core should veto it"


def register(app: AsyncApp, deps: Deps) -> None:
    @app.command("/veto")
    async def veto_command(ack, command):
        async def work():
            number, reason = parse_decision(command_text(command), USAGE)
            outcome = await deps.call(deps.decisions.veto, number, by=command_user(command), reason=reason or "",
                                      now=deps.clock.now())
            await ack(text=f"You asked the core to veto #{number}. {opened(deps.config, outcome.decision)}")

        await answer_errors(lambda message: ack(text=message), work, f"/veto by {command.get('user_id')}")
