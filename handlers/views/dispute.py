"""A dispute, as the group that decided and the disputer see it:

    (in the vote's thread, also sent to the channel)
    :warning: @x disputes #12, passed by the nn maintainers:
    > The deprecation breaks every downstream user …
    @a @b @c — answer by Mon 7 Dec at 09:00: Uphold (explain why it stands; published) or Revote
    (a fresh vote of the nn maintainers). Unanswered, it goes to the core maintainers.
    [Uphold] [Revote]

    (the disputer's DM)
    You disputed #12 (passed by the nn maintainers). They answer by Mon 7 Dec at 09:00; you can take
    it to the core maintainers now.
    [Escalate to core]

Both are kept and updated: the group's loses its buttons once answered (or gone to the core), and
the disputer's says the answer — keeping **Escalate to core** after an Uphold, which they may still
press until the decision settles.
"""

from __future__ import annotations

from bot.config.schema import Config
from bot.domain.decision_record import Decision, Dispute, State
from handlers.views.blocks import quoted_section, section
from handlers.views.decision_actions import ESCALATE_DISPUTE, REVOTE, UPHOLD
from handlers.views.decision_text import argued_outcome, deciders, name, standing, went_to_core
from handlers.views.text import mention, mentions, when
from handlers.views.ticket_actions import button


def dispute_open(decision: Decision, index: int) -> bool:
    """The group may still answer dispute `index`: Uphold and Revote are offered."""
    dispute = decision.disputes[index]
    return (decision.state is State.DISPUTED and index == len(decision.disputes) - 1
            and dispute.answer is None and dispute.escalated is None)


def escalable(decision: Decision, index: int) -> bool:
    """The disputer may still take dispute `index` to the core (as `rules.escalate_dispute_to_core` allows)."""
    dispute = decision.disputes[index]
    return index == len(decision.disputes) - 1 and dispute.escalated is None and (
        decision.state is State.DISPUTED or (decision.state is State.PUBLISHED and dispute.answer == "uphold"))


def dispute_post(config: Config, decision: Decision, index: int,
                 people: tuple[str, ...]) -> tuple[str, list[dict]]:
    """The group's copy of dispute `index`, asking `people` (the group that decided) to answer."""
    dispute = decision.disputes[index]
    them, argued = deciders(config, decision), argued_outcome(decision.rounds)
    head = f":warning: {mention(config, dispute.by)} disputes {name(decision)}, {argued} by the {them}:"
    if dispute_open(decision, index):
        ask = (f"{mentions(config, people)} — answer by {when(dispute.answer_due_at)}: *Uphold* (explain why it "
               f"stands; published) or *Revote* (a fresh vote of the {them}). Unanswered, it goes to the core "
               "maintainers.")
    else:
        ask = f"{mentions(config, people)} — {_answer(config, dispute)}"
    blocks = [quoted_section(head, dispute.reason)[0], section(ask)]
    if dispute_open(decision, index):
        value = str(decision.number)
        blocks.append({"type": "actions", "block_id": f"decision_dispute:{value}",
                       "elements": [button("Uphold", UPHOLD, value, primary=True), button("Revote", REVOTE, value)]})
    return f"{mention(config, dispute.by)} disputes {name(decision)} — {mentions(config, people)}", blocks


def disputer_dm(config: Config, decision: Decision, index: int, *, newest: bool = True) -> tuple[str, list[dict]]:
    """The disputer's DM about dispute `index`: where it stands, with Escalate to core while the dispute
    may still be escalated. An earlier DM about it (`newest` false) only points to the newest, which
    says the same, so that the same words never stand twice in their DMs."""
    dispute = decision.disputes[index]
    them, argued = deciders(config, decision), argued_outcome(decision.rounds)
    if not newest:
        text = f"You disputed {name(decision)} ({argued} by the {them}). What came of it is in a later message."
        return text, [section(text)]
    if dispute.answer is None and dispute.escalated is None:
        text = (f"You disputed {name(decision)} ({argued} by the {them}). They answer by "
                f"{when(dispute.answer_due_at)}; you can take it to the core maintainers now.")
        blocks = [section(text)]
    elif dispute.answer == "uphold" and dispute.escalated is None:
        text = f"The {them} upheld {name(decision)} against your dispute ({mention(config, dispute.answered_by)}):"
        blocks = [quoted_section(text, dispute.explanation or "")[0]]
        if escalable(decision, index):
            blocks.append(section(f"You can still take it to the core maintainers until {when(decision.settles_at)}."))
    else:
        answer = "you took it to the core." if dispute.escalated == "disputer" else _answer(config, dispute)
        text = f"Your dispute of {name(decision)}: {answer} Now: {standing(config, decision)}."
        blocks = [section(text)]
    if escalable(decision, index):
        value = str(decision.number)
        blocks.append({"type": "actions", "block_id": f"decision_disputer:{value}",
                       "elements": [button("Escalate to core", ESCALATE_DISPUTE, value)]})
    return text, blocks


def _answer(config: Config, dispute: Dispute) -> str:
    if dispute.escalated:
        return f"{went_to_core(dispute)}."
    if dispute.answer == "uphold":
        return f"upheld by {mention(config, dispute.answered_by)}."
    if dispute.answer == "revote":
        return f"{mention(config, dispute.answered_by)} called a revote."
    return "not answered yet."

