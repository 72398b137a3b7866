"""`/vote [area] <proposal>` and `/vote #N`: put a proposal, or an open ticket's question, to a vote.

    /vote nn Deprecate nn.Container in favour of nn.ModuleList
    /vote core Adopt the RFC process for new modules
    /vote Deprecate nn.Container           (the area you maintain, or a core vote for the core)
    /vote #5                               (ticket #5's question; #5 resolves with the outcome's rationale)

The first word is the area when it is an area's key or alias, or `core`; otherwise the whole text is
the proposal. Whoever called it is told privately: "#12 is open for the nn maintainers until Mon 30
Nov at 09:00: @Mikayla @Alban @Joel are asked to vote." Someone who may not call votes is told who
may, and that `/escalate` is theirs; a proposal over 2,000 characters is refused with its length.
Either way nothing is stored.
"""

from __future__ import annotations

import re

from slack_bolt.async_app import AsyncApp

from bot.config.schema import Config
from bot.domain.decision_record import DecisionOutcome
from bot.domain.errors import UserError
from handlers.deps import Deps
from handlers.parsing import names_a_ticket, parse_ticket
from handlers.payloads import command_text, command_user
from handlers.replies import answer_errors
from handlers.views.decision_text import opened

# Refusals are escaped on their way to Slack (handlers.replies), so <…> here reads as typed.
USAGE = "/vote [area] <proposal>` or `/vote #12"


def named_area(config: Config, word: str) -> str | None:
    """The area key `word` names (a key or an alias, any case), "core", or None."""
    folded = word.casefold()
    if folded == "core":
        return "core"
    for area in config.areas:
        if area.key.casefold() == folded or any(alias.casefold() == folded for alias in area.aliases):
            return area.key
    return None


def parse_vote(config: Config, text: str) -> tuple[int | None, str | None, str]:
    """`#5` → (5, None, ""); `nn Deprecate it` → (None, "nn", "Deprecate it"); `Deprecate it` →
    (None, None, "Deprecate it"). Empty text, or an area with nothing after it, is a UserError."""
    text = text.strip()
    if not text:
        raise UserError(f"What should be decided? Write it as `{USAGE}`.")
    if names_a_ticket(text):
        number, rest = parse_ticket(text, USAGE)
        if rest:
            raise UserError(f"`/vote #{number}` puts ticket #{number}'s question to the vote as it stands; to vote on "
                            "something else, write `/vote [area] <proposal>`.")
        return number, None, ""
    first, rest = _first_word(text)
    area = named_area(config, first)
    if area is None:
        return None, None, text
    if not rest:
        group = "core maintainers" if area == "core" else f"{area} maintainers"
        raise UserError(f"What should the {group} vote on? Write it after the area: `/vote {first} <proposal>`.")
    return None, area, rest


def _first_word(text: str) -> tuple[str, str]:
    """The first word and the rest: an area may be followed by a line break as well as by a space."""
    parts = re.split(r"\s+", text, maxsplit=1)
    return parts[0], parts[1].strip() if len(parts) > 1 else ""


def called(deps: Deps, outcome: DecisionOutcome) -> str:
    decision = outcome.decision
    said = opened(deps.config, decision)
    if decision.ticket is not None:
        said += f" Ticket #{decision.ticket} resolves with its outcome and rationale once they are published."
    return said


def register(app: AsyncApp, deps: Deps) -> None:
    @app.command("/vote")
    async def vote_command(ack, command):
        async def work():
            user, now = command_user(command), deps.clock.now()
            ticket, area, proposal = parse_vote(deps.config, command_text(command))
            if ticket is not None:
                outcome = await deps.call(deps.decisions.call_on_ticket, ticket, by=user, now=now)
            else:
                outcome = await deps.call(deps.decisions.call, by=user, area=area, proposal=proposal, now=now)
            await ack(text=called(deps, outcome))

        await answer_errors(lambda message: ack(text=message), work, f"/vote by {command.get('user_id')}")
