"""What a rung above sees when a ticket climbs to it, or breaches under it:

    :rotating_light: Escalation · #12 · question · nn
    Escalated to the core maintainers — for @a @b @c (core maintainers)
    Question from @asker: > …
    So far: • … asked by @asker, nn maintainers pinged • … escalated to the core maintainers by Upline
    Original ping · ack by … · resolve by …
    Open — waiting for the core maintainers to acknowledge
    [Acknowledge] [Resolve] [Escalate] [Waiting on asker]   [Hand over to… ▾]

It mentions, in what Slack shows (not only in the notification text), exactly the people it asks to
act, and is updated in place at every change like the ping: state, deadlines and buttons stay true.
"""

from __future__ import annotations

from datetime import datetime

from slack_sdk.models.blocks import ContextBlock, HeaderBlock, MarkdownTextObject, SectionBlock

from bot.config.schema import Config
from bot.domain.ticket import Event, Ticket
from handlers.views.ping import deadlines, state_line, title
from handlers.views.text import escape, level_label, mention, mentions, quote, when
from handlers.views.ticket_actions import action_blocks

HISTORY_LINES = 8


def describe(config: Config, event: Event) -> str:
    """One line of history; a deadline acted on late also says when it was due, and why it was late."""
    actor = "Upline" if event.actor == "upline" else mention(config, event.actor)
    reason = f": {escape(event.reason)}" if event.reason else ""
    words = {
        "created": f"asked by {actor}, {level_label(config, event.level)} pinged",
        "escalated": f"escalated to the {level_label(config, event.level)} by {actor}{reason}",
        "skipped": f"skipped a rung{reason}",
        "acknowledged": f"acknowledged by {actor}",
        "breached": f"resolve deadline missed{reason}",
        "reminded": f"{level_label(config, event.level)} reminded",
        "reminder_skipped": f"reminder to the {level_label(config, event.level)} not sent{reason}",
        "waiting": f"{actor} is waiting on the asker",
        "replied": "the asker replied",
        "reassigned": f"handed to {mention(config, event.data.get('to', ''))} by {actor}",
        "resolved": f"resolved by {actor}{reason}",
        "reopened": f"reopened by {actor}{reason}",
    }
    line = words.get(event.kind, f"{event.kind}{reason}")
    if event.data.get("late"):
        line += f" · due {when(datetime.fromisoformat(event.data['due_at']))} · Upline was not running"
    return line


def history(config: Config, events: list[Event]) -> str:
    shown = events[-HISTORY_LINES:]
    lines = [f"• {when(event.at)} — {describe(config, event)}" for event in shown]
    if len(events) > len(shown):
        lines.insert(0, f"• … {len(events) - len(shown)} earlier events")
    return "\n".join(lines)


# Why a rung got the ticket → how its post's header reads.
HEADERS = {"escalated": (":rotating_light:", "Escalation"), "overdue": (":alarm_clock:", "Overdue"),
           "handed": (":handshake:", "Handed over")}


def escalation_blocks(config: Config, ticket: Ticket, events: list[Event], *, headline: str,
                      to: tuple[str, ...] = (), level: str | None = None, why: str = "escalated",
                      permalink: str | None = None) -> list[dict]:
    """The post for the rung at `level`, asking `to` (its people who could be pinged) to act."""
    question, _ = quote(ticket.text, 1500)
    link = f"<{permalink}|Original ping>" if permalink else "The original ping is in the area's channel"
    emoji, word = HEADERS.get(why, HEADERS["escalated"])
    rung = level_label(config, level or ticket.level)
    asking = f" — for {mentions(config, to)} ({rung})" if to else ""
    blocks = [
        HeaderBlock(text=f"{emoji} {word} · {title(ticket)}"),
        SectionBlock(text=MarkdownTextObject(text=f"*{headline}*{asking}\n{ticket.kind.value.capitalize()} from "
                                                  f"{mention(config, ticket.asker)}:\n{question}")),
        SectionBlock(text=MarkdownTextObject(text=f"*So far*\n{history(config, events)}"[:2990])),
        ContextBlock(elements=[MarkdownTextObject(text=" · ".join([link, *deadlines(ticket)]))]),
        SectionBlock(text=MarkdownTextObject(text=state_line(config, ticket))),
    ]
    return [block.to_dict() for block in blocks] + action_blocks(ticket)
