"""Reading what Slack sends: every handler takes the fields it uses from a payload through these readers.

A signed request can still lack a field, carry one of the wrong type, or hold text that no database
should store. A reader returns the field as Upline uses it — an ID of Slack's shape, user text with
its control characters removed — or raises `Unreadable`: nothing is done, and where Slack shows an
answer (a slash command) the person reads "That request could not be read …". `handlers.door` turns
an `Unreadable` that no handler answered into a 200 with nothing done, never a 500.

    user = clicker(body)              # "U0ALBAN"
    channel = clicked_in(body)        # "C0NN", or the DM's "D…"
    text = command_text(command)      # "nn How do I …?", without NUL bytes
"""

from __future__ import annotations

import re
from typing import Any

from bot.domain.errors import UserError

# Slack's IDs (users U…/W…, channels C…/G…/D…, teams T…, enterprises E…) are short and upper case.
SLACK_ID = re.compile(r"^[A-Z0-9]{2,40}$")
# A message's ts: seconds, a dot, microseconds ("1732352400.000100").
MESSAGE_TS = re.compile(r"^[0-9]{1,12}\.[0-9]{1,8}$")
# Control characters (C0 and C1, DEL) except tab and newline, and lone surrogates (which JSON may carry
# but no database can store): PostgreSQL refuses a text with a NUL, and what Slack shows is the same.
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")
MAX_FIELD = 200  # trigger ids, action ids, option values: Slack's own are far shorter


class Unreadable(UserError):
    """A request Slack would not send as it is: nothing is done; `reason` says what was wrong, for the log."""

    def __init__(self, reason: str):
        super().__init__(f"That request could not be read ({reason}), so nothing was done.")
        self.reason = reason


def clean(text: str) -> str:
    """User text as Upline keeps it: Windows line ends as newlines, other control characters gone."""
    return CONTROL.sub("", text.replace("\r\n", "\n"))


def slack_id(value: Any, what: str) -> str:
    if not isinstance(value, str) or not SLACK_ID.match(value):
        raise Unreadable(f"its {what} ID is not one Slack issues")
    return value


def field(container: Any, name: str, what: str) -> Any:
    """`container[name]`, where `container` must be an object: a missing one is `None`."""
    if not isinstance(container, dict):
        raise Unreadable(f"it has no {what}")
    return container.get(name)


def word(container: Any, name: str, what: str, *, required: bool = False) -> str | None:
    """A short string field (an action's value, a trigger id), cleaned; `None` when it is absent."""
    value = field(container, name, what)
    if value is None and not required:
        return None
    if not isinstance(value, str) or (required and not value) or len(value) > MAX_FIELD:
        raise Unreadable(f"its {what} is not readable")
    return clean(value)


def text(container: Any, name: str, what: str) -> str:
    """User text (a question, a reason, a note): cleaned and stripped; absent is empty."""
    value = field(container, name, what)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise Unreadable(f"its {what} is not a string")
    return clean(value).strip()


# Slash commands

def command_user(command: dict) -> str:
    return slack_id(field(command, "user_id", "command"), "user")


def command_text(command: dict) -> str:
    return text(command, "text", "command text")


def trigger(payload: dict) -> str:
    """The trigger_id a modal is opened with."""
    return word(payload, "trigger_id", "trigger", required=True)


# Buttons, pickers and forms

def clicker(body: dict) -> str:
    """Who clicked (or sent the form)."""
    return slack_id(field(field(body, "user", "user"), "id", "user"), "user")


def clicked_in(body: dict) -> str:
    """The conversation the button was in: a channel, or the DM with the bot."""
    channel = field(body, "channel", "channel")
    if channel is not None:
        return slack_id(field(channel, "id", "channel"), "channel")
    return slack_id(field(field(body, "container", "container"), "channel_id", "channel"), "channel")


def action_value(action: dict) -> str | None:
    return word(action, "value", "button value")


def block_id(action: dict) -> str | None:
    return word(action, "block_id", "block")


def selected_option(action: dict) -> str | None:
    """The value of the option picked in a select, or `None` when none is."""
    option = field(action, "selected_option", "selection")
    return None if option is None else word(option, "value", "selection")


def selected_user(action: dict) -> str | None:
    person = field(action, "selected_user", "picker")
    return None if person is None else slack_id(person, "picked user")


def selected_date(action: dict) -> str | None:
    return word(action, "selected_date", "date")


def form_values(view: dict) -> dict:
    """A submitted form's `state.values`, block by block."""
    values = field(field(view, "state", "form"), "values", "form")
    if not isinstance(values, dict) or not all(isinstance(block, dict) for block in values.values()):
        raise Unreadable("its form has no values")
    return values


def form_option(values: dict, block: str) -> str | None:
    """The option picked in the form's input `block` (whose action id is the block's own)."""
    element = values.get(block, {}).get(block)
    return None if element is None else selected_option(element)


def form_text(values: dict, block: str) -> str:
    element = values.get(block, {}).get(block)
    return "" if element is None else text(element, "value", "form text")


# Events

def event_user(event: dict) -> str:
    return slack_id(field(event, "user", "event"), "user")


def event_channel(event: dict) -> str:
    return slack_id(field(event, "channel", "event"), "channel")


def message_ts(value: Any, what: str = "message") -> str:
    if not isinstance(value, str) or not MESSAGE_TS.match(value):
        raise Unreadable(f"its {what} timestamp is not one Slack issues")
    return value


def event_thread(event: dict) -> str | None:
    """The thread a message was posted in, `None` when it is not in one."""
    thread = field(event, "thread_ts", "event")
    return None if thread is None else message_ts(thread, "thread")


def event_text(event: dict) -> str:
    return text(event, "text", "message text")


def event_id(body: dict) -> str | None:
    """An Events API delivery's id, the key its retries are dropped by; `None` for anything else."""
    value = body.get("event_id") if body.get("type") == "event_callback" else None
    if value is not None and not isinstance(value, str):
        raise Unreadable("its event id is not a string")
    return value
