"""Reading what people type after a command."""

from __future__ import annotations

import re

from bot.domain.errors import UserError

TICKET = re.compile(r"^#?(\d+)\b\s*(.*)$", re.DOTALL)


def parse_ticket(text: str, usage: str) -> tuple[int, str | None]:
    """`#12 the rest` -> (12, "the rest"); anything else is a UserError that shows the usage."""
    match = TICKET.match(text.strip())
    if match is None:
        raise UserError(f"Which ticket? Write it as `{usage}`.")
    return int(match.group(1)), match.group(2).strip() or None


def names_a_ticket(text: str) -> bool:
    return TICKET.match(text.strip()) is not None and text.strip().startswith("#")
