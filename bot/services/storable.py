"""Whether an ask can be kept as it came: its text and IDs checked before it joins a batch of asks.

Asks that arrive together are written in one statement (see `handlers.group_commit`), so one value
PostgreSQL refuses — a NUL byte in a question, a user ID longer than its column — would fail every
ask written with it. Each ask is checked on its own first, and one that cannot be kept is refused
alone, with a sentence saying what to change. SQLite would keep either; the rule is the same on
both backends, so an ask accepted on one is never refused on the other.

Text may hold tabs and line breaks; no other control character (U+0000–U+001F, U+007F–U+009F), and
no lone surrogate (half of a UTF-16 pair, which no database can encode). An ID may hold none of them.
The lengths are the columns' own (`storage.tables.column_length`).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from bot.domain.errors import UserError
from storage.tables import column_length

if TYPE_CHECKING:
    from bot.services.tickets import NewTicket

_NOT_IN_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
_NOT_IN_AN_ID = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")


def refusal(request: NewTicket, asker: str) -> UserError | None:
    """Why `request` cannot be stored as it is (None when it can); `asker` is who it is stored under."""
    if problem := text_problem(request.text, f"Your {request.kind.value}"):
        return problem
    if problem := id_problem(asker, "tickets", "asker", "your user ID"):
        return problem
    if request.thread is not None:
        channel, ts = request.thread
        return (id_problem(channel, "tickets", "thread_channel", "the channel ID of the thread it was asked in")
                or id_problem(ts, "tickets", "thread_ts", "the timestamp of the thread it was asked in"))
    return None


def text_problem(text: str, what: str, limit: int | None = None) -> UserError | None:
    """Why `text` cannot be stored (None when it can): a character no database keeps, or, with `limit`,
    more characters than it may have. `what` begins the sentence ("Your proposal")."""
    if found := _NOT_IN_TEXT.search(text):
        return UserError(
            f"{what} contains {_described(found.group())} at character {found.start() + 1}, which Upline "
            "cannot store. Remove it (it often comes with text pasted from a terminal) and send it again.")
    if limit is not None and len(text) > limit:
        return UserError(f"{what} is {len(text):,} characters long; keep it to {limit:,} (link a document or an "
                         "issue for the details) and send it again.")
    return None


def id_problem(value: str, table: str, column: str, what: str) -> UserError | None:
    """Why the ID `value` cannot go into `table.column` (None when it can); `what` names it for the reader."""
    limit = column_length(table, column)
    if limit is not None and len(value) > limit:
        return UserError(f"Upline cannot store this: {what} is {len(value):,} characters long, and it keeps "
                         f"at most {limit}. Slack's own IDs are far shorter: send it again from Slack itself.")
    if found := _NOT_IN_AN_ID.search(value):
        return UserError(f"Upline cannot store this: {what} contains {_described(found.group())}, "
                         "which no Slack ID has. Send it again from Slack itself.")
    return None


def _described(character: str) -> str:
    code = f"U+{ord(character):04X}"
    return f"half of a character ({code})" if "\ud800" <= character <= "\udfff" else f"a control character ({code})"
