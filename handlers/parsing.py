"""Reading what people type after a command."""

from __future__ import annotations

import re

from bot.domain.errors import UserError

TICKET = re.compile(r"^#?([0-9]+)\b\s*(.*)$", re.DOTALL)
LARGEST_TICKET = 2**31 - 1  # the tickets table's integer key: a number past it names no ticket


def ticket_id(number: str, what: str = "ticket") -> int:
    """A ticket's (or a decision's: one series) number from its ASCII digits; one too large for any is a
    UserError saying so."""
    if len(number) > 10 or int(number) > LARGEST_TICKET:
        raise UserError(f"There is no {what} #{number[:12]}{'…' if len(number) > 12 else ''}.")
    return int(number)


def parse_ticket(text: str, usage: str) -> tuple[int, str | None]:
    """`#12 the rest` -> (12, "the rest"); anything else is a UserError that shows the usage."""
    match = TICKET.match(text.strip())
    if match is None:
        raise UserError(f"Which ticket? Write it as `{usage}`.")
    return ticket_id(match.group(1)), match.group(2).strip() or None


def names_a_ticket(text: str) -> bool:
    return TICKET.match(text.strip()) is not None and text.strip().startswith("#")


def parse_decision(text: str, usage: str) -> tuple[int, str | None]:
    """`#12 the rest` -> (12, "the rest") for a decision, which is numbered in the tickets' series."""
    match = TICKET.match(text.strip())
    if match is None:
        raise UserError(f"Which decision? Write it as `{usage}`.")
    return ticket_id(match.group(1)), match.group(2).strip() or None
