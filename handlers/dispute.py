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
from handlers.decision_command import reasoned_command
from handlers.deps import Deps
from handlers.views.decision_text import deciders, name
from handlers.views.text import when

USAGE = "/dispute #12 why the decision is wrong"


def disputed(deps: Deps, outcome: DecisionOutcome) -> str:
    decision = outcome.decision
    return (f"You disputed {name(decision)}. The {deciders(deps.config, decision)} are asked to answer by "
            f"{when(decision.disputes[-1].answer_due_at)}; if they do not, or you press Escalate to core, the core "
            "votes on it.")


def register(app: AsyncApp, deps: Deps) -> None:
    reasoned_command(app, deps, "/dispute", USAGE, lambda number, **said: deps.decisions.dispute(number, **said),
                     disputed)
