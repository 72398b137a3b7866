"""The two kinds of error, as the user meets them.

A `UserError` (a refusal, a bad argument) is shown as it is, to the person who acted, and only to
them, with the people it names as mentions ("#3 is already acknowledged by @Mikayla"). Anything
else is logged with the request's context, and the person gets a short apology with a reference,
never a stack trace. A database that does not answer is neither: the person is told to
try again, and — because services commit all or nothing — that nothing was changed.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Awaitable, Callable
from contextvars import ContextVar

from slack_sdk.errors import SlackApiError
from sqlalchemy.exc import OperationalError

from bot.config.schema import Config
from bot.domain.errors import UserError
from handlers.payloads import clicked_in, clicker
from handlers.views.text import escape, mention

log = logging.getLogger("upline.handlers")

# The request being answered (set by handlers.door): named in the log and in the apology a person
# reads, so that one leads to the other.
REQUEST_ID: ContextVar[str | None] = ContextVar("upline_request_id", default=None)

DATABASE_DOWN = ("Upline cannot reach its database right now, so nothing was changed. "
                 "Please try again in a minute.")


def request_reference() -> str:
    """The id of the request being answered; a fresh one where there is none (Socket Mode)."""
    return REQUEST_ID.get() or uuid.uuid4().hex[:12]


def apology(reference: str) -> str:
    return f"Sorry, something went wrong on Upline's side and nothing was changed (reference {reference})."


def in_slack(config: Config, error: UserError) -> UserError:
    """The same error as the person who acted reads it in Slack: its words escaped — a sentence may
    quote what they typed, or a usage such as `/dispute #12 <reason>`, and Slack reads `<…>` as a link or
    a mention — and each person it names as a mention."""
    if getattr(error, "in_slack", False):
        return error
    escaped = UserError(escape(error.message), people=error.people)
    shown = type(error)(escaped.render(lambda person: mention(config, person)))
    shown.in_slack = True
    return shown


def slack_text(error: UserError) -> str:
    """What Slack shows of `error`: as `in_slack` made it, else its words escaped (it names nobody)."""
    return str(error) if getattr(error, "in_slack", False) else escape(error.render(str))


async def answer_errors(respond: Callable[[str], Awaitable[None]], work: Callable[[], Awaitable[None]],
                        context: str) -> None:
    """Run `work`; turn what it raises into one private answer through `respond`."""
    try:
        await work()
    except UserError as error:
        await respond(slack_text(error))
    except OperationalError:
        log.warning("request %s: database unavailable during %s", request_reference(), context, exc_info=True)
        await respond(DATABASE_DOWN)
    except Exception:
        reference = request_reference()
        log.exception("request %s failed: %s", reference, context)
        await respond(apology(reference))


def to_clicker(client, body: dict) -> Callable[[str], Awaitable[None]]:
    """An answer only the person who clicked sees, where they clicked: a channel, or the DM with the bot."""
    user, channel = clicker(body), clicked_in(body)

    async def tell(text: str) -> None:
        try:
            await client.chat_postEphemeral(channel=channel, user=user, text=text)
        except SlackApiError:  # the click already counted (or was refused); only the answer is lost
            log.warning("request %s: could not answer %s in %s", request_reference(), user, channel, exc_info=True)

    return tell
