"""The actions under every copy of a ticket that carries them (the ping, a rung's post, a lead's DM),
following the ticket's state, so that nobody is offered what can no longer be done:

    open          [Acknowledge] [Resolve] [Escalate] [Waiting on asker]   [Hand over to… ▾]
    acknowledged  [Resolve] [Escalate] [Waiting on asker]                 [Hand over to… ▾]
    waiting       [Acknowledge] [Resolve] [Escalate]                      (Acknowledge only if nobody has it)
    resolved      [Reopen]

The highlighted button is the next thing to do: Acknowledge while nobody has it, then Resolve.
Escalate is left out at the lead (nobody stands higher). The handlers in handlers/ping_buttons.py,
handlers/reopen.py and handlers/handover.py answer these action ids.

Written as plain Block Kit dicts: every copy of every ticket renders this on each change (see
handlers/views/ping.py on why not slack_sdk's models).
"""

from __future__ import annotations

from bot.domain.ticket import State, Ticket

ACTIONS_BLOCK = "ticket_actions"
HANDOVER = "ticket_handover"  # a users_select; its block_id carries the ticket: "ticket_handover:12"
REOPEN = "ticket_reopen"

# action_id → label, in the order they are shown.
BUTTONS = {
    "ticket_acknowledge": "Acknowledge",
    "ticket_resolve": "Resolve",
    "ticket_escalate": "Escalate",
    "ticket_wait": "Waiting on asker",
}


def offered(ticket: Ticket) -> list[str]:
    """The action ids of the buttons this ticket's state still allows, in order."""
    if ticket.state is State.RESOLVED:
        return [REOPEN]
    shown = []
    if ticket.acknowledged_by is None:
        shown.append("ticket_acknowledge")
    shown.append("ticket_resolve")
    if ticket.level != "lead":
        shown.append("ticket_escalate")
    if ticket.state is not State.WAITING:
        shown.append("ticket_wait")
    return shown


def action_blocks(ticket: Ticket) -> list[dict]:
    """The buttons for the ticket's state and, while it is not resolved, the hand-over picker."""
    shown = offered(ticket)
    value = str(ticket.id)
    if shown == [REOPEN]:
        return [{"type": "actions", "block_id": ACTIONS_BLOCK, "elements": [button("Reopen", REOPEN, value)]}]
    buttons = [button(BUTTONS[action_id], action_id, value, primary=index == 0)
               for index, action_id in enumerate(shown)]
    picker = {"type": "users_select", "action_id": HANDOVER,
              "placeholder": {"type": "plain_text", "text": "Hand over to…", "emoji": True}}
    return [{"type": "actions", "block_id": ACTIONS_BLOCK, "elements": buttons},
            {"type": "actions", "block_id": f"{HANDOVER}:{ticket.id}", "elements": [picker]}]


def button(label: str, action_id: str, value: str, *, primary: bool = False) -> dict:
    element = {"type": "button", "text": {"type": "plain_text", "text": label, "emoji": True},
               "action_id": action_id, "value": value}
    if primary:
        element["style"] = "primary"
    return element
