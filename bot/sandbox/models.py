"""The records a stand-in Slack workspace keeps: people, conversations, messages, views, API calls.

Plain state, no wire format: how each record looks on the Web API is decided in `shapes.py`, so the
sandbox page can read the same records without going through JSON.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


class SlackError(Exception):
    """A Web API error answered as `{"ok": false, "error": code}` with HTTP 200, as Slack does.

    `messages` become `response_metadata.messages`, Slack's own way of saying which field was wrong
    (`[ERROR] must be at most 50 items [json-pointer:/blocks]`).
    """

    def __init__(self, code: str, *messages: str):
        super().__init__(code)
        self.code = code
        self.messages = list(messages)


@dataclass(frozen=True)
class User:
    id: str
    name: str
    real_name: str = ""
    tz: str = "UTC"
    is_bot: bool = False


@dataclass(frozen=True)
class Channel:
    id: str
    name: str
    is_im: bool = False
    is_mpim: bool = False
    members: tuple[str, ...] = ()
    created: int = 0

    @property
    def is_private(self) -> bool:
        return self.is_im or self.is_mpim

    def has_member(self, user_id: str) -> bool:
        # Every person is in every public channel, so the sandbox needs no invitations.
        return not self.is_private or user_id in self.members


@dataclass(frozen=True)
class Message:
    channel: str
    ts: str
    user: str
    text: str = ""
    blocks: list[dict[str, Any]] | None = None
    attachments: list[dict[str, Any]] | None = None
    thread_ts: str | None = None
    reply_broadcast: bool = False
    bot_id: str | None = None
    edited: dict[str, str] | None = None  # {"user": ..., "ts": ...} once chat.update touched it

    @property
    def is_reply(self) -> bool:
        return self.thread_ts is not None and self.thread_ts != self.ts


@dataclass(frozen=True)
class Ephemeral:
    """Seen only by `user`, never stored in the channel's history (Slack forgets them too)."""

    channel: str
    user: str
    message_ts: str
    text: str = ""
    blocks: list[dict[str, Any]] | None = None
    thread_ts: str | None = None


@dataclass(frozen=True)
class View:
    """An App Home tab (`type == "home"`) or one modal in a user's stack of at most three."""

    id: str
    type: str
    user_id: str | None
    payload: dict[str, Any]
    hash: str
    root_view_id: str
    previous_view_id: str | None = None
    external_id: str | None = None
    state: dict[str, Any] = field(default_factory=lambda: {"values": {}})


@dataclass(frozen=True)
class Change:
    """What a live page needs to know to refresh: which kind of thing changed, and where.

    kind: message_posted, message_updated, ephemeral_posted, home_published, view_opened,
    view_pushed, view_updated, views_closed.
    """

    kind: str
    channel: str | None = None
    ts: str | None = None
    user: str | None = None
    view_id: str | None = None


@dataclass(frozen=True)
class ApiCall:
    """One request as the app made it: `params` are the form or JSON body (with `blocks`, `view`
    and `attachments` decoded from JSON strings), `token` the one it authenticated with."""

    method: str
    params: dict[str, Any]
    token: str | None
    status: int


@dataclass
class Fault:
    """A canned failure the next `remaining` calls of a method get instead of an answer."""

    status: int
    retry_after: int | None
    remaining: int
    error: str | None = None
    body: str | None = None
