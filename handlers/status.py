"""`/status`: your open asks and what waits on you. `/status #N`: one ticket's state, rung, deadlines
and history — or, when #N is a decision (the same series), the decision's: its state, level, tally and
who has not voted, deadlines, each vote held, rationale, disputes and vetoes, its history, and the
buttons that wait on whoever asked (`handlers.views.decision_status`); a nomination's: its state, who
proposed what and why, the maintainers' answers, its vote, outcome and history
(`handlers.views.nomination_status`); an election of the lead's: its phase, the voters, who stands, each
ballot and who voted in it, the outcome with the count's rounds, and its history
(`handlers.views.election_status`)."""

from __future__ import annotations

from slack_bolt.async_app import AsyncApp

from handlers.deps import Deps
from handlers.nominate import next_review_at
from handlers.parsing import parse_ticket
from handlers.payloads import command_text, command_user
from handlers.replies import answer_errors
from handlers.views.decision_status import decision_blocks, decision_text
from handlers.views.election_status import election_blocks, election_text
from handlers.views.nomination_status import nomination_blocks, nomination_text
from handlers.views.status import overview_blocks, ticket_blocks


def nomination_status(deps: Deps, number: int, user: str) -> dict:
    """What `/status #N` answers for a nomination; what the maintainers wrote only to those who decide."""
    service = deps.nominations
    nomination, events = service.get(number)
    return {"text": nomination_text(nomination),
            "blocks": nomination_blocks(deps.config, nomination, events, next_review=next_review_at(deps),
                                        deciders=service.groups.is_core(service.person_of(user)))}


def register(app: AsyncApp, deps: Deps) -> None:
    @app.command("/status")
    async def status(ack, command):
        async def work():
            user, text = command_user(command), command_text(command)
            if text:
                number, _ = parse_ticket(text, "/status #12")
                if deps.nominations is not None and await deps.call(deps.nominations.is_nomination, number):
                    await ack(**await deps.call(nomination_status, deps, number, user))
                    return
                if deps.elections is not None and await deps.call(deps.elections.is_election, number):
                    election, events = await deps.call(deps.elections.get, number)
                    await ack(text=election_text(election), blocks=election_blocks(deps.config, election, events))
                    return
                if deps.decisions is not None and await deps.call(deps.decisions.is_decision, number):
                    decision, events = await deps.call(deps.decisions.get, number)
                    await ack(text=decision_text(decision),
                              blocks=decision_blocks(deps.config, decision, events, deps.decisions.person_of(user)))
                    return
                ticket, events = await deps.call(deps.tickets.timeline, number)
                await ack(text=f"#{number}: {ticket.state.value}", blocks=ticket_blocks(deps.config, ticket, events))
                return
            now = deps.clock.now()
            overview = await deps.call(deps.tickets.overview, user, now)
            await ack(text=f"{len(overview.asked)} open asks, {len(overview.waiting_on_me)} waiting on you",
                      blocks=overview_blocks(deps.config, overview, now))

        await answer_errors(lambda message: ack(text=message), work, f"/status by {command.get('user_id')}")
