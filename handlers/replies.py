"""The two kinds of error, as the user meets them.

A `UserError` (a refusal, a bad argument) is shown as it is, to the person who acted, and only to
them. Anything else is logged with the request's context, and the person gets a short apology with a
reference, never a stack trace. A database that does not answer is neither: the person is told to
try again, and — because services commit all or nothing — that nothing was changed.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Awaitable, Callable

from sqlalchemy.exc import OperationalError

from bot.domain.errors import UserError

log = logging.getLogger("upline.handlers")

DATABASE_DOWN = ("Upline cannot reach its database right now, so nothing was changed. "
                 "Please try again in a minute.")


def apology(reference: str) -> str:
    return f"Sorry, something went wrong on Upline's side and nothing was changed (reference {reference})."


async def answer_errors(respond: Callable[[str], Awaitable[None]], work: Callable[[], Awaitable[None]],
                        context: str) -> None:
    """Run `work`; turn what it raises into one private answer through `respond`."""
    try:
        await work()
    except UserError as error:
        await respond(str(error))
    except OperationalError:
        log.warning("database unavailable during %s", context, exc_info=True)
        await respond(DATABASE_DOWN)
    except Exception:
        reference = uuid.uuid4().hex[:8]
        log.exception("failed: %s (reference %s)", context, reference)
        await respond(apology(reference))
