"""`/status` answers: one person's open asks and what waits on them; one ticket's state and history.

People are mentions (`@Joel`), never `people` keys: "open, with @Joel", "Handed to @Joel"."""

from __future__ import annotations

from datetime import datetime

from slack_sdk.models.blocks import (
    ActionsBlock,
    ButtonElement,
    ContextBlock,
    HeaderBlock,
    MarkdownTextObject,
    SectionBlock,
)

from bot.config.schema import Config
from bot.domain.ticket import Event, State, Ticket
from bot.services.tickets import Overview
from handlers.views.escalation import history
from handlers.views.ping import state_line, title
from handlers.views.text import escape, level_label, mention, when
from handlers.views.ticket_actions import REOPEN

MAX_LISTED = 10


def ticket_line(config: Config, ticket: Ticket, now: datetime) -> str:
    summary = escape(ticket.text.strip().splitlines()[0] if ticket.text.strip() else "")[:80]
    due = ticket.ack_due_at or ticket.resolve_due_at
    left = ""
    if due is not None:
        left = f" · due {when(due)}" + (" :rotating_light: overdue" if due <= now else "")
    holder = mention(config, ticket.assignee) if ticket.assignee else f"the {level_label(config, ticket.level)}"
    return f"• *#{ticket.id}* {summary} — {ticket.state.value}, with {holder}{left}"


def overview_blocks(config: Config, overview: Overview, now: datetime) -> list[dict]:
    def listing(tickets: list[Ticket], empty: str) -> str:
        lines = [ticket_line(config, ticket, now) for ticket in tickets[:MAX_LISTED]]
        if len(tickets) > MAX_LISTED:
            lines.append(f"… and {len(tickets) - MAX_LISTED} more")
        return "\n".join(lines) or empty

    blocks = [
        SectionBlock(text=MarkdownTextObject(text="*Your open asks*\n" + listing(overview.asked, "_None._"))),
        SectionBlock(text=MarkdownTextObject(
            text="*Waiting on you*\n" + listing(overview.waiting_on_me, "_Nothing: all clear._"))),
    ]
    if overview.away_until:
        blocks.append(ContextBlock(elements=[MarkdownTextObject(
            text=f"You are away until {when(overview.away_until)}: you are not pinged.")]))
    return [block.to_dict() for block in blocks]


def ticket_blocks(config: Config, ticket: Ticket, events: list[Event]) -> list[dict]:
    deadlines = [f"ack due {when(ticket.ack_due_at)}" if ticket.ack_due_at else "",
                 f"resolve due {when(ticket.resolve_due_at)}" if ticket.resolve_due_at else ""]
    handed = ticket.assignee and ticket.assignee != ticket.acknowledged_by and ticket.state is not State.RESOLVED
    facts = [f"Rung: {level_label(config, ticket.level)}",
             *([f"Handed to {mention(config, ticket.assignee)}"] if handed else []),
             *[part for part in deadlines if part],
             f"SLA: {escape(ticket.policy.source or 'defaults')}"]
    blocks = [
        HeaderBlock(text=title(ticket)),
        SectionBlock(text=MarkdownTextObject(text=state_line(config, ticket))),
        ContextBlock(elements=[MarkdownTextObject(text=" · ".join(facts)[:2990])]),
        SectionBlock(text=MarkdownTextObject(text=f"*History*\n{history(config, events)}"[:2990])),
    ]
    if ticket.state is State.RESOLVED:
        blocks.append(ActionsBlock(block_id="ticket_status_actions", elements=[
            ButtonElement(text="Reopen", action_id=REOPEN, value=str(ticket.id))]))
    return [block.to_dict() for block in blocks]
