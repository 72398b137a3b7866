"""`/status #N` for a decision: where it stands, every vote held on it, its reasoning and its history.

    #12 · decision · nn
    > Deprecate nn.Container
    :ballot_box_with_ballot: Voting — the nn maintainers vote on it until Mon 30 Nov at 09:00
    Called by @Mikayla · majority · quorum 50% · for 7d
    Now: For 1 · Against 0 · Abstain 0 · not voted: @Alban @Joel
    Votes: • nn maintainers, on the proposal: open until …
    Rationale · Disputes · Vetoes            (once there are any)
    History: • … — called by @Mikayla, a vote of the nn maintainers • … — @Mikayla voted
    [For] [Against] [Abstain]                (the buttons waiting on whoever asked)

Dates are Slack date tokens; user text is escaped; each section stays within Slack's 3,000 characters.
"""

from __future__ import annotations

from slack_sdk.models.blocks import Block, ContextBlock, HeaderBlock, MarkdownTextObject, SectionBlock

from bot.config.schema import Config
from bot.domain.decision_record import Decision, Dispute, State, Veto
from bot.domain.durations import format_duration
from bot.domain.ticket import Event
from handlers.views.decision_buttons import button_block
from handlers.views.decision_words import choices_line, detail, history_lines, place, round_line, short, tally_line
from handlers.views.text import escape, mention, quote, when

SECTION = 2900  # under Slack's 3,000 per section, with room for a title
HISTORY_LINES = 15
STATE_ICONS = {State.VOTING: ":ballot_box_with_ballot:", State.LEAD: ":crown:", State.DECIDED: ":memo:",
               State.PUBLISHED: ":mega:", State.DISPUTED: ":warning:", State.FINAL: ":white_check_mark:",
               State.VETOED: ":no_entry:"}


def sections(title: str, lines: list[str]) -> list[SectionBlock]:
    """`title` and its lines, in as many sections as they need; a line too long for one is cut."""
    blocks, text = [], f"*{title}*"
    for line in lines:
        line = line[:SECTION - 20]
        if len(text) + 1 + len(line) > SECTION:
            blocks.append(SectionBlock(text=MarkdownTextObject(text=text)))
            text = f"*{title}* (continued)"
        text += "\n" + line
    blocks.append(SectionBlock(text=MarkdownTextObject(text=text)))
    return blocks


def state_text(config: Config, decision: Decision) -> str:
    name = "With the lead" if decision.state is State.LEAD else decision.state.value.capitalize()
    return f"{STATE_ICONS[decision.state]} *{name}* — {detail(config, decision)}"


def facts(config: Config, decision: Decision) -> str:
    policy = decision.current.policy
    rule = policy.rule.value.replace("_", " ")
    parts = [f"Called by {mention(config, decision.caller)} {when(decision.opened_at)}",
             f"{rule} · quorum {policy.quorum:.0%} · for {format_duration(policy.duration)}"]
    if decision.ticket is not None:
        parts.append(f"on ticket #{decision.ticket}, which resolves with its outcome")
    if decision.published_at:
        parts.append(f"published {when(decision.published_at)}")
    return " · ".join(parts)


def dispute_line(config: Config, dispute: Dispute) -> str:
    line = f"• {when(dispute.at)} by {mention(config, dispute.by)}: {escape(dispute.reason[:600])}"
    if dispute.resolution:
        line += f"\n   → {dispute.resolution}" + (f" ({dispute.resolved_by.removeprefix('area:')})"
                                                     if dispute.resolved_by else "")
    elif dispute.escalated:
        line += "\n   → with the core maintainers"
    else:
        line += f"\n   → to be answered by {when(dispute.answer_due_at)}"
    if dispute.explanation:
        line += f": {escape(dispute.explanation[:600])}"
    return line


def veto_line(config: Config, veto: Veto) -> str:
    outcome = f" → {veto.resolution} ({veto.resolved_by})" if veto.resolution else " → the core is voting on it"
    return f"• {when(veto.at)} asked by {mention(config, veto.by)}: {escape(veto.reason[:600])}{outcome}"


def decision_blocks(config: Config, decision: Decision, events: list[Event], person: str | None = None) -> list[dict]:
    proposal, _ = quote(decision.proposal, 2000)  # the whole of it (PROPOSAL_MAX)
    blocks: list[Block] = [
        HeaderBlock(text=f"#{decision.number} · decision · {place(decision)}"[:150]),
        SectionBlock(text=MarkdownTextObject(text=proposal[:SECTION])),  # many short lines quote longer
        SectionBlock(text=MarkdownTextObject(text=state_text(config, decision)[:SECTION])),
        ContextBlock(elements=[MarkdownTextObject(text=facts(config, decision)[:SECTION])]),
    ]
    current = decision.current
    if decision.state is State.VOTING:
        blocks.append(SectionBlock(text=MarkdownTextObject(text=f"*Now:* {tally_line(config, current)}"[:SECTION])))
    rounds = []
    for vote in decision.rounds:
        line = f"• {round_line(config, vote)}"
        if vote.result is not None:
            line += f"\n   {choices_line(config, vote)}"
        if vote.rationale:
            line += f"\n   _Rationale_ by {mention(config, vote.rationale_by)}: {short(vote.rationale, 200)}"
        rounds.append(line)
    blocks += sections("Votes", rounds)
    if decision.rationale:
        text, _ = quote(decision.rationale, SECTION - 40)
        blocks.append(SectionBlock(text=MarkdownTextObject(text=f"*Rationale*\n{text}"[:SECTION])))
    if decision.disputes:
        blocks += sections("Disputes", [dispute_line(config, dispute) for dispute in decision.disputes])
    if decision.vetoes:
        blocks += sections("Vetoes", [veto_line(config, veto) for veto in decision.vetoes])
    lines = history_lines(config, events)
    shown = lines[-HISTORY_LINES:]
    if len(lines) > len(shown):
        shown.insert(0, f"• … {len(lines) - len(shown)} earlier events")
    blocks += sections("History", shown)
    if person is not None and (actions := button_block(decision, person)) is not None:
        blocks.append(actions)
    return [block.to_dict() for block in blocks]


def decision_text(decision: Decision) -> str:
    """The notification text beside the blocks."""
    return f"#{decision.number}: {decision.state.value}"
