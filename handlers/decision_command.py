"""What `/dispute #N <reason>` and `/veto #N <reason>` share: the decision's number and the reason are
read from the text, the rules decide, and whoever typed it reads what happens next, or why not."""

from __future__ import annotations

from collections.abc import Callable

from slack_bolt.async_app import AsyncApp

from bot.domain.decision_record import DecisionOutcome
from handlers.deps import Deps
from handlers.parsing import parse_decision
from handlers.payloads import command_text, command_user
from handlers.replies import answer_errors


def reasoned_command(app: AsyncApp, deps: Deps, command_name: str, usage: str, act: Callable[..., DecisionOutcome],
                     confirm: Callable[[Deps, DecisionOutcome], str]) -> None:
    """`command_name #N <reason>` does `act(number, by=…, reason=…, now=…)` and answers with `confirm`."""
    async def reasoned(ack, command):
        async def work():
            number, reason = parse_decision(command_text(command), usage)
            outcome = await deps.call(act, number, by=command_user(command), reason=reason or "",
                                      now=deps.clock.now())
            await ack(text=confirm(deps, outcome))

        await answer_errors(lambda message: ack(text=message), work, f"{command_name} by {command.get('user_id')}")

    reasoned.__name__ = f"{command_name.removeprefix('/')}_command"  # what Bolt's logs and the manifest's check say
    app.command(command_name)(reasoned)
