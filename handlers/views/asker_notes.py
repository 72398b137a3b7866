"""What the asker is told by DM at each step of their ticket: what happened, who did it, and a link to
where it happens (their own thread, else the ping in the area's channel).

    @Mikayla Gawarecki needs more from you on #12 · question · nn. Answer in the thread, then press
    *I answered* (the clocks are paused until you do).
    Open the ping
    [I answered]

Two notes carry a button: "needs more from you" (**I answered**) and "resolved" (**Reopen**). Each is
kept and updated when its button no longer applies — the asker answered, the ticket was reopened —
so that an old DM never offers a button that would only be refused.
"""

from __future__ import annotations

from bot.config.schema import Config
from bot.domain.ticket import SYSTEM, State, Ticket
from handlers.views.ping import title
from handlers.views.text import escape, level_label, mention
from handlers.views.ticket_actions import REOPEN, button

REPLIED_BUTTON = "ticket_replied"
WITH_BUTTON = {"waiting": (REPLIED_BUTTON, "I answered"), "resolved": (REOPEN, "Reopen")}


def note(config: Config, ticket: Ticket, kind: str, data: dict, level: str, *, link: str | None = None,
         settled: str | None = None) -> tuple[str, list[dict]]:
    """(notification text, blocks) for one notice to the asker; `settled` says why its button is gone."""
    by = data.get("by")
    who = mention(config, by) if by and by != SYSTEM else "Someone"
    rung = level_label(config, level)
    reason = f": {escape(data['reason'])}" if data.get("reason") else ""
    skipped = ", ".join(level_label(config, item) for item in data.get("skipped", []))
    moved = (f"{title(ticket)} moved up to the {rung}, by {who}{reason}." if by and by != SYSTEM
             else f"{title(ticket)} moved up to the {rung}{reason}.")
    texts = {
        "acknowledged": f"{who} acknowledged {title(ticket)}: they have it.",
        "escalated": moved,
        "resolved": f"{title(ticket)} was resolved by {who}."
                    + (f"\n> {escape(data['note'])}" if data.get("note") else ""),
        "skipped": f"Nobody on the {skipped} can be reached right now (away, or not on Slack), so "
                   f"{title(ticket)} went on to the {rung}.",
        "unreachable": f"Nobody can be pinged for {title(ticket)} right now; it waits with the {rung}, "
                       "and they will see it when they are back.",
        "waiting": f"{who} needs more from you on {title(ticket)}. Answer in the thread, then press "
                   "*I answered* (the clocks are paused until you do).",
        "reassigned": f"{who} handed {title(ticket)} to {mention(config, data.get('to', ''))}.",
        "reopened": f"{who} reopened {title(ticket)}{reason}.",
    }
    text = texts.get(kind, f"{title(ticket)}: {kind}")
    blocks: list[dict] = [{"type": "section", "text": {"type": "mrkdwn", "text": text}}]
    context = [part for part in (link, f"_{settled}_" if settled else None) if part]
    if context:
        blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": " · ".join(context)}]})
    if kind in WITH_BUTTON and settled is None:
        action_id, label = WITH_BUTTON[kind]
        blocks.append({"type": "actions", "block_id": "asker_actions",
                       "elements": [button(label, action_id, str(ticket.id), primary=True)]})
    return text, blocks


def moment_of(ticket: Ticket, kind: str) -> str | None:
    """What a button-carrying note was about: the waiting (or resolution) it was sent for."""
    moment = ticket.waiting_since if kind == "waiting" else ticket.resolved_at if kind == "resolved" else None
    return moment.isoformat() if moment else None


def why_settled(config: Config, ticket: Ticket, kind: str, moment: str | None) -> str | None:
    """None while the note's button still applies; else the few words that replace it."""
    if moment_of(ticket, kind) == moment and moment is not None:
        return None
    if ticket.state is State.RESOLVED:
        return f"Resolved by {mention(config, ticket.resolved_by)} since."
    if kind == "waiting":
        return "You answered: the clocks run again." if ticket.state is not State.WAITING else "Answered."
    return "Reopened since: it is open again."


def link_text(permalink: str | None, *, thread: bool) -> str | None:
    if permalink is None:
        return None
    return f"<{permalink}|{'Open your thread' if thread else 'Open the ping'}>"
