"""`/status #N` for a decision: where it stands, every vote held on it, its reasoning and its history.

    #12 · decision · nn
    > Deprecate nn.Container
    :ballot_box_with_ballot: Voting — the nn maintainers vote on it until Mon 30 Nov at 09:00
    Called by @Mikayla · majority · quorum 50% (2 of 3 votes) · for 7d
    Now: For 1 · Against 0 · Abstain 0 · not voted yet: @Alban @Joel
    Votes: 1. nn maintainers, on the proposal — majority · quorum 50% (2 of 3 votes): open until …
    Rationale · Disputes · Vetoes            (once there are any)
    History: • … — called by @Mikayla, a vote of the nn maintainers • … — @Mikayla voted
    [For] [Against] [Abstain]                (the buttons waiting on whoever asked)

A vote on a dispute or a veto also says what For and Against mean there. The words are
`handlers.views.decision_text`'s, as every other surface's; the history's lines are this module's,
the only place that shows them. Dates are Slack date tokens; user text is escaped; each section stays
within Slack's 3,000 characters.
"""

from __future__ import annotations

from datetime import datetime

from slack_sdk.models.blocks import Block, ContextBlock, HeaderBlock, MarkdownTextObject, SectionBlock

from bot.config.schema import Config
from bot.domain.decision_record import LEAD, Decision, Dispute, Purpose, State, Veto
from bot.domain.durations import format_duration
from bot.domain.tally import Result
from bot.domain.ticket import SYSTEM, Event
from handlers.views.blocks import excerpt, fit, quoted
from handlers.views.decision_buttons import button_block
from handlers.views.decision_text import (
    RESULTS,
    counts,
    group,
    place,
    round_line,
    rule_line,
    standing,
    tally_line,
    went_to_core,
    what_for_means,
)
from handlers.views.text import escape, mention, when

SECTION = 2900  # under Slack's 3,000 per section, with room for a title
HISTORY_LINES = 15
STATE_ICONS = {State.VOTING: ":ballot_box_with_ballot:", State.LEAD: ":crown:", State.DECIDED: ":memo:",
               State.PUBLISHED: ":mega:", State.DISPUTED: ":warning:", State.FINAL: ":white_check_mark:",
               State.VETOED: ":no_entry:"}


def markdown(text: str) -> MarkdownTextObject:
    return MarkdownTextObject(text=fit(text, SECTION))


def sections(title: str, lines: list[str]) -> list[SectionBlock]:
    """`title` and its lines, in as many sections as they need; a line too long for one is cut."""
    blocks, text = [], f"*{title}*"
    for line in lines:
        line = fit(line, SECTION - 20)
        if len(text) + 1 + len(line) > SECTION:
            blocks.append(SectionBlock(text=markdown(text)))
            text = f"*{title}* (continued)"
        text += "\n" + line
    blocks.append(SectionBlock(text=markdown(text)))
    return blocks


def state_text(config: Config, decision: Decision) -> str:
    title = "With the lead" if decision.state is State.LEAD else decision.state.value.capitalize()
    text = f"{STATE_ICONS[decision.state]} *{title}* — {standing(config, decision)}"
    if decision.state is State.VOTING and decision.current.purpose is not Purpose.DECIDE:
        text += "\n" + what_for_means(decision, len(decision.rounds) - 1)
    return text


def facts(config: Config, decision: Decision) -> str:
    current = decision.current
    rule = rule_line(current) + (f" · for {format_duration(current.policy.duration)}" if current.closes_at else "")
    parts = [f"Called by {mention(config, decision.caller)} {when(decision.opened_at)}", rule]
    if decision.ticket is not None:
        parts.append(f"on ticket #{decision.ticket}, which resolves with its outcome")
    if decision.published_at:
        parts.append(f"published {when(decision.published_at)}")
    return " · ".join(parts)


def dispute_line(config: Config, dispute: Dispute) -> str:
    line = f"• {when(dispute.at)} by {mention(config, dispute.by)}: {escape(dispute.reason[:600])}"
    if dispute.resolution:
        line += f"\n   → {dispute.resolution}" + (f" by the {group(config, dispute.resolved_by)}"
                                                     if dispute.resolved_by else "")
    elif dispute.escalated:
        line += f"\n   → {went_to_core(dispute)}"
    else:
        line += f"\n   → to be answered by {when(dispute.answer_due_at)}"
    if dispute.explanation:
        line += f": {escape(dispute.explanation[:600])}"
    return line


