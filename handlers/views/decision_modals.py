"""The decision forms: one multi-line field each, under the proposal and what the form answers.

    Rationale · #12            Approve #12 / Reject #12         Uphold #12
    > Deprecate nn.Container   > Deprecate nn.Container         > Deprecate nn.Container
    Decided: passed            No decision reached you: …       Disputed by @Ed: …
    Why it passed  [……]        Your reasoning  [……]             Why the outcome stands  [……]
    [Publish]                  [Approve] / [Reject]             [Uphold]

Each carries the decision's number in `private_metadata` ("12", or "12:approve" / "12:reject" for
the lead's); its field's block id and action id are the same, as the ask form's are.
"""

from __future__ import annotations

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


def rationale_modal(config: Config, decision: Decision) -> dict:
    outcome = outcome_word(decision)
    return _modal(decision, RATIONALE_MODAL, str(decision.number), f"Rationale · #{decision.number}", "Publish",
                  f"Decided: *{outcome}* — {tally_line(config, decision.current)}", RATIONALE, f"Why it {outcome}",
                  "Published with the outcome and each voter's choice.")


def lead_modal(config: Config, decision: Decision, *, approve: bool) -> dict:
    verb = "Approve" if approve else "Reject"
    return _modal(decision, LEAD_MODAL, f"{decision.number}:{verb.lower()}", f"{verb} #{decision.number}", verb,
                  "No vote settled it, so it is yours to decide.", RATIONALE, "Your reasoning",
                  "Published with your decision, which is final.")


def uphold_modal(config: Config, decision: Decision) -> dict:
    dispute = decision.disputes[-1]
    return _modal(decision, UPHOLD_MODAL, str(decision.number), f"Uphold #{decision.number}", "Uphold",
                  f"Disputed by {mention(config, dispute.by)}: {excerpt(dispute.reason, 500)}", EXPLANATION,
                  "Why the outcome stands", "Published with the dispute; the disputer may still take it to the core.")
