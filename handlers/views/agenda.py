"""The core's triage agenda at the top of App Home, for a core maintainer and the lead:

    :rotating_light: Breached
    • #7 nn · How do I register a hook… — with the core maintainers, nobody holds it · ack missed, overdue 3h
    [Acknowledge] [Resolve] [Escalate] [Waiting on asker]
    … and 4 more: `/status #N` shows each
    :ballot_box_with_ballot: Undecided
    • #12 core (nn) · Deprecate nn.Container — core vote after no decision by the nn maintainers, closes Mon…
    [For] [Against] [Abstain] [Recuse]
    :crown: Waiting on the lead
    • #9 build-ci · Drop CUDA 11 — with the lead since Fri 27 Nov
    • #15 lead · Add Alice to the core — nomination #14, yours to approve or reject
    [Approve] [Reject]

Every button carries the action ID and value of the same button elsewhere (the ping, the vote
message), so the handlers that answer those answer these, and redraw the tab. Block IDs are this
view's own: the same decision may also be under "Votes waiting on you". Each list shows at most
`SHOWN` lines with their buttons, then how many more and where to find them.
"""

from __future__ import annotations

from datetime import datetime

from slack_sdk.models.blocks import ActionsBlock, ButtonElement, ContextBlock, MarkdownTextObject, SectionBlock

from bot.config.schema import Config
from bot.domain.decision_record import Decision, Purpose
from bot.domain.ticket import Ticket
from bot.reporting.agenda import Agenda, Breach, ForTheLead, Undecided, Why
from handlers.views.blocks import excerpt, fit
from handlers.views.decision_buttons import buttons as decision_buttons
from handlers.views.decision_text import group, place
from handlers.views.home import short
from handlers.views.nomination import what, who
from handlers.views.text import level_label, mention, when
from handlers.views.ticket_actions import BUTTONS, REOPEN, offered

SHOWN = 5  # lines per list: with their buttons, the three lists stay near 50 of Home's 100 blocks
BLOCK = "agenda"  # block_id prefix, then the list: "agenda:breached:7", "agenda:undecided:12"


def line(text: str) -> SectionBlock:
    return SectionBlock(text=MarkdownTextObject(text=fit(text)))


def more(hidden: int, where: str) -> list:
    return [ContextBlock(elements=[MarkdownTextObject(text=f"… and {hidden} more: {where}")])] if hidden > 0 else []


def ticket_buttons(ticket: Ticket, where: str) -> ActionsBlock | None:
    """The ping's buttons for the ticket's state (a core maintainer or the lead may use each)."""
    shown = [action_id for action_id in offered(ticket) if action_id != REOPEN]
    elements = [ButtonElement(text=BUTTONS[action_id], action_id=action_id, value=str(ticket.id),
                              style="primary" if index == 0 else None) for index, action_id in enumerate(shown)]
    return ActionsBlock(block_id=f"{BLOCK}:{where}:{ticket.id}", elements=elements) if elements else None


def where_now(config: Config, ticket: Ticket, holder: str | None) -> str:
    held = f"held by {mention(config, holder)}" if holder else "nobody holds it"
    return f"with the {level_label(config, ticket.level)}, {held}"


def breach_line(config: Config, breach: Breach, now: datetime) -> str:
    ticket = breach.ticket
    missed, overdue = " and ".join(breach.missed), short(now - breach.overdue_since)
    return (f"• *#{ticket.id}* {ticket.area or 'no area'} · {excerpt(ticket.text)} — "
            f"{where_now(config, ticket, breach.holder)} · {missed} missed, overdue {overdue}")


def breached_blocks(config: Config, breached: tuple[Breach, ...], now: datetime) -> list:
    blocks: list = [line("*:rotating_light: Breached*" + ("" if breached else "\n_Nothing: every promise kept._"))]
    for breach in breached[:SHOWN]:
        blocks.append(line(breach_line(config, breach, now)))
        if (actions := ticket_buttons(breach.ticket, "breached")) is not None:
            blocks.append(actions)
    return blocks + more(len(breached) - SHOWN, "`/status #N` shows each")


