"""The ping: the one message per ticket that its rung sees, updated in place as the ticket moves.

    #12 · question · nn
    Question from @asker
    > How do I register a forward hook …
    Pinging @a @b (nn maintainers) · ack by Tue 10:00 · resolve by Mon 09:00
    Open — waiting for someone to acknowledge
    [Acknowledge] [Resolve] [Escalate] [Waiting on asker]

Written as plain Block Kit dicts, not slack_sdk's models: every ping and every update of one renders
this, and the models' validation cost more than the rest of a delivery. tests/handlers/views checks
that slack_sdk's models read each variant back unchanged.
"""

from __future__ import annotations

from bot.config.schema import Config
from bot.domain.ladder import ladder_for
from bot.domain.ticket import State, Ticket
from handlers.views.text import level_label, mention, mentions, quote, when

# action_id → label; the handlers in handlers/ping_buttons.py answer these ids.
BUTTONS = {
    "ticket_acknowledge": "Acknowledge",
    "ticket_resolve": "Resolve",
    "ticket_escalate": "Escalate",
    "ticket_wait": "Waiting on asker",
}


def title(ticket: Ticket) -> str:
    return f"#{ticket.id} · {ticket.kind.value} · {ticket.area or 'no area'}"


def rung_people(config: Config, ticket: Ticket) -> tuple[str, ...]:
    rung = next((rung for rung in ladder_for(config, ticket.area) if rung.level == ticket.level), None)
    return rung.people if rung else ()


def state_line(config: Config, ticket: Ticket) -> str:
    if ticket.state is State.RESOLVED:
        note = f"\n{quote(ticket.resolution, 1000)[0]}" if ticket.resolution else ""
        return f":white_check_mark: *Resolved* by {mention(config, ticket.resolved_by)}{note}"
    if ticket.state is State.WAITING:
        asker = mention(config, ticket.asker)
        return f":hourglass: *Waiting on the asker* — the clocks are paused until {asker} replies"
    if ticket.state is State.ACKNOWLEDGED:
        return f":eyes: *Acknowledged* by {mention(config, ticket.acknowledged_by)}"
    return f":bell: *Open* — waiting for the {level_label(config, ticket.level)} to acknowledge"


def ping_text(config: Config, ticket: Ticket) -> str:
    """The notification text (what a phone shows); the blocks carry the rest."""
    return f"{title(ticket)} — {mentions(config, rung_people(config, ticket))}: new {ticket.kind.value}"


def ping_blocks(config: Config, ticket: Ticket) -> list[dict]:
    question, cut = quote(ticket.text)
    more = "\n_The full text is in the thread._" if cut else ""
    deadlines = []
    if ticket.ack_due_at:
        deadlines.append(f"ack by {when(ticket.ack_due_at)}")
    if ticket.resolve_due_at:
        deadlines.append(f"resolve by {when(ticket.resolve_due_at)}")
    pinging = f"Pinging {mentions(config, rung_people(config, ticket))} ({level_label(config, ticket.level)})"
    blocks: list[dict] = [
        {"type": "header", "text": {"type": "plain_text", "text": title(ticket), "emoji": True}},
        _section(f"*{ticket.kind.value.capitalize()} from {mention(config, ticket.asker)}*\n{question}{more}"),
        {"type": "context", "elements": [{"type": "mrkdwn", "text": " · ".join([pinging, *deadlines])}]},
        _section(state_line(config, ticket)),
    ]
    if ticket.state is not State.RESOLVED:
        blocks.append({"type": "actions", "block_id": "ticket_actions", "elements": [
            _button(label, action_id, str(ticket.id), primary=action_id == "ticket_acknowledge")
            for action_id, label in BUTTONS.items()
        ]})
    return blocks


def _section(markdown: str) -> dict:
    return {"type": "section", "text": {"type": "mrkdwn", "text": markdown}}


def _button(label: str, action_id: str, value: str, *, primary: bool) -> dict:
    button = {"type": "button", "text": {"type": "plain_text", "text": label, "emoji": True}, "action_id": action_id,
              "value": value}
    if primary:
        button["style"] = "primary"
    return button
