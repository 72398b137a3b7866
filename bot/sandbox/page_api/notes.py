"""What only one person sees: ephemeral messages, and the `response_url`s that can still change them.

Slack shows a slash command's answer, a `chat.postEphemeral` and a `response_url` post "only visible
to you", and lets the app replace or delete them through the response_url it was handed. The
workspace keeps ephemerals as frozen records; the page needs them changeable, so it keeps its own
`Note` for each (the bot's `chat.postEphemeral` ones are mirrored in as they are posted).
"""

from __future__ import annotations

import itertools
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from bot.sandbox.models import SlackError
from bot.sandbox.workspace import Workspace

RESPONSE_URL_USES = 5  # Slack: a response_url works five times within thirty minutes
RESPONSE_URL_LIFETIME = 30 * 60


@dataclass(frozen=True)
class Note:
    key: str
    channel: str
    user: str
    ts: str
    text: str = ""
    blocks: list[dict[str, Any]] | None = None
    thread_ts: str | None = None
    command: str | None = None  # the command line it answers, shown above the answer
    author: str | None = None  # None: the bot; "slackbot": Slack's own remarks


@dataclass
class ResponseTarget:
    """Where a response_url's posts go: the person who acted, their conversation, and the original."""

    user: str
    channel: str
    thread_ts: str | None = None
    original: tuple[str, str] | None = None  # ("message", ts) or ("note", key)
    uses: int = 0
    issued: float = field(default_factory=time.monotonic)


class Notes:
    def __init__(self, next_ts: Callable[[], float], on_change: Callable[[dict], None]):
        self._next_ts = next_ts
        self._on_change = on_change
        self._lock = threading.Lock()
        self._ids = itertools.count(1)
        self._last_us = 0
        self._notes: dict[str, Note] = {}
        self._hidden: set[tuple[str, str]] = set()  # messages a response_url deleted
        self._targets: dict[str, ResponseTarget] = {}

    # -- ephemeral notes -------------------------------------------------------------------------

    def add(self, channel: str, user: str, *, text: str = "", blocks: list | None = None,
            thread_ts: str | None = None, command: str | None = None, author: str | None = None,
            ts: str | None = None, key: str | None = None) -> Note:
        with self._lock:
            note = Note(key or f"n{next(self._ids)}", channel, user, ts or self._ts(), text, blocks or None,
                        thread_ts or None, command, author)
            self._notes[note.key] = note
        self._changed(note)
        return note

    def replace(self, key: str, *, text: str, blocks: list | None) -> Note:
        with self._lock:
            if key not in self._notes:
                raise SlackError("message_not_found")
            note = replace(self._notes[key], text=text, blocks=blocks or None, command=None)
            self._notes[key] = note
        self._changed(note)
        return note

    def delete(self, key: str) -> None:
        with self._lock:
            note = self._notes.pop(key, None)
        if note is not None:
            self._changed(note)

    def get(self, key: str) -> Note:
        with self._lock:
            if key not in self._notes:
                raise SlackError("message_not_found")
            return self._notes[key]

    def seen_by(self, user: str, channel: str) -> list[Note]:
        with self._lock:
            notes = [n for n in self._notes.values() if n.user == user and n.channel == channel]
        return sorted(notes, key=lambda note: Decimal(note.ts))

    def hide_message(self, channel: str, ts: str) -> None:
        with self._lock:
            self._hidden.add((channel, ts))
        self._on_change({"kind": "message_deleted", "channel": channel, "ts": ts})

    def is_hidden(self, channel: str, ts: str) -> bool:
        with self._lock:
            return (channel, ts) in self._hidden

    # -- response_url ------------------------------------------------------------------------------

    def issue_response_url(self, target: ResponseTarget) -> str:
        token = secrets.token_urlsafe(16)
        with self._lock:
            self._targets[token] = target
        return token

    def use_response_url(self, token: str) -> ResponseTarget:
        with self._lock:
            target = self._targets.get(token)
            if target is None or time.monotonic() - target.issued > RESPONSE_URL_LIFETIME:
                raise SlackError("expired_url")
            if target.uses >= RESPONSE_URL_USES:
                raise SlackError("used_url")
            target.uses += 1
            return target

    def _ts(self) -> str:
        # Same clock and format as the workspace's messages, so notes sort among them.
        micros = max(int(self._next_ts() * 1_000_000), self._last_us + 1)
        self._last_us = micros
        return f"{micros // 1_000_000}.{micros % 1_000_000:06d}"

    def _changed(self, note: Note) -> None:
        self._on_change({"kind": "note_changed", "channel": note.channel, "user": note.user, "ts": note.ts})


def answer_response_url(workspace: Workspace, notes: Notes, target: ResponseTarget, body: dict[str, Any]) -> None:
    """Apply one post to a response_url, as Slack does: replace or delete the original, post in the
    channel for everyone (`response_type: in_channel`), or, by default, a new ephemeral note."""
    text, blocks = str(body.get("text") or ""), body.get("blocks") or None
    if not isinstance(blocks, list | type(None)):
        raise SlackError("invalid_blocks")
    if _flag(body, "delete_original") and target.original:
        kind, ref = target.original
        if kind == "note":
            notes.delete(ref)
        else:
            notes.hide_message(target.channel, ref)
        return
    if not text and not blocks:
        raise SlackError("no_text")
    if _flag(body, "replace_original") and target.original:
        kind, ref = target.original
        if kind == "note":
            notes.replace(ref, text=text, blocks=blocks)
        else:
            workspace.update_message(target.channel, ref, editor=workspace.bot_user_id, text=text, blocks=blocks or [])
        return
    thread_ts = str(body.get("thread_ts") or "") or target.thread_ts
    if body.get("response_type") == "in_channel":
        workspace.post_message(target.channel, workspace.bot_user_id, text=text, blocks=blocks, thread_ts=thread_ts)
    else:
        notes.add(target.channel, target.user, text=text, blocks=blocks, thread_ts=thread_ts)


def _flag(body: dict[str, Any], name: str) -> bool:
    return str(body.get(name)).lower() == "true"  # JSON true, or "true" from a form
