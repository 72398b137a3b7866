"""The nomination forms: the core's desk-rejection, and an asked maintainer's answer.

    Desk-reject #41                         Answer on #41
    Add @Kshitij to the nn maintainers      Add @Kshitij to the nn maintainers
    Nominated by @Fan: Reviews most nn PRs  Nominated by @Fan: Reviews most nn PRs
    Why it is desk-rejected  [……]           Depth of their contributions  [……]
    [Desk-reject]                           Breadth of their contributions  [……]
                                            Testimonials (optional)  [……]
                                            Do you support it?  ( ) Yes  ( ) No
                                            [Send]

Each carries the nomination's number in `private_metadata`; each field's block id and action id are
the same, as the decision forms' are.
"""

from __future__ import annotations

from slack_sdk.models.blocks import (
    InputBlock,
    MarkdownTextObject,
    Option,
    PlainTextInputElement,
    RadioButtonsElement,
    SectionBlock,
)
from slack_sdk.models.views import View

from bot.config.schema import Config
from bot.domain.nomination_record import CORE, Action, Nomination
from bot.domain.ticket import SYSTEM
from bot.services.decisions import REASON_MAX
from handlers.views.blocks import excerpt, fit
from handlers.views.nomination_actions import ANSWER_MODAL, DESK_REJECT_MODAL
from handlers.views.text import mention

REASON = "reason"  # the desk-rejection's field
DEPTH, BREADTH, TESTIMONIALS, SUPPORT = "depth", "breadth", "testimonials", "support"  # the answer's
YES, NO = "yes", "no"


def change_words(config: Config, nomination: Nomination) -> str:
    """"Add @Kshitij to the nn maintainers", "Move @Greg from the nn maintainers to emeritus"."""
    who = mention(config, nomination.person)
    group = "core maintainers" if nomination.target == CORE else f"{nomination.target} maintainers"
    if nomination.of_lead:
        return f"Remove {who} as the lead core maintainer"
    if nomination.action is Action.ADD:
        return f"Add {who} to the {group}"
    if nomination.emeritus:
        return f"Move {who} from the {group} to emeritus"
    return f"Remove {who} from the {group}"


def nominator_line(config: Config, by: str, reason: str | None) -> str:
    who = "The review" if by == SYSTEM else mention(config, by)
    return f"{who}: {excerpt(reason, 300)}" if reason else f"{who} (no reason given)"


def about(config: Config, nomination: Nomination) -> SectionBlock:
    lines = [f"*{change_words(config, nomination)}*", "Nominated by:"]
    lines += [f"• {nominator_line(config, n.by, n.reason)}" for n in nomination.nominators]
    return SectionBlock(text=MarkdownTextObject(text=fit("\n".join(lines), 2990)))


def _text_field(block: str, label: str, hint: str, *, optional: bool = False) -> InputBlock:
    return InputBlock(block_id=block, label=label, hint=hint, optional=optional,
                      element=PlainTextInputElement(action_id=block, multiline=True, max_length=REASON_MAX))


def desk_reject_modal(config: Config, nomination: Nomination) -> dict:
    return View(
        type="modal", callback_id=DESK_REJECT_MODAL, private_metadata=str(nomination.number),
        title=f"Desk-reject #{nomination.number}"[:24], submit="Desk-reject", close="Cancel",
        blocks=[about(config, nomination),
                _text_field(REASON, "Why it is desk-rejected",
                            "Published, and the nominee and the nominators are told.")],
    ).to_dict()


def answer_modal(config: Config, nomination: Nomination) -> dict:
    support = InputBlock(block_id=SUPPORT, label="Do you support it?", element=RadioButtonsElement(
        action_id=SUPPORT, options=[Option(text="Yes", value=YES), Option(text="No", value=NO)]))
    return View(
        type="modal", callback_id=ANSWER_MODAL, private_metadata=str(nomination.number),
        title=f"Answer on #{nomination.number}"[:24], submit="Send", close="Cancel",
        blocks=[about(config, nomination),
                _text_field(DEPTH, "Depth of their contributions", "Their code, review and design work."),
                _text_field(BREADTH, "Breadth of their contributions", "Across the module, and beyond it."),
                _text_field(TESTIMONIALS, "Testimonials", "Their interactions with maintainers, users and the "
                            "community, good and bad.", optional=True),
                support],
    ).to_dict()
