"""The buttons that answer a decided or disputed decision, and the forms some of them open.

    [Write the rationale]   a form with one field → published with the outcome
    [Approve] / [Reject]    the lead's form, the rationale required → final, published at once
    [Uphold]                a form for the explanation → published; the disputer may still go to the core
    [Revote]                no form: the group votes again
    [Escalate to core]      no form: the disputer takes the dispute to the core, which votes on it

Before a form opens the rules are asked whether the person who clicked may make that move (a dry
run: the rules change nothing they are given), so that nobody writes a rationale only to have it
refused; they are told why instead, privately. The service still decides when the form is sent: a
refusal then, or an empty field, is shown under the field, the form stays open and nothing changes.
Once it is sent the form closes and Upline confirms by DM ("#12's rationale is published, with its
outcome: *passed*."), or, for a form opened from App Home, by redrawing the tab with that answer on top.
A form kept open while the decision moved on (disputed, revoted and decided again; a second dispute)
is refused: it carries the round or the dispute it was opened on.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass

from slack_bolt.async_app import AsyncApp
from slack_sdk.errors import SlackApiError

from bot.domain import decisions as rules
from bot.domain.decision_record import Decision, DecisionOutcome, State
from bot.domain.errors import UserError
from handlers.decision_clicks import answer_clicker, decision_button, decision_number, on_home
from handlers.deps import Deps
from handlers.home import publish_home
from handlers.payloads import action_value, clicker, form_text, form_values, trigger, word
from handlers.replies import answer_errors, request_reference
from handlers.views.decision_actions import (
    ESCALATE_DISPUTE,
    LEAD_APPROVE,
    LEAD_MODAL,
    LEAD_REJECT,
    RATIONALE_MODAL,
    REVOTE,
    UPHOLD,
    UPHOLD_MODAL,
    WRITE_RATIONALE,
)
from handlers.views.decision_modals import EXPLANATION, RATIONALE, lead_modal, rationale_modal, uphold_modal
from handlers.views.decision_text import deciders, name, opened, outcome_word, standing
from handlers.views.text import mention

log = logging.getLogger(__name__)

PROBE = "(the reasoning they are about to write)"  # stands in for the text in the dry run
EMPTY = {RATIONALE: "Write the reasoning: it is published with the outcome.",
         EXPLANATION: "Explain why the outcome stands: it is published with the dispute."}


def plain(deps: Deps, error: UserError) -> str:
    """A refusal as a form shows it, in plain text: people by name, not as `<@U…>` mentions."""
    original = error.__cause__ if isinstance(error.__cause__, UserError) else error
    return original.render(lambda person: deps.config.people[person].name or person
                           if person in deps.config.people else person)[:500]


@dataclass(frozen=True)
class Form:
    """What a sent form answers, as `views.decision_modals.form_metadata` wrote it when it opened."""

    number: int
    verb: str = ""  # the lead's: "approve" or "reject"
    round: int | None = None  # how many rounds the decision had
    dispute: int | None = None  # how many disputes
    home: bool = False  # opened from App Home


def form_of(view: dict) -> Form:
    """The form's metadata read back. Forms opened before it was JSON say "12" or "12:approve"."""
    metadata = word(view, "private_metadata", "form") or ""
    if not metadata.startswith("{"):
        return Form(decision_number(metadata), metadata.partition(":")[2])
    try:
        fields = json.loads(metadata)
    except ValueError:
        fields = None
    if not isinstance(fields, dict):
        raise UserError("This form does not name a decision; `/decisions` lists them.")
    counts = {key: fields.get(key) if type(fields.get(key)) is int else None for key in ("round", "dispute")}
    verb = fields.get("verb")
    return Form(decision_number(str(fields.get("decision"))), verb if isinstance(verb, str) else "",
                counts["round"], counts["dispute"], fields.get("home") is True)


def published(deps: Deps, outcome: DecisionOutcome) -> str:
    decision = outcome.decision
    if any(notice.kind == "published" for notice in outcome.notices):
        return f"{name(decision)}'s rationale is published, with its outcome: *{outcome_word(decision)}*."
    return f"{name(decision)}: {standing(deps.config, decision)}."


# The dry runs: each rule as the form's button asks it, with a stand-in for the text yet to be written.
def _rationale_move(decision: Decision, **who) -> DecisionOutcome:
    return rules.write_rationale(decision, text=PROBE, **who)


def _lead_move(approve: bool) -> Callable[..., DecisionOutcome]:
    return lambda decision, **who: rules.lead_decides(decision, approve=approve, rationale=PROBE, **who)


def _uphold_move(decision: Decision, **who) -> DecisionOutcome:
    return rules.answer_dispute(decision, uphold=True, explanation=PROBE, **who)


