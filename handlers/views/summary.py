"""Many notices for one conversation at once, as one message: what a storm after downtime looks like.

    :rotating_light: 12 tickets need the core maintainers
    For @a @b @c
    • #41 · nn · escalated — How do I register a forward hook …
    • #42 · optim · overdue — Why does Adam allocate twice …
    … and 3 more: `/status` and App Home list them
    Each ticket's ping has its buttons; this summary stands in for one message each.

Cut within Slack's limits (3,000 characters a section, 50 blocks) with a count of what was left out.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.config.schema import Config
from bot.domain.ticket import Ticket
from handlers.views.text import SECTION_LIMIT, escape, level_label, mentions

MAX_SECTIONS = 40  # of Slack's 50 blocks, leaving room for the header and the rest
WORDS = {"escalated": "escalated", "resolve_breach": "overdue", "reminder": "still waits for an ack"}


@dataclass(frozen=True)
class Item:
    ticket: Ticket
    kind: str  # escalated, resolve_breach, reminder
    link: str | None  # to the ticket's ping


def summary_text(count: int, level: str, config: Config, people: tuple[str, ...]) -> str:
    return f"{count} tickets need the {level_label(config, level)} — {mentions(config, people)}"


def summary_blocks(config: Config, items: list[Item], *, level: str, people: tuple[str, ...]) -> list[dict]:
    lines = [_line(item) for item in items]
    sections, current, shown = [], "", 0
    for line in lines:
        if len(current) + len(line) + 1 > SECTION_LIMIT - 100:
            if len(sections) + 1 >= MAX_SECTIONS:
                break
            sections.append(current)
            current = ""
        current = f"{current}\n{line}" if current else line
        shown += 1
    if current and len(sections) < MAX_SECTIONS:
        sections.append(current)
    blocks: list[dict] = [
        {"type": "header", "text": {"type": "plain_text", "emoji": True,
                                    "text": f":rotating_light: {len(items)} tickets need the "
                                            f"{level_label(config, level)}"[:150]}},
        {"type": "section", "text": {"type": "mrkdwn", "text": f"For {mentions(config, people)}"[:SECTION_LIMIT]}},
        *({"type": "section", "text": {"type": "mrkdwn", "text": text}} for text in sections),
    ]
    left = len(items) - shown
    more = f"… and {left} more: `/status` and App Home list them. " if left else ""
    blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": more + (
        "Each ticket's ping has its buttons; this message stands in for one message each.")}]})
    return blocks


def _line(item: Item) -> str:
    ticket = item.ticket
    number = f"<{item.link}|#{ticket.id}>" if item.link else f"#{ticket.id}"
    words = escape(ticket.text.strip().splitlines()[0] if ticket.text.strip() else "")[:80]
    return f"• *{number}* · {ticket.area or 'no area'} · {WORDS.get(item.kind, item.kind)} — {words}"
