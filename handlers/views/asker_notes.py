"""What the asker is told by DM at each step of their ticket."""

from __future__ import annotations

from slack_sdk.models.blocks import ActionsBlock, ButtonElement, MarkdownTextObject, SectionBlock

from bot.config.schema import Config
from bot.domain.ticket import Ticket
from handlers.views.ping import title
from handlers.views.text import escape, level_label, mention

REPLIED_BUTTON = "ticket_replied"


def note(config: Config, ticket: Ticket, kind: str, data: dict, level: str) -> tuple[str, list[dict]]:
    """(notification text, blocks) for one notice to the asker."""
    by = mention(config, data["by"]) if data.get("by") else "Someone"
    rung = level_label(config, level)
    reason = f": {escape(data['reason'])}" if data.get("reason") else ""
    skipped = ", ".join(level_label(config, item) for item in data.get("skipped", []))
    texts = {
        "acknowledged": f"{by} acknowledged {title(ticket)}: they have it.",
        "escalated": f"{title(ticket)} moved up to the {rung}{reason}.",
        "resolved": f"{title(ticket)} was resolved by {by}."
                    + (f"\n> {escape(data['note'])}" if data.get("note") else ""),
        "skipped": f"Nobody on the {skipped} can be reached right now (away, or not on Slack), so "
                   f"{title(ticket)} went on to the {rung}.",
        "unreachable": f"Nobody can be pinged for {title(ticket)} right now; it waits with the {rung}, "
                       "and they will see it when they are back.",
        "waiting": f"{by} needs more from you on {title(ticket)}. Answer in the thread, then press "
                   "*I answered* (the clocks are paused until you do).",
        "reassigned": f"{by} handed {title(ticket)} to {mention(config, data.get('to', ''))}.",
        "reopened": f"{by} reopened {title(ticket)}.",
    }
    text = texts.get(kind, f"{title(ticket)}: {kind}")
    blocks = [SectionBlock(text=MarkdownTextObject(text=text))]
    if kind == "waiting":
        blocks.append(ActionsBlock(block_id="asker_actions", elements=[
            ButtonElement(text="I answered", action_id=REPLIED_BUTTON, value=str(ticket.id), style="primary")]))
    return text, [block.to_dict() for block in blocks]
