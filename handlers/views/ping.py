"""The ping: the one message per ticket that its rung sees, updated in place as the ticket moves.

    #12 · question · nn
    Question from @asker
    > How do I register a forward hook …
    Pinging @a @b (nn maintainers) · ack by Tue 10:00 · resolve by Mon 09:00
    Open — waiting for the nn maintainers to acknowledge
    [Acknowledge] [Resolve] [Escalate] [Waiting on asker]   [Hand over to… ▾]

It mentions the people it was sent to — the rung's people who could be pinged then, not those away —
and keeps saying so after the ticket moves on ("Pinged @a @b (nn maintainers) · now with the core
maintainers"); its buttons follow the state (handlers/views/ticket_actions.py).

Written as plain Block Kit dicts, not slack_sdk's models: every ping and every update of one renders
this, and the models' validation cost more than the rest of a delivery. tests/handlers/views checks
that slack_sdk's models read each variant back unchanged.
"""

from __future__ import annotations

from bot.config.ladders import ladder_for
from bot.config.schema import Config
from bot.domain.ticket import Kind, State, Ticket
from handlers.views.text import level_label, mention, mentions, quote, when
from handlers.views.ticket_actions import BUTTONS, action_blocks

__all__ = ["BUTTONS", "deadlines", "header", "ping_blocks", "ping_text", "rung_people", "state_line", "title"]



def title(ticket: Ticket) -> str:
    return f"#{ticket.id} · {ticket.kind.value} · {ticket.area or 'no area'}"


def header(ticket: Ticket) -> str:
    """The ping's header: an escalation (a dispute or a blocker) stands out from a question."""
    return f":rotating_light: {title(ticket)}" if ticket.kind is Kind.ESCALATION else title(ticket)


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
        return f":eyes: *Acknowledged* by {mention(config, ticket.acknowledged_by)} — they have it"
    if ticket.assignee:
        return f":bell: *Handed to* {mention(config, ticket.assignee)} — waiting for them to acknowledge"
    return f":bell: *Open* — waiting for the {level_label(config, ticket.level)} to acknowledge"


def deadlines(ticket: Ticket, ack: str = "ack by", resolve: str = "resolve by") -> list[str]:
    """"ack by … · resolve by …", and how SLA time counts when it is not around the clock."""
    parts = []
    if ticket.ack_due_at:
        parts.append(f"{ack} {when(ticket.ack_due_at)}")
    if ticket.resolve_due_at:
        parts.append(f"{resolve} {when(ticket.resolve_due_at)}")
    policy = ticket.policy
    if parts and (policy.hours or policy.holidays):
        counted = f"working hours, {policy.hours.tz}" if policy.hours else "working days"
        parts.append(counted + (f", {policy.holidays} holidays off" if policy.holidays else ""))
    return parts


def ping_text(config: Config, ticket: Ticket, to: tuple[str, ...] | None = None) -> str:
    """The notification text (what a phone shows); the blocks carry the rest."""
    people = rung_people(config, ticket) if to is None else to
    return f"{title(ticket)} — {mentions(config, people)}: new {ticket.kind.value}"


def ping_blocks(config: Config, ticket: Ticket, *, to: tuple[str, ...] | None = None,
                level: str | None = None) -> list[dict]:
    """The ping as sent to `to` at `level` (by default: the ticket's rung now, all its people)."""
    level = level or ticket.level
    people = rung_people(config, ticket) if to is None else to
    question, cut = quote(ticket.text)
    more = "\n_The full text is in the thread._" if cut else ""
    if level == ticket.level and ticket.state is not State.RESOLVED:
        pinging = f"Pinging {mentions(config, people)} ({level_label(config, level)})"
    else:
        pinging = f"Pinged {mentions(config, people)} ({level_label(config, level)})"
        if level != ticket.level and ticket.state is not State.RESOLVED:
            pinging += f" · now with the {level_label(config, ticket.level)}"
    blocks: list[dict] = [
        {"type": "header", "text": {"type": "plain_text", "text": header(ticket), "emoji": True}},
        _section(f"*{ticket.kind.value.capitalize()} from {mention(config, ticket.asker)}*\n{question}{more}"),
        {"type": "context", "elements": [{"type": "mrkdwn", "text": " · ".join([pinging, *deadlines(ticket)])}]},
        _section(state_line(config, ticket)),
        *action_blocks(ticket),
    ]
    return blocks


def _section(markdown: str) -> dict:
    return {"type": "section", "text": {"type": "mrkdwn", "text": markdown}}
