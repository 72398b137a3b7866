"""The buttons a decision offers the one person looking at it, on App Home and under `/status #N`:

    a vote they have not cast     [For] [Against] [Abstain]   (and [Recuse] in a core vote)
    decided, rationale pending    [Write the rationale]
    with the lead, for the lead   [Approve] [Reject]
    disputed, for the group       [Uphold] [Revote]
    their dispute, still theirs   [Escalate to core]

What the rules would refuse them is not offered; the handlers still ask the rules on every click.
"""

from __future__ import annotations

from slack_sdk.models.blocks import ActionsBlock, ButtonElement

from bot.domain.decision_record import CORE, Decision, State, waiting_on
from handlers.views.decision_actions import (
    ESCALATE_DISPUTE,
    LEAD_APPROVE,
    LEAD_REJECT,
    RECUSE,
    REVOTE,
    UPHOLD,
    VOTE_ABSTAIN,
    VOTE_AGAINST,
    VOTE_FOR,
    WRITE_RATIONALE,
)

BLOCK = "decision_buttons"  # block_id prefix: "decision_buttons:12"


def buttons(decision: Decision, person: str) -> list[ButtonElement]:
    """What `person` can press on `decision` now; empty when nothing waits on them."""
    value = str(decision.number)

    def button(text: str, action_id: str, style: str | None = None) -> ButtonElement:
        return ButtonElement(text=text, action_id=action_id, value=value, style=style)

    escalate = [button("Escalate to core", ESCALATE_DISPUTE)] if _may_escalate(decision, person) else []
    if person not in waiting_on(decision):
        return escalate
    if decision.state is State.VOTING:
        offered = [button("For", VOTE_FOR, "primary"), button("Against", VOTE_AGAINST, "danger"),
                   button("Abstain", VOTE_ABSTAIN)]
        return offered + ([button("Recuse", RECUSE)] if decision.current.level == CORE else [])
    if decision.state is State.LEAD:
        return [button("Approve", LEAD_APPROVE, "primary"), button("Reject", LEAD_REJECT, "danger")]
    if decision.state is State.DECIDED:
        return [button("Write the rationale", WRITE_RATIONALE, "primary")]
    if decision.state is State.DISPUTED:
        return [button("Uphold", UPHOLD, "primary"), button("Revote", REVOTE), *escalate]
    return escalate


def _may_escalate(decision: Decision, person: str) -> bool:
    """The disputer, while their dispute is unanswered or was upheld, and has not gone to the core."""
    last = decision.disputes[-1] if decision.disputes else None
    if last is None or last.by != person or last.escalated is not None:
        return False
    return decision.state is State.DISPUTED or (decision.state is State.PUBLISHED and last.answer == "uphold")


def button_block(decision: Decision, person: str) -> ActionsBlock | None:
    offered = buttons(decision, person)
    return ActionsBlock(block_id=f"{BLOCK}:{decision.number}", elements=offered) if offered else None
