"""`/veto #N <reason>`: a core maintainer asks the core to veto a published module decision.

    /veto #12 This breaks the serialization format we promised to keep

Within the decision's `veto_window` of its publication, the core votes on it (For vetoes it; the
lead decides on no decision); a vetoed decision is published as vetoed, with the reason. Whoever
asked is told privately: "You asked the core to veto #12. #12 is open for the core maintainers
until Sat 28 Nov at 09:00: @Soumith @Ed … are asked to vote. *For* vetoes the decision (*passed*),
*Against* lets it stand." The rules check the window and who may ask; a refusal changes nothing.
"""

from __future__ import annotations

from slack_bolt.async_app import AsyncApp

from bot.domain.decision_record import DecisionOutcome
from handlers.decision_command import reasoned_command
from handlers.deps import Deps
from handlers.views.decision_text import name, opened

USAGE = "/veto #12 why the core should veto it"


def asked(deps: Deps, outcome: DecisionOutcome) -> str:
    return f"You asked the core to veto {name(outcome.decision)}. {opened(deps.config, outcome.decision)}"


def register(app: AsyncApp, deps: Deps) -> None:
    reasoned_command(app, deps, "/veto", USAGE, lambda number, **said: deps.decisions.veto(number, **said), asked)
