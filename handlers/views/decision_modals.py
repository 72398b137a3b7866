"""The decision forms: one multi-line field each, under the proposal and what the form answers.

    Rationale · #12            Approve #12 / Reject #12         Uphold #12
    > Deprecate nn.Container   > Deprecate nn.Container         > Deprecate nn.Container
    Decided: passed            No decision reached you: …       Disputed by @Ed: …
    Why it passed  [……]        Your reasoning  [……]             Why the outcome stands  [……]
    [Publish]                  [Approve] / [Reject]             [Uphold]

Each carries in `private_metadata` what it answers (`form_metadata`): the decision's number, the round
or the dispute it was opened on — so that a form kept open while the decision moved on is refused, not
applied to what came after — the lead's verb, and whether it was opened from App Home (which is then
redrawn). Its field's block id and action id are the same, as the ask form's are.
"""

from __future__ import annotations

import json

from slack_sdk.models.blocks import InputBlock, MarkdownTextObject, PlainTextInputElement, SectionBlock
from slack_sdk.models.views import View

from bot.config.schema import Config
from bot.domain.decision_record import Decision
from bot.services.decisions import REASON_MAX
from handlers.views.blocks import excerpt, fit, quoted
from handlers.views.decision_actions import LEAD_MODAL, RATIONALE_MODAL, UPHOLD_MODAL
from handlers.views.decision_text import outcome_word, tally_line
from handlers.views.text import mention

RATIONALE = "rationale"  # the rationale modal's and the lead's field
EXPLANATION = "explanation"  # the Uphold modal's field


def form_metadata(decision: Decision, *, home: bool, verb: str | None = None) -> str:
    """What a form answers, as `handlers.decision_modals.form_of` reads it back."""
    answers = {"decision": decision.number, "round": len(decision.rounds), "dispute": len(decision.disputes)}
    return json.dumps({**answers, **({"verb": verb} if verb else {}), **({"home": True} if home else {})},
                      separators=(",", ":"))


def _modal(decision: Decision, callback_id: str, metadata: str, title: str, submit: str, about: str,
           field: str, label: str, hint: str) -> dict:
    proposal, _ = quoted(decision.proposal, 1500)
    return View(
        type="modal", callback_id=callback_id, private_metadata=metadata, title=title[:24], submit=submit,
        close="Cancel",
        blocks=[
            SectionBlock(text=MarkdownTextObject(text=fit(f"{proposal}\n{about}", 2990))),
            InputBlock(block_id=field, label=label, hint=hint, element=PlainTextInputElement(
                action_id=field, multiline=True, max_length=REASON_MAX)),
        ],
    ).to_dict()


def rationale_modal(config: Config, decision: Decision, *, home: bool = False) -> dict:
    outcome = outcome_word(decision)
    return _modal(decision, RATIONALE_MODAL, form_metadata(decision, home=home),
                  f"Rationale · #{decision.number}", "Publish",
                  f"Decided: *{outcome}* — {tally_line(config, decision.current)}",
                  RATIONALE, f"Why it {outcome}", "Published with the outcome and each voter's choice.")


def lead_modal(config: Config, decision: Decision, *, approve: bool, home: bool = False) -> dict:
    verb = "Approve" if approve else "Reject"
    return _modal(decision, LEAD_MODAL, form_metadata(decision, home=home, verb=verb.lower()),
                  f"{verb} #{decision.number}", verb, "No vote settled it, so it is yours to decide.",
                  RATIONALE, "Your reasoning", "Published with your decision, which is final.")


def uphold_modal(config: Config, decision: Decision, *, home: bool = False) -> dict:
    dispute = decision.disputes[-1]
    return _modal(decision, UPHOLD_MODAL, form_metadata(decision, home=home), f"Uphold #{decision.number}", "Uphold",
                  f"Disputed by {mention(config, dispute.by)}: {excerpt(dispute.reason, 500)}", EXPLANATION,
                  "Why the outcome stands", "Published with the dispute; the disputer may still take it to the core.")