def decision_actions(decision: Decision, person: str, where: str) -> ActionsBlock | None:
    offered_buttons = decision_buttons(decision, person)
    return (ActionsBlock(block_id=f"{BLOCK}:{where}:{decision.number}", elements=offered_buttons)
            if offered_buttons else None)


def undecided_text(config: Config, item: Undecided) -> str:
    decision = item.decision
    if item.why is Why.CORE_VOTE:
        if item.after_no_decision:
            kind = f"core vote after no decision by the {group(config, decision.rounds[-2].level)}"
        else:
            kind = {Purpose.DISPUTE: "core vote on a dispute", Purpose.VETO: "core vote on a veto"}.get(
                decision.current.purpose, "core vote")
        return f"{kind}, closes {when(item.due_at)}"
    if item.why is Why.DISPUTE:
        return f"disputed, the {group(config, decision.level)} answer by {when(item.due_at)}"
    return f"decided, the rationale was due {when(item.due_at)}"


def undecided_blocks(config: Config, undecided: tuple[Undecided, ...], person: str) -> list:
    empty = "" if undecided else "\n_Nothing open at the core._"
    blocks: list = [line("*:ballot_box_with_ballot: Undecided*" + empty)]
    for item in undecided[:SHOWN]:
        decision = item.decision
        blocks.append(line(f"• *#{decision.number}* {place(decision)} · {excerpt(decision.proposal)} — "
                           f"{undecided_text(config, item)}"))
        if (actions := decision_actions(decision, person, "undecided")) is not None:
            blocks.append(actions)
    return blocks + more(len(undecided) - SHOWN, "`/decisions` lists them")


def lead_ticket_line(config: Config, ticket: Ticket) -> str:
    holder = ticket.assignee or ticket.acknowledged_by
    return (f"• *#{ticket.id}* {ticket.area or 'no area'} · {excerpt(ticket.text)} — {ticket.state.value}, "
            f"{'held by ' + mention(config, holder) if holder else 'nobody holds it'}, "
            f"with the lead since {when(ticket.level_started_at)}")


def for_lead_line(config: Config, item: ForTheLead) -> str:
    decision, nomination = item.decision, item.nomination
    about = (f"nomination #{nomination.number}: {who(config, nomination.person)}, {what(nomination)}"
             if nomination is not None else excerpt(decision.proposal))
    return (f"• *#{decision.number}* {place(decision)} · {about} — with the lead since "
            f"{when(decision.current.opened_at)}, to approve or reject")


def lead_blocks(config: Config, agenda: Agenda, person: str) -> list:
    nothing = not (agenda.lead_tickets_total or agenda.lead_decisions)
    blocks: list = [line("*:crown: Waiting on the lead*" + ("\n_Nothing._" if nothing else ""))]
    for ticket in agenda.lead_tickets[:SHOWN]:
        blocks.append(line(lead_ticket_line(config, ticket)))
        if (actions := ticket_buttons(ticket, "lead")) is not None:
            blocks.append(actions)
    blocks += more(agenda.lead_tickets_total - min(SHOWN, len(agenda.lead_tickets)), "`/status #N` shows each")
    for item in agenda.lead_decisions[:SHOWN]:
        blocks.append(line(for_lead_line(config, item)))
        if (actions := decision_actions(item.decision, person, "for_lead")) is not None:
            blocks.append(actions)
    return blocks + more(len(agenda.lead_decisions) - SHOWN, "`/decisions` lists them")


def agenda_blocks(config: Config, agenda: Agenda, person: str, now: datetime) -> list:
    """The agenda's blocks for `person` (a people key): the three lists, the buttons theirs to press."""
    return [line("*Triage agenda* · what the core and the lead must look at now"),
            *breached_blocks(config, agenda.breached, now),
            *undecided_blocks(config, agenda.undecided, person),
            *lead_blocks(config, agenda, person)]
