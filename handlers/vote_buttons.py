"""The vote buttons, **For**, **Against**, **Abstain** (and **Recuse** in a core vote), wherever a vote
shows them: its message, the lead's DM, App Home, `/status #12`.

    [For]        "You voted For on #12."
    [Against]    "You changed your vote on #12 to Against (it was For)."
    [Abstain]    "You voted Abstain on #12. That closed the vote: *passed*; the nn maintainers write its
                 rationale by Thu 3 Dec at 09:00."
    [Recuse]     "You recused yourself from the vote on #12: you are no longer one of its voters."

Only the person who clicked reads the answer. A click the rules refuse — someone who is not a voter,
a vote already closed, the choice already made (a retried click) — is answered with why, and
changes nothing; the vote message itself is brought up to date by its delivery, not here.
"""

from __future__ import annotations

from slack_bolt.async_app import AsyncApp

from bot.domain.decision_record import DecisionOutcome, State
from bot.domain.tally import Choice
from handlers.decision_clicks import decision_button
from handlers.deps import Deps
from handlers.views.decision_actions import RECUSE, VOTES
from handlers.views.decision_text import result_words, standing


def followed(deps: Deps, outcome: DecisionOutcome) -> str:
    """What the click set off, when it closed the vote: " That closed the vote: *passed*; …"."""
    if not any(event.kind == "closed" for event in outcome.events):
        return ""
    decision = outcome.decision
    if decision.state is State.DECIDED:  # "*passed*; the nn maintainers write its rationale by …"
        return f" That closed the vote: {standing(deps.config, decision)}."
    closed = next(r for r in reversed(decision.rounds) if r.result is not None)
    return f" That closed the vote: {result_words(closed)}; {standing(deps.config, decision)}."


def voted(deps: Deps, outcome: DecisionOutcome) -> str:
    event = next(event for event in outcome.events if event.kind == "voted")
    choice, previous = event.data["choice"].capitalize(), event.data.get("previous")
    number = outcome.decision.number
    said = (f"You changed your vote on #{number} to {choice} (it was {previous.capitalize()})." if previous
            else f"You voted {choice} on #{number}.")
    return said + followed(deps, outcome)


def recused(deps: Deps, outcome: DecisionOutcome) -> str:
    return (f"You recused yourself from the vote on #{outcome.decision.number}: you are no longer one of its voters."
            + followed(deps, outcome))


def register(app: AsyncApp, deps: Deps) -> None:
    def cast(choice: Choice):
        return lambda number, **who: deps.decisions.cast(number, choice=choice, **who)

    for action_id, choice in VOTES.items():
        decision_button(app, deps, action_id, cast(Choice(choice)), voted)
    decision_button(app, deps, RECUSE, lambda number, **who: deps.decisions.recuse(number, **who), recused)
