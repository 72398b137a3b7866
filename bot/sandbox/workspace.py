"""An in-memory Slack workspace: what the Web API stand-in reads and changes, and the sandbox page shows.

People, channels, DMs, messages with threads, ephemeral messages, permalinks; App Home tabs, modal
stacks and trigger_ids come from the `ViewDesk` mixin (views.py). Records are
frozen and replaced on change, so a reader on another thread never sees half an edit; the lock
only guards the containers. Tests and the sandbox also steer it: `fail_next` queues a failure for a
method, `rate_limits=SlackRateLimits()` enforces Slack's rate limits (off by default), `subscribe`
hears about every change, `calls` and `contract_violations` say what the app did.
"""

from __future__ import annotations

import itertools
import logging
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import replace
from typing import Any

from bot.sandbox.models import ApiCall, Change, Channel, Ephemeral, Fault, Message, SlackError, User
from bot.sandbox.rate_limits import RateLimiter, SlackRateLimits
from bot.sandbox.views import ViewDesk

log = logging.getLogger(__name__)

Listener = Callable[[Change], None]


class Workspace(ViewDesk):
    def __init__(self, *, bot_token: str = "xoxb-upline-sandbox", app_token: str | None = None,
                 socket_mode_url: str | None = None, team_id: str = "T0UPLINE", team_name: str = "Upline Sandbox",
                 bot_user_id: str = "U0UPLINE", bot_name: str = "upline", bot_id: str = "B0UPLINE",
                 app_id: str = "A0UPLINE", monotonic: Callable[[], float] = time.monotonic,
                 wall_clock: Callable[[], float] = time.time, rate_limits: SlackRateLimits | None = None):
        self.bot_token = bot_token
        self.app_token = app_token
        self.socket_mode_url = socket_mode_url  # may be set later, once the sandbox's socket is up
        self.team_id, self.team_name = team_id, team_name
        self.bot_user_id, self.bot_id, self.app_id = bot_user_id, bot_id, app_id
        self.monotonic = monotonic  # trigger_id lifetimes and rate limits; tests pass a hand-moved one
        self.wall_clock = wall_clock  # message timestamps
        # Slack's rate limits, enforced by the Web API stand-in only when asked for (rate_limits.py).
        self.rate_limiter = RateLimiter(rate_limits, monotonic) if rate_limits is not None else None
        self.contract_violations: list[str] = []
        # Called with (method, params) before each Web API call is answered: a test's hook.
        self.before_call: Callable[[str, dict[str, Any]], None] | None = None
        self.permalinks: dict[str, tuple[str, str]] = {}  # url -> (channel, ts)
        self._lock = threading.RLock()
        self._ids = itertools.count(1)
        self._last_ts_us = 0
        self._users: dict[str, User] = {}
        self._channels: dict[str, Channel] = {}
        self._messages: dict[str, list[Message]] = {}
        self._positions: dict[tuple[str, str], int] = {}  # (channel, ts) -> index in _messages[channel]
        self._direct: dict[frozenset[str], str] = {}  # members -> IM/MPIM id, so a DM is opened once
        self._ephemerals: list[Ephemeral] = []
        self._faults: dict[str, deque[Fault]] = {}
        self._calls: list[ApiCall] = []
        self._listeners: list[Listener] = []
        ViewDesk.__init__(self)
        self.add_user(bot_user_id, bot_name, real_name=bot_name.capitalize(), is_bot=True)

    # -- people and conversations -------------------------------------------------------------

    def add_user(self, user_id: str, name: str, *, real_name: str = "", tz: str = "UTC",
                 is_bot: bool = False) -> User:
        user = User(user_id, name, real_name or name, tz, is_bot)
        with self._lock:
            self._users[user_id] = user
        return user

    def add_channel(self, channel_id: str, name: str) -> Channel:
        channel = Channel(channel_id, name.lstrip("#"), created=int(self.wall_clock()))
        with self._lock:
            self._channels[channel_id] = channel
            self._messages.setdefault(channel_id, [])
        return channel

    def user(self, user_id: str) -> User:
        with self._lock:
            if user_id not in self._users:
                raise SlackError("user_not_found")
            return self._users[user_id]

    def users(self) -> list[User]:
        with self._lock:
            return list(self._users.values())

    def channel(self, id_or_name: str) -> Channel:
        """A conversation by ID, or a public channel by name (`#general` or `general`), as Slack allows."""
        with self._lock:
            if id_or_name in self._channels:
                return self._channels[id_or_name]
            name = id_or_name.lstrip("#")
            for channel in self._channels.values():
                if not channel.is_private and channel.name == name:
                    return channel
        raise SlackError("channel_not_found")

    def channels(self) -> list[Channel]:
        with self._lock:
            return list(self._channels.values())

    def open_conversation(self, user_ids: Iterable[str]) -> tuple[Channel, bool]:
        """The bot's DM with one person, or group DM with several: `(channel, already_open)`."""
        others = sorted({u for u in user_ids if u != self.bot_user_id})
        with self._lock:
            for user_id in others:
                self.user(user_id)
            members = frozenset([self.bot_user_id, *others])
            if members in self._direct:
                return self._channels[self._direct[members]], True
            is_im = len(others) == 1
            channel_id = self._new_id("D" if is_im else "G")
            name = others[0] if is_im else "mpdm-" + "--".join(self._users[u].name for u in others) + "-1"
            channel = Channel(channel_id, name, is_im=is_im, is_mpim=not is_im,
                              members=(self.bot_user_id, *others), created=int(self.wall_clock()))
            self._channels[channel_id] = channel
            self._messages[channel_id] = []
            self._direct[members] = channel_id
            return channel, False

    # -- messages ---------------------------------------------------------------------------------

    def post_message(self, channel: str, user: str, *, text: str = "", blocks: list | None = None,
                     attachments: list | None = None, thread_ts: str | None = None,
                     reply_broadcast: bool = False) -> Message:
        """Post as `user` (the bot, or a person typing in the sandbox). A `thread_ts` that names no
        message here is dropped and the message lands in the channel, as Slack does."""
        with self._lock:
            target = self.channel(channel)
            self.user(user)
            root = self._thread_root(target.id, thread_ts)
            message = Message(target.id, self._next_ts(), user, text, blocks, attachments, root,
                              reply_broadcast and root is not None,
                              self.bot_id if user == self.bot_user_id else None)
            self._positions[(target.id, message.ts)] = len(self._messages[target.id])
            self._messages[target.id].append(message)
        self._notify(Change("message_posted", channel=target.id, ts=message.ts, user=user))
        return message

    def update_message(self, channel: str, ts: str, *, editor: str, text: str | None = None,
                       blocks: list | None = None, attachments: list | None = None) -> Message:
        """Fields left as None keep their old value; `blocks=[]` removes the blocks (chat.update's rules)."""
        with self._lock:
            target = self.channel(channel)
            position = self._positions.get((target.id, ts))
            if position is None:
                raise SlackError("message_not_found")
            old = self._messages[target.id][position]
            if old.user != editor:
                raise SlackError("cant_update_message")
            new = replace(old, text=old.text if text is None else text,
                          blocks=old.blocks if blocks is None else (blocks or None),
                          attachments=old.attachments if attachments is None else (attachments or None),
                          edited={"user": editor, "ts": self._next_ts()})
            self._messages[target.id][position] = new
        self._notify(Change("message_updated", channel=target.id, ts=ts, user=editor))
        return new

    def post_ephemeral(self, channel: str, user: str, *, text: str = "", blocks: list | None = None,
                       thread_ts: str | None = None) -> Ephemeral:
        with self._lock:
            target = self.channel(channel)
            self.user(user)
            if not target.has_member(user):
                raise SlackError("user_not_in_channel")
            ephemeral = Ephemeral(target.id, user, self._next_ts(), text, blocks, thread_ts or None)
            self._ephemerals.append(ephemeral)
        self._notify(Change("ephemeral_posted", channel=target.id, ts=ephemeral.message_ts, user=user))
        return ephemeral

    def message(self, channel: str, ts: str) -> Message:
        with self._lock:
            target = self.channel(channel)
            position = self._positions.get((target.id, ts))
            if position is None:
                raise SlackError("message_not_found")
            return self._messages[target.id][position]

    def messages(self, channel: str) -> list[Message]:
        """Everything posted in a conversation, replies included, oldest first."""
        with self._lock:
            return list(self._messages[self.channel(channel).id])

    def history(self, channel: str) -> list[Message]:
        """What the channel itself shows, oldest first: no replies, except those also sent to the channel."""
        return [m for m in self.messages(channel) if not m.is_reply or m.reply_broadcast]

    def thread(self, channel: str, ts: str) -> list[Message]:
        """The thread `ts` belongs to: its parent first, then the replies oldest first."""
        with self._lock:
            target = self.channel(channel)
            root = self._thread_root(target.id, ts)
            if root is None:
                raise SlackError("thread_not_found")
            return [m for m in self._messages[target.id] if m.ts == root or m.thread_ts == root]

    def replies_to(self, message: Message) -> list[Message]:
        with self._lock:
            return [m for m in self._messages.get(message.channel, []) if m.is_reply and m.thread_ts == message.ts]

    def ephemerals(self, user: str | None = None) -> list[Ephemeral]:
        with self._lock:
            return [e for e in self._ephemerals if user is None or e.user == user]

    def permalink(self, origin: str, channel: str, ts: str) -> str:
        """`{origin}/archives/C123/p1700000000000100`, with `?thread_ts=…&cid=…` for a reply."""
        message = self.message(channel, ts)
        url = f"{origin.rstrip('/')}/archives/{message.channel}/p{message.ts.replace('.', '')}"
        if message.is_reply:
            url += f"?thread_ts={message.thread_ts}&cid={message.channel}"
        with self._lock:
            self.permalinks[url] = (message.channel, message.ts)
        return url

    # -- steering by tests and the sandbox --------------------------------------------------------

    def fail_next(self, method: str, *, status: int = 429, retry_after: int | None = 3, times: int = 1,
                  error: str | None = None, body: str | None = None) -> None:
        """The next `times` calls of `method` fail: 429 answers `ratelimited` with `Retry-After`, 5xx
        an HTML page (or `body`, "" for none), 200 `{"ok": false, "error": error}`."""
        with self._lock:
            self._faults.setdefault(method, deque()).append(Fault(status, retry_after, times, error, body))

    def take_fault(self, method: str) -> Fault | None:
        with self._lock:
            queue = self._faults.get(method)
            if not queue:
                return None
            fault = queue[0]
            fault.remaining -= 1
            if fault.remaining <= 0:
                queue.popleft()
            return replace(fault)

    def record_call(self, call: ApiCall) -> None:
        with self._lock:
            self._calls.append(call)

    def record_violations(self, problems: Iterable[str]) -> None:
        with self._lock:
            self.contract_violations.extend(problems)

    @property
    def calls(self) -> list[ApiCall]:
        with self._lock:
            return list(self._calls)

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """Call `listener(change)` after every change, on the thread that made it; returns an unsubscribe.

        Listeners must be quick and must not block: an async page hands the change to its loop
        with `loop.call_soon_threadsafe`."""
        with self._lock:
            self._listeners.append(listener)

        def unsubscribe() -> None:
            with self._lock:
                if listener in self._listeners:
                    self._listeners.remove(listener)

        return unsubscribe

    # -- internals ----------------------------------------------------------------------------------

    def _notify(self, change: Change) -> None:
        # Outside the lock, so a listener may read the workspace back.
        with self._lock:
            listeners = list(self._listeners)
        for listener in listeners:
            try:
                listener(change)
            except Exception:  # a broken page must not turn into a failed API call
                log.exception("sandbox listener failed on %s", change)

    def _next_ts(self) -> str:
        # Slack's ts is the message's ID within a channel: unique and increasing even within a microsecond.
        micros = max(int(self.wall_clock() * 1_000_000), self._last_ts_us + 1)
        self._last_ts_us = micros
        return f"{micros // 1_000_000}.{micros % 1_000_000:06d}"

    def _new_id(self, prefix: str) -> str:
        return f"{prefix}{next(self._ids):08X}"

    def _thread_root(self, channel_id: str, ts: Any) -> str | None:
        if not ts:
            return None
        position = self._positions.get((channel_id, str(ts)))
        if position is None:
            return None
        message = self._messages[channel_id][position]
        return message.thread_ts or message.ts
