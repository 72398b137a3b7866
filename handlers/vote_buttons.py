"""The vote buttons, **For**, **Against**, **Abstain** (and **Recuse** in a core vote), wherever a vote
shows them: its message, the lead's DM, App Home, `/status #12`.

    [For]        "You voted For on #12."
    [Against]    "You changed your vote on #12 to Against (it was For)."
    [Abstain]    "You voted Abstain on #12. That closed the vote: passed; the nn maintainers write its
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
from handlers.decision_clicks import answer_clicker, decision_number
from handlers.deps import Deps
from handlers.payloads import action_value, clicker
from handlers.replies import answer_errors
from handlers.views.decision_actions import RECUSE, VOTES
from handlers.views.decision_words import RESULTS, detail, where


def followed(deps: Deps, outcome: DecisionOutcome) -> str:
    """What the click set off, when it closed the vote: " That closed the vote: passed; …"."""
    closed = next((event for event in outcome.events if event.kind == "closed"), None)
    if closed is None:
        return ""
    decision = outcome.decision
    if decision.state is State.DECIDED:  # "passed; the nn maintainers write its rationale by …"
        return f" That closed the vote: {detail(deps.config, decision)}."
    return f" That closed the vote: {RESULTS.get(closed.data.get('result'), '?')}; {where(deps.config, decision)}."


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
    for action_id, choice in VOTES.items():
        app.action(action_id)(_vote_button(deps, action_id, Choice(choice)))

    @app.action(RECUSE)
    async def recuse_button(ack, body, action, client):
        await ack()
        user, tell = clicker(body), answer_clicker(deps, client, body)

        async def work():
            outcome = await deps.call(deps.decisions.recuse, decision_number(action_value(action)), by=user,
                                      now=deps.clock.now())
            await tell(recused(deps, outcome))

        await answer_errors(tell, work, f"{RECUSE} on #{action.get('value')} by {user}")


def _vote_button(deps: Deps, action_id: str, choice: Choice):
    async def vote_button(ack, body, action, client):
        await ack()
        user, tell = clicker(body), answer_clicker(deps, client, body)

        async def work():
            outcome = await deps.call(deps.decisions.cast, decision_number(action_value(action)), by=user,
                                      choice=choice, now=deps.clock.now())
            await tell(voted(deps, outcome))

        await answer_errors(tell, work, f"{action_id} on #{action.get('value')} by {user}")

    vote_button.__name__ = f"vote_{choice.value}_button"  # what Bolt's logs and the manifest's check call it
    return vote_button