def veto_line(config: Config, veto: Veto) -> str:
    outcome = (f" → {veto.resolution} by the {group(config, veto.resolved_by)}" if veto.resolution
               else " → the core is voting on it")
    return f"• {when(veto.at)} asked by {mention(config, veto.by)}: {escape(veto.reason[:600])}{outcome}"


def decision_blocks(config: Config, decision: Decision, events: list[Event], person: str | None = None) -> list[dict]:
    proposal, _ = quoted(decision.proposal, SECTION)  # the whole of it (PROPOSAL_MAX)
    blocks: list[Block] = [
        HeaderBlock(text=f"#{decision.number} · decision · {place(decision)}"[:150]),
        SectionBlock(text=markdown(proposal)),
        SectionBlock(text=markdown(state_text(config, decision))),
        ContextBlock(elements=[markdown(facts(config, decision))]),
    ]
    if decision.state is State.VOTING:
        blocks.append(SectionBlock(text=markdown(f"*Now:* {tally_line(config, decision.current)}")))
    rounds = []
    for number, vote in enumerate(decision.rounds, 1):
        line = round_line(config, vote, number)
        if vote.rationale:
            line += f"\n      _Rationale_ by {mention(config, vote.rationale_by)}: {excerpt(vote.rationale, 200)}"
        rounds.append(line)
    blocks += sections("Votes", rounds)
    if decision.rationale:
        text, _ = quoted(decision.rationale, SECTION - 40)
        blocks.append(SectionBlock(text=markdown(f"*Rationale*\n{text}")))
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


# -- the history -----------------------------------------------------------------------------------


def history_lines(config: Config, events: list[Event]) -> list[str]:
    return [f"• {when(event.at)} — {describe(config, event)}" for event in events]


def describe(config: Config, event: Event) -> str:
    """One line of a decision's history."""
    actor = "Upline" if event.actor == SYSTEM else mention(config, event.actor)
    reason = f": {excerpt(event.reason, 150)}" if event.reason else ""
    data = event.data
    told = "the lead was" if data.get("told") == LEAD else "the core maintainers were"
    words = {
        "called": (f"called by {actor}, a vote of the {group(config, event.level)}" if event.level != LEAD
                   else f"put to the lead by {actor}"),
        "voted": f"{actor} {'changed their vote' if data.get('previous') else 'voted'}",
        "recused": f"{actor} recused themselves",
        "closed": f"vote closed{' early' if data.get('early') else ''}: {_result(data.get('result'), event.reason)} — "
                  + counts(data.get("for", 0), data.get("against", 0), data.get("abstain", 0)),
        "escalated": f"went to the {group(config, event.level)}{reason}",
        "rationale": f"rationale written by {actor}",
        "lead_decided": f"{actor}, the lead, {'approved' if data.get('approve') else 'rejected'} it",
        "published": f"published: {_published(data)}",
        "disputed": f"disputed by {actor}{reason}",
        "dispute_upheld": f"{actor} upheld it{reason}",
        "revote": f"{actor} asked for a revote{reason}",
        "dispute_escalated": f"the dispute went to the core maintainers{reason}",
        "veto_asked": f"{actor} asked the core to veto it{reason}",
        "veto_declined": "the veto was declined: it stands as published",
        "settled": "final: its window for disputes and vetoes closed",
        "reminded": f"the {group(config, event.level)} {'was' if event.level == LEAD else 'were'} reminded",
        "reminder_skipped": f"a reminder was not sent{reason}",
        "rationale_reminded": f"the {group(config, event.level)} were reminded to write the rationale",
        "rationale_reminder_skipped": f"a rationale reminder was not sent{reason}",
        "rationale_missing": f"the rationale is overdue: {told} told",
    }
    line = words.get(event.kind, f"{escape(event.kind)}{reason}")
    if data.get("late") and data.get("due_at"):
        line += f" · due {when(datetime.fromisoformat(data['due_at']))} · Upline was not running"
    return line


def _result(value: str | None, why: str | None) -> str:
    """A closed vote's result as its event has it: "passed", "no decision (a tie)"."""
    words = RESULTS.get(Result(value), "?") if value in set(Result) else "?"
    return f"{words} ({escape(why)})" if why else words


def _published(data: dict) -> str:
    if data.get("state") == State.VETOED.value:
        return "vetoed"
    return RESULTS[Result(data["outcome"])] if data.get("outcome") in set(Result) else escape(data.get("state", "?"))
