"""What a rung above sees when a ticket climbs to it: the question, why it came, what happened so far,
a link to the original ping, and the same buttons."""

from __future__ import annotations

from slack_sdk.models.blocks import (
    ActionsBlock,
    ButtonElement,
    ContextBlock,
    HeaderBlock,
    MarkdownTextObject,
    SectionBlock,
)

from bot.config.schema import Config
from bot.domain.ticket import Event, Ticket
from handlers.views.ping import BUTTONS
from handlers.views.text import escape, level_label, mention, quote, when

HISTORY_LINES = 8


def describe(config: Config, event: Event) -> str:
    actor = "Upline" if event.actor == "upline" else mention(config, event.actor)
    reason = f": {escape(event.reason)}" if event.reason else ""
    words = {
        "created": f"asked by {actor}, {level_label(config, event.level)} pinged",
        "escalated": f"escalated to the {level_label(config, event.level)} by {actor}{reason}",
        "skipped": f"skipped a rung{reason}",
        "acknowledged": f"acknowledged by {actor}",
        "breached": f"resolve deadline missed{reason}",
        "reminded": f"{level_label(config, event.level)} reminded",
        "waiting": f"{actor} is waiting on the asker",
        "replied": "the asker replied",
        "reassigned": f"handed to {mention(config, event.data.get('to', ''))} by {actor}",
        "resolved": f"resolved by {actor}{reason}",
        "reopened": f"reopened by {actor}",
    }
    return words.get(event.kind, f"{event.kind}{reason}")


def history(config: Config, events: list[Event]) -> str:
    shown = events[-HISTORY_LINES:]
    lines = [f"• {when(event.at)} — {describe(config, event)}" for event in shown]
    if len(events) > len(shown):
        lines.insert(0, f"• … {len(events) - len(shown)} earlier events")
    return "\n".join(lines)


def escalation_blocks(config: Config, ticket: Ticket, events: list[Event], *, headline: str,
                      permalink: str | None) -> list[dict]:
    question, _ = quote(ticket.text, 1500)
    link = f"<{permalink}|Original ping>" if permalink else "The original ping is in the area's channel"
    deadlines = " · ".join(part for part in [
        f"ack by {when(ticket.ack_due_at)}" if ticket.ack_due_at else "",
        f"resolve by {when(ticket.resolve_due_at)}" if ticket.resolve_due_at else ""] if part)
    blocks = [
        HeaderBlock(text=f"#{ticket.id} · {ticket.kind.value} · {ticket.area or 'no area'}"),
        SectionBlock(text=MarkdownTextObject(text=f"*{headline}*\n{ticket.kind.value.capitalize()} from "
                                                  f"{mention(config, ticket.asker)}:\n{question}")),
        SectionBlock(text=MarkdownTextObject(text=f"*So far*\n{history(config, events)}"[:2990])),
        ContextBlock(elements=[MarkdownTextObject(text=" · ".join(part for part in [link, deadlines] if part))]),
        ActionsBlock(block_id="ticket_actions", elements=[
            ButtonElement(text=label, action_id=action_id, value=str(ticket.id)) for action_id, label in BUTTONS.items()
        ]),
    ]
    return [block.to_dict() for block in blocks]
