"""The ask form's "Ask" button: the asker picked the area, the kind and wrote the question.

An empty (or too long) question keeps the form open with what to fix under the field; otherwise
the form closes and the asker gets the confirmation by DM from Upline ("#4 opened in nn … Pinged …"),
or, when the ticket cannot be opened, the reason.
"""

from __future__ import annotations

from dataclasses import dataclass

from slack_bolt.async_app import AsyncApp

from bot.domain.ticket import Kind
from handlers.deps import Deps
from handlers.opening import open_in_area, too_long
from handlers.payloads import clicker, form_option, form_text, form_values
from handlers.replies import answer_errors
from handlers.views.ask_modal import CALLBACK_ID, NO_AREA

EMPTY = "Write your question here."
NO_AREA_PICKED = 'Pick an area, or "No area" to go straight to the core maintainers.'


@dataclass(frozen=True)
class Submission:
    area: str | None  # an area key, NO_AREA (straight to the core maintainers), or None: not picked
    kind: Kind
    question: str

    @property
    def area_key(self) -> str | None:
        return None if self.area == NO_AREA else self.area


def read_submission(view: dict) -> Submission:
    values = form_values(view)
    kind = form_option(values, "kind")
    return Submission(form_option(values, "area"), Kind(kind) if kind in set(Kind) else Kind.QUESTION,
                      form_text(values, "question"))


def problems(submission: Submission) -> dict[str, str]:
    """What Slack shows under the fields, keyed by block id; empty when the form can be sent."""
    errors = {}
    if submission.area is None:  # Slack requires the field; a form sent without it was not Slack's
        errors["area"] = NO_AREA_PICKED
    if not submission.question:
        errors["question"] = EMPTY
    elif problem := too_long(submission.question):
        errors["question"] = problem
    return errors


def register(app: AsyncApp, deps: Deps) -> None:
    @app.view(CALLBACK_ID)
    async def submitted(ack, body, view, client):
        user, submission = clicker(body), read_submission(view)
        if errors := problems(submission):
            await ack(response_action="errors", errors=errors)
            return
        await ack()

        async def tell(text: str) -> None:
            # A user ID as the channel reaches the person's DM with Upline.
            await client.chat_postMessage(channel=user, text=text)

        async def work() -> None:
            answer = await open_in_area(deps, user=user, kind=submission.kind, area=submission.area_key,
                                        text=submission.question)
            await tell(answer["text"])

        await answer_errors(tell, work, f"ask form by {user}")
