"""The buttons of a nomination — on the core's slate, in an asked maintainer's DM, on App Home — and
the forms two of them open.

    [Ask the maintainers]   "You asked the nn maintainers about #41: @Mikayla @Joel answer by Mon 30 Nov at 09:00."
    [Call the vote]         "You called the vote on #41. #42 is open for the core maintainers until …: @… are
                            asked to vote."
    [Desk-reject]           a form, the reason required → "You desk-rejected #41: …" by DM
    [Answer]                a form: depth, breadth, testimonials (optional), support yes or no → a receipt by DM

As with a decision's forms (handlers.decision_modals), the rules are asked before a form opens whether
the person who clicked may make that move, so nobody writes a reason only to have it refused; a
refused click is answered privately, where they clicked, and changes nothing. When the form is sent
the service decides again: a refusal, or an empty required field, is shown in the form, which stays
open, and nothing changes.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from slack_bolt.async_app import AsyncApp
from slack_sdk.errors import SlackApiError

from bot.domain import nominations as rules
from bot.domain.decision_record import DecisionOutcome
from bot.domain.errors import UserError
from bot.domain.nomination_record import CORE, Nomination, NominationOutcome
from handlers.decision_clicks import answer_clicker
from handlers.decision_modals import plain
from handlers.deps import Deps
from handlers.parsing import ticket_id
from handlers.payloads import action_value, clicker, form_option, form_text, form_values, trigger, word
from handlers.replies import answer_errors, request_reference
from handlers.views.decision_text import opened
from handlers.views.nomination_actions import (
    ANSWER,
    ANSWER_MODAL,
    ASK_MAINTAINERS,
    CALL_VOTE,
    DESK_REJECT,
    DESK_REJECT_MODAL,
    START_REMOVAL,
)
from handlers.views.nomination_modals import (
    BREADTH,
    DEPTH,
    REASON,
    SUPPORT,
    TESTIMONIALS,
    YES,
    answer_modal,
    desk_reject_modal,
)
from handlers.views.text import mentions, when

log = logging.getLogger(__name__)

PROBE = "(what they are about to write)"  # stands in for the form's text in the dry run
EMPTY = {REASON: "Say why it is desk-rejected: the reason is published.",
         DEPTH: "Describe the depth of their code, review and design contributions.",
         BREADTH: "Describe the breadth of their contributions.",
         SUPPORT: "Say whether you support the nomination."}


def nomination_number(value: str | None) -> int:
    """The nomination a button's value (or a form's metadata) names: "41" → 41."""
    if not (value and value.isascii() and value.isdigit()):
        raise UserError("That button does not name a nomination; `/status #N` shows one.")
    return ticket_id(value)  # the tickets' series


def group(nomination: Nomination) -> str:
    return "core maintainers" if nomination.target == CORE else f"{nomination.target} maintainers"


def asked(deps: Deps, outcome: NominationOutcome) -> str:
    nomination = outcome.nomination
    ask = nomination.ask
    return (f"You asked the {group(nomination)} about #{nomination.number}: {mentions(deps.config, ask.people)} "
            f"answer by {when(ask.due_at)}.")


def vote_called(deps: Deps, called: tuple[NominationOutcome, DecisionOutcome]) -> str:
    change, vote = called
    return f"You called the vote on #{change.nomination.number}. {opened(deps.config, vote.decision)}"


def desk_rejected(deps: Deps, outcome: NominationOutcome) -> str:
    return (f"You desk-rejected #{outcome.nomination.number}: your reason is published, and the nominee and the "
            "nominators are told.")


def answered(deps: Deps, outcome: NominationOutcome) -> str:
    nomination = outcome.nomination
    ask = nomination.ask
    mine = ask.answers[-1]  # the answer just sent comes last, in place of any earlier one
    return (f"Your answer on #{nomination.number} is in: you {'support' if mine.support else 'do not support'} it. "
            f"{len(ask.answers)} of the {len(ask.people)} asked have answered.")


def register(app: AsyncApp, deps: Deps) -> None:
    now = deps.clock.now

    def button(action_id: str, act: Callable[[int, str], object], confirm: Callable[[Deps, object], str]) -> None:
        async def click(ack, body, action, client):
            await ack()
            user, tell = clicker(body), answer_clicker(deps, client, body)

            async def work():
                done = await deps.call(act, nomination_number(action_value(action)), user)
                await tell(confirm(deps, done))

            await answer_errors(tell, work, f"{action_id} on #{action.get('value')} by {user}")

        click.__name__ = f"{action_id}_button"
        app.action(action_id)(click)

    button(ASK_MAINTAINERS, lambda number, user: deps.nominations.ask_maintainers(number, by=user, now=now()), asked)
    button(CALL_VOTE, lambda number, user: deps.nominations.call_vote(number, by=user, now=now()), vote_called)
    button(START_REMOVAL, lambda number, user: deps.nominations.call_vote(number, by=user, now=now()), vote_called)

    def may(number: int, user: str, move: Callable[..., NominationOutcome]) -> Nomination:
        """The nomination, once the rules would let `user` make `move` now (a dry run: they change nothing)."""
        service = deps.nominations
        nomination, _ = service.get(number)
        move(nomination, by=service.person_of(user), groups=service.groups, now=now())
        return nomination

    def form_button(action_id: str, move: Callable[..., NominationOutcome],
                    view: Callable[[Nomination], dict]) -> None:
        async def open_form(ack, body, action, client):
            await ack()
            user, tell = clicker(body), answer_clicker(deps, client, body)

            async def work():
                nomination = await deps.call(may, nomination_number(action_value(action)), user, move)
                await client.views_open(trigger_id=trigger(body), view=view(nomination))

            await answer_errors(tell, work, f"{action_id} on #{action.get('value')} by {user}")

        open_form.__name__ = f"{action_id}_form"
        app.action(action_id)(open_form)

    form_button(DESK_REJECT, lambda n, **who: rules.desk_reject(n, reason=PROBE, **who),
                lambda nomination: desk_reject_modal(deps.config, nomination))
    form_button(ANSWER, lambda n, **who: rules.answer(n, depth=PROBE, breadth=PROBE, testimonials=None,
                                                      support=True, **who),
                lambda nomination: answer_modal(deps.config, nomination))

    def form(callback_id: str, shown_under: str, read: Callable[[dict], dict],
             act: Callable[..., NominationOutcome], confirm: Callable[[Deps, NominationOutcome], str]) -> None:
        """The form's submission: `act(number, by=…, now=…, **read(values))`; an empty required field is
        shown under it, a refusal under `shown_under`."""
        async def sent(ack, body, view, client):
            user = clicker(body)
            done: list[NominationOutcome] = []

            async def show(text: str) -> None:
                await ack(response_action="errors", errors={shown_under: text})

            async def work():
                number = nomination_number(word(view, "private_metadata", "form"))
                try:
                    fields = read(form_values(view))
                except Empty as empty:
                    await ack(response_action="errors", errors={empty.field: EMPTY[empty.field]})
                    return
                try:
                    done.append(await deps.call(act, number, by=user, now=now(), **fields))
                except UserError as error:
                    raise UserError(plain(deps, error)) from error
                await ack()  # the form closes

            await answer_errors(show, work, f"{callback_id} by {user}")
            if done:
                await _dm(client, user, confirm(deps, done[0]))

        sent.__name__ = f"{callback_id}_sent"
        app.view(callback_id)(sent)

    form(DESK_REJECT_MODAL, REASON, lambda values: {"reason": filled(values, REASON)},
         lambda number, **kwargs: deps.nominations.desk_reject(number, **kwargs), desk_rejected)
    form(ANSWER_MODAL, DEPTH, read_answer, lambda number, **kwargs: deps.nominations.answer(number, **kwargs),
         answered)


def read_answer(values: dict) -> dict:
    """The answer form's fields, as `NominationService.answer` takes them."""
    depth, breadth, support = filled(values, DEPTH), filled(values, BREADTH), form_option(values, SUPPORT)
    if support is None:
        raise Empty(SUPPORT)
    return {"depth": depth, "breadth": breadth, "testimonials": form_text(values, TESTIMONIALS) or None,
            "support": support == YES}


class Empty(Exception):
    """A required field left empty: shown under that field, and nothing is asked of the service."""

    def __init__(self, field: str):
        super().__init__(field)
        self.field = field


def filled(values: dict, field: str) -> str:
    text = form_text(values, field)
    if not text:
        raise Empty(field)
    return text


async def _dm(client, user: str, text: str) -> None:
    try:
        await client.chat_postMessage(channel=user, text=text)  # a user ID as the channel: their DM with Upline
    except SlackApiError:  # the form did its work; only the receipt is lost
        log.warning("request %s: could not confirm to %s: %r", request_reference(), user, text, exc_info=True)
