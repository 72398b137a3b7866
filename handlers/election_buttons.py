"""The buttons of an election's message, and the ranking form one of them opens.

    [Stand] [Not standing]   act at once: "You stand for the lead in #57. You may change your mind until …"
    [Rank the candidates]    a form, one select per rank → "Your ballot in #57 is in: 1. Edward Yang …" by DM

Only the voters (the core maintainers who elect) may stand or rank: anyone else clicking is told,
privately and where they clicked, who may, and nothing changes; a retried click changes nothing. As
with the nomination forms, the rules are asked before the form opens whether the person may rank now.
When the form is sent, a gap, a candidate ranked twice or a value that is no candidate is shown under
its select, a refusal of the rules under the first, and the form stays open with nothing cast.
"""

from __future__ import annotations

import logging

from slack_bolt.async_app import AsyncApp
from slack_sdk.errors import SlackApiError

from bot.domain import elections as rules
from bot.domain.election_record import Election, ElectionOutcome, Phase
from bot.domain.errors import UserError
from handlers.decision_clicks import answer_clicker
from handlers.decision_modals import plain
from handlers.deps import Deps
from handlers.parsing import ticket_id
from handlers.payloads import action_value, clicker, form_values, trigger, word
from handlers.replies import answer_errors, request_reference
from handlers.views.election import FAILURES, candidates_line
from handlers.views.election_actions import NOT_STANDING, RANK, RANK_MODAL, STAND
from handlers.views.election_modals import FormErrors, plain_name, rank_block, rank_modal, read_ranking
from handlers.views.text import mention, when

log = logging.getLogger(__name__)


def election_number(value: str | None) -> int:
    """The election a button's value (or the form's metadata) names: "57" → 57."""
    if not (value and value.isascii() and value.isdigit()):
        raise UserError("That button does not name an election; `/status #N` shows one.")
    return ticket_id(value)  # the tickets' series


def moved_on(deps: Deps, election: Election) -> str:
    """What happened once the last voter acted: the ballot opened, a lead elected, or nobody stood."""
    if election.phase is Phase.VOTING and len(election.polls) > 1:
        return (f"A tie: the ballot is open again, among the tied "
                f"({candidates_line(deps.config, election.poll)}), until {when(election.poll.closes_at)}.")
    if election.phase is Phase.VOTING:
        return f"The ballot is open until {when(election.poll.closes_at)}."
    if election.phase is Phase.ELECTED:
        return f"{mention(deps.config, election.winner)} is elected the lead."
    return f"No lead was elected: {FAILURES[election.failure]}."


def stood(deps: Deps, outcome: ElectionOutcome, stands: bool) -> str:
    election = outcome.election
    number = election.number
    if not outcome.events:
        return (f"You already stand in #{number}; nothing changed." if stands
                else f"You already said you do not stand in #{number}; nothing changed.")
    said = f"You stand for the lead in #{number}." if stands else f"You do not stand in #{number}."
    if election.phase is Phase.STANDING:
        return f"{said} You may change your mind until {when(election.stand_until)}."
    return f"{said} Everyone has answered. {moved_on(deps, election)}"


def ballot_in(deps: Deps, outcome: ElectionOutcome, ranking: list[str]) -> str:
    election = outcome.election
    ranked = ", ".join(f"{place}. {plain_name(deps.config, person)}" for place, person in enumerate(ranking, 1))
    said = (f"Your ballot in #{election.number} is {'in' if outcome.events else 'unchanged'}: {ranked}. "
            "Who has voted is shown, how you ranked is not.")
    if any(event.kind == "ballot_closed" for event in outcome.events):
        return f"{said} Everyone has voted. {moved_on(deps, election)}"
    return f"{said} You may rank again until {when(election.poll.closes_at)}."


def register(app: AsyncApp, deps: Deps) -> None:
    now = deps.clock.now

    def stand_button(action_id: str, stands: bool) -> None:
        async def click(ack, body, action, client):
            await ack()
            user, tell = clicker(body), answer_clicker(deps, client, body)

            async def work():
                outcome = await deps.call(deps.elections.stand, election_number(action_value(action)), by=user,
                                          stands=stands, now=now())
                await tell(stood(deps, outcome, stands))

            await answer_errors(tell, work, f"{action_id} on #{action.get('value')} by {user}")

        click.__name__ = f"{action_id}_button"
        app.action(action_id)(click)

    stand_button(STAND, True)
    stand_button(NOT_STANDING, False)

    def may_rank(number: int, user: str) -> tuple[Election, str]:
        """The election and the voter, once the rules would let them rank now (a dry run: nothing changes)."""
        election, _ = deps.elections.get(number)
        person = deps.elections.person_of(user)
        poll = election.poll
        rules.cast(election, by=person, ranking=poll.candidates[:1] if poll else ("",), now=now())
        return election, person

    @app.action(RANK)
    async def rank_button(ack, body, action, client):
        await ack()
        user, tell = clicker(body), answer_clicker(deps, client, body)

        async def work():
            election, person = await deps.call(may_rank, election_number(action_value(action)), user)
            await client.views_open(trigger_id=trigger(body), view=rank_modal(deps.config, election, person))

        await answer_errors(tell, work, f"{RANK} on #{action.get('value')} by {user}")

    @app.view(RANK_MODAL)
    async def ranking_sent(ack, body, view, client):
        user = clicker(body)
        done: list[str] = []

        async def show(text: str) -> None:
            await ack(response_action="errors", errors={rank_block(1): text})

        async def work():
            number = election_number(word(view, "private_metadata", "form"))
            election, _ = await deps.call(deps.elections.get, number)
            ranking: list[str] = []
            if election.phase is Phase.VOTING:  # else the rules say why no ballot counts now
                try:
                    ranking = read_ranking(deps.config, form_values(view), election.poll.candidates)
                except FormErrors as wrong:
                    await ack(response_action="errors", errors=wrong.errors)
                    return
            try:
                outcome = await deps.call(deps.elections.cast, number, by=user, ranking=ranking, now=now())
            except UserError as error:
                raise UserError(plain(deps, error)) from error
            await ack()  # the form closes
            done.append(ballot_in(deps, outcome, ranking))

        await answer_errors(show, work, f"{RANK_MODAL} by {user}")
        if done:
            await _dm(client, user, done[0])


async def _dm(client, user: str, text: str) -> None:
    try:
        await client.chat_postMessage(channel=user, text=text)  # a user ID as the channel: their DM with Upline
    except SlackApiError:  # the ballot counted; only the receipt is lost
        log.warning("request %s: could not confirm to %s: %r", request_reference(), user, text, exc_info=True)