def register(app: AsyncApp, deps: Deps) -> None:
    service, now = deps.decisions, deps.clock.now

    async def may(number: int, user: str, move: Callable[..., DecisionOutcome]) -> Decision:
        """The decision, once the rules would let `user` make `move` now (they raise a Refusal if not)."""
        decision, _ = await deps.call(service.get, number)
        await deps.call(lambda: move(decision, by=service.person_of(user), now=now(), groups=service.groups))
        return decision

    def form_button(action_id: str, move: Callable[..., DecisionOutcome],
                    view: Callable[[Decision, bool], dict]) -> None:
        async def open_form(ack, body, action, client):
            await ack()
            user, tell = clicker(body), answer_clicker(deps, client, body)

            async def work():
                decision = await may(decision_number(action_value(action)), user, move)
                await client.views_open(trigger_id=trigger(body), view=view(decision, on_home(body)))

            await answer_errors(tell, work, f"{action_id} on #{action.get('value')} by {user}")

        open_form.__name__ = f"{action_id}_form"
        app.action(action_id)(open_form)

    form_button(WRITE_RATIONALE, _rationale_move, lambda decision, home: rationale_modal(
        deps.config, decision, home=home))
    form_button(LEAD_APPROVE, _lead_move(True), lambda decision, home: lead_modal(
        deps.config, decision, approve=True, home=home))
    form_button(LEAD_REJECT, _lead_move(False), lambda decision, home: lead_modal(
        deps.config, decision, approve=False, home=home))
    form_button(UPHOLD, _uphold_move, lambda decision, home: uphold_modal(deps.config, decision, home=home))

    def form(callback_id: str, field: str, act: Callable[[Form, str, str], DecisionOutcome],
             confirm: Callable[[Deps, DecisionOutcome], str]) -> None:
        """The form's submission: `act(form, user, text)` once the field is filled."""
        async def sent(ack, body, view, client):
            user = clicker(body)
            done: list[DecisionOutcome] = []
            home = False

            async def show(text: str) -> None:
                await ack(response_action="errors", errors={field: text})

            async def work():
                nonlocal home
                answered = form_of(view)
                home = answered.home
                text = form_text(form_values(view), field)
                if not text:
                    raise UserError(EMPTY[field])
                try:
                    done.append(await deps.call(act, answered, user, text))
                except UserError as error:
                    raise UserError(plain(deps, error)) from error
                await ack()  # the form closes

            await answer_errors(show, work, f"{callback_id} by {user}")
            if done and home:
                await _redraw_home(deps, client, user, confirm(deps, done[0]))
            elif done:
                await _dm(client, user, confirm(deps, done[0]))

        sent.__name__ = f"{callback_id}_sent"
        app.view(callback_id)(sent)

    form(RATIONALE_MODAL, RATIONALE, lambda answered, user, text: service.write_rationale(
        answered.number, by=user, text=text, now=now(), for_round=answered.round), published)
    form(LEAD_MODAL, RATIONALE, lambda answered, user, text: service.lead_decides(
        answered.number, by=user, approve=_approves(answered.verb), rationale=text, now=now(),
        for_round=answered.round), ruled)
    form(UPHOLD_MODAL, EXPLANATION, lambda answered, user, text: service.answer_dispute(
        answered.number, by=user, uphold=True, explanation=text, now=now(), for_dispute=answered.dispute), upheld)

    decision_button(app, deps, REVOTE, lambda number, **who: service.answer_dispute(
        number, uphold=False, explanation=None, **who), revoted)
    decision_button(app, deps, ESCALATE_DISPUTE, lambda number, **who: service.escalate_dispute(number, **who),
                    escalated)


def _approves(verb: str) -> bool:
    if verb not in ("approve", "reject"):
        raise UserError("This form does not say whether it approves or rejects; press Approve or Reject again.")
    return verb == "approve"


def ruled(deps: Deps, outcome: DecisionOutcome) -> str:
    decision = outcome.decision
    verb = "approved" if decision.current.result and decision.current.result.value == "passed" else "rejected"
    final = "final" if decision.state is State.FINAL else decision.state.value
    return f"You {verb} #{decision.number}: it is {final}, and published with your rationale."


def upheld(deps: Deps, outcome: DecisionOutcome) -> str:
    decision = outcome.decision
    dispute = decision.disputes[-1]
    return (f"You upheld {name(decision)} for the {deciders(deps.config, decision)}: your explanation is published, "
            f"and {mention(deps.config, dispute.by)} was told; they may still take it to the core.")


def revoted(deps: Deps, outcome: DecisionOutcome) -> str:
    return f"You answered the dispute with a revote; the disputer was told. {opened(deps.config, outcome.decision)}"


def escalated(deps: Deps, outcome: DecisionOutcome) -> str:
    return f"Your dispute went to the core. {opened(deps.config, outcome.decision)}"


async def _redraw_home(deps: Deps, client, user: str, text: str) -> None:
    """The answer to a form opened from App Home: the tab redrawn without the button, the answer on top."""
    try:
        await publish_home(deps, client, user, note=text)
    except Exception:  # the form did its work; the tab is redrawn when next opened
        log.exception("request %s: could not redraw %s's App Home with %r", request_reference(), user, text)


async def _dm(client, user: str, text: str) -> None:
    try:
        await client.chat_postMessage(channel=user, text=text)  # a user ID as the channel: their DM with Upline
    except SlackApiError:  # the form did its work; only the receipt is lost
        log.warning("request %s: could not confirm to %s: %r", request_reference(), user, text, exc_info=True)
