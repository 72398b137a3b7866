"""`/dispute #N <reason>`: a maintainer disputes a published module decision.

    /dispute #12 Container is still used by half the tutorials; deprecating it breaks them

The group that decided is asked to answer, **Uphold** (with an explanation, published) or
**Revote**; whoever disputed is told privately what happens next: "You disputed #12. The nn
maintainers are asked to answer by Mon 30 Nov at 09:00; if they do not, or you press Escalate to
core, the core votes on it." The rules say who may dispute and when; a refusal changes nothing.
"""

from __future__ import annotations

from slack_bolt.async_app import AsyncApp

from bot.domain.decision_record import DecisionOutcome
from handlers.deps import Deps
from handlers.parsing import parse_decision
from handlers.payloads import command_text, command_user
from handlers.replies import answer_errors
from handlers.views.decision_words import group
from handlers.views.text import when

USAGE = "/dispute #12 why the decision is wrong"


def disputed(deps: Deps, outcome: DecisionOutcome) -> str:
    decision = outcome.decision
    dispute = decision.disputes[-1]
    return (f"You disputed #{decision.number}. The {group(deps.config, decision.deciding.level)} are asked to answer "
            f"by {when(dispute.answer_due_at)}; if they do not, or you press Escalate to core, the core votes on it.")


def register(app: AsyncApp, deps: Deps) -> None:
    @app.command("/dispute")
    async def dispute_command(ack, command):
        async def work():
            number, reason = parse_decision(command_text(command), USAGE)
            outcome = await deps.call(deps.decisions.dispute, number, by=command_user(command), reason=reason or "",
                                      now=deps.clock.now())
            await ack(text=disputed(deps, outcome))

        await answer_errors(lambda message: ack(text=message), work, f"/dispute by {command.get('user_id')}")
