"""The Web API methods the stand-in answers, one function each, with Slack's documented checks and errors.

Each takes a `MethodCall` and returns the answer's fields (the server adds `"ok": true`) or raises
`SlackError(code)`. Missing arguments get the error Slack gives for them (`channel_not_found` for a
chat.postMessage without `channel`), not a generic one, so the app sees what it would see on Slack.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from bot.sandbox.models import Channel, SlackError
from bot.sandbox.shapes import channel_json, message_json, user_json
from bot.sandbox.workspace import Workspace

MAX_BLOCKS = 50  # per message
MAX_TEXT = 40_000  # characters of `text`
MAX_GROUP_DM_USERS = 8


@dataclass(frozen=True)
class MethodCall:
    workspace: Workspace
    params: dict[str, Any]
    origin: str  # "http://127.0.0.1:PORT": what URLs in answers start with

    def text(self, name: str) -> str:
        value = self.params.get(name)
        return "" if value is None else str(value)

    def flag(self, name: str) -> bool:
        return self.text(name).lower() in ("1", "true")

    def require(self, name: str, error: str) -> str:
        if not (value := self.text(name)):
            raise SlackError(error)
        return value


Handler = Callable[[MethodCall], dict[str, Any]]


def auth_test(call: MethodCall) -> dict[str, Any]:
    ws = call.workspace
    return {"url": f"{call.origin}/", "team": ws.team_name, "user": ws.user(ws.bot_user_id).name,
            "team_id": ws.team_id, "user_id": ws.bot_user_id, "bot_id": ws.bot_id, "is_enterprise_install": False}


def chat_post_message(call: MethodCall) -> dict[str, Any]:
    ws = call.workspace
    target = _conversation(ws, call.require("channel", "channel_not_found"))
    text, blocks, attachments = _content(call)
    message = ws.post_message(target.id, ws.bot_user_id, text=text, blocks=blocks, attachments=attachments,
                              thread_ts=call.text("thread_ts") or None, reply_broadcast=call.flag("reply_broadcast"))
    return {"channel": message.channel, "ts": message.ts, "message": message_json(ws, message)}


def chat_update(call: MethodCall) -> dict[str, Any]:
    ws = call.workspace
    channel = ws.channel(call.require("channel", "channel_not_found"))
    ts = call.require("ts", "message_not_found")
    text, blocks, attachments = _content(call)
    message = ws.update_message(channel.id, ts, editor=ws.bot_user_id,
                                text=text if "text" in call.params else None,
                                blocks=blocks if "blocks" in call.params else None,
                                attachments=attachments if "attachments" in call.params else None)
    return {"channel": channel.id, "ts": message.ts, "text": message.text, "message": message_json(ws, message)}


def chat_post_ephemeral(call: MethodCall) -> dict[str, Any]:
    ws = call.workspace
    target = _conversation(ws, call.require("channel", "channel_not_found"))
    user = call.require("user", "user_not_found")
    text, blocks, _ = _content(call)
    ephemeral = ws.post_ephemeral(target.id, user, text=text, blocks=blocks, thread_ts=call.text("thread_ts"))
    return {"message_ts": ephemeral.message_ts}


def chat_get_permalink(call: MethodCall) -> dict[str, Any]:
    channel = call.workspace.channel(call.require("channel", "channel_not_found"))
    url = call.workspace.permalink(call.origin, channel.id, call.require("message_ts", "message_not_found"))
    return {"channel": channel.id, "permalink": url}


def conversations_open(call: MethodCall) -> dict[str, Any]:
    ws = call.workspace
    if call.text("channel"):
        channel, already_open = ws.channel(call.text("channel")), True
        if not channel.is_private:
            raise SlackError("method_not_supported_for_channel_type")
    else:
        users = [u.strip() for u in call.text("users").split(",") if u.strip()]
        if not users:
            raise SlackError("users_list_not_supplied")
        if len(users) > MAX_GROUP_DM_USERS:
            raise SlackError("too_many_users")
        channel, already_open = ws.open_conversation(users)
    answer: dict[str, Any] = {"no_op": True, "already_open": True} if already_open else {}
    answer["channel"] = channel_json(ws, channel) if call.flag("return_im") else {"id": channel.id}
    return answer


def conversations_info(call: MethodCall) -> dict[str, Any]:
    channel = call.workspace.channel(call.require("channel", "channel_not_found"))
    return {"channel": channel_json(call.workspace, channel, num_members=call.flag("include_num_members"))}


def conversations_history(call: MethodCall) -> dict[str, Any]:
    ws = call.workspace
    messages = ws.history(call.require("channel", "channel_not_found"))
    oldest = _timestamp(call.text("oldest") or "0", "invalid_ts_oldest")
    latest = _timestamp(call.text("latest") or "Infinity", "invalid_ts_latest")
    inclusive = call.flag("inclusive")
    in_window = [m for m in messages
                 if oldest < Decimal(m.ts) < latest or (inclusive and Decimal(m.ts) in (oldest, latest))]
    page, next_cursor = _page(call, list(reversed(in_window)), default_limit=100)  # newest first, as Slack
    return {"messages": [message_json(ws, m) for m in page], "has_more": bool(next_cursor), "pin_count": 0,
            "response_metadata": {"next_cursor": next_cursor}}


def conversations_replies(call: MethodCall) -> dict[str, Any]:
    ws = call.workspace
    channel = ws.channel(call.require("channel", "channel_not_found"))
    thread = ws.thread(channel.id, call.require("ts", "thread_not_found"))
    page, next_cursor = _page(call, thread, default_limit=1000)
    return {"messages": [message_json(ws, m) for m in page], "has_more": bool(next_cursor),
            "response_metadata": {"next_cursor": next_cursor}}


def users_info(call: MethodCall) -> dict[str, Any]:
    ws = call.workspace
    return {"user": user_json(ws, ws.user(call.require("user", "user_not_found")))}


def users_list(call: MethodCall) -> dict[str, Any]:
    ws = call.workspace
    page, next_cursor = _page(call, ws.users(), default_limit=0)
    return {"members": [user_json(ws, u) for u in page], "cache_ts": int(ws.wall_clock()),
            "response_metadata": {"next_cursor": next_cursor}}


def apps_connections_open(call: MethodCall) -> dict[str, Any]:
    if not call.workspace.socket_mode_url:
        raise SlackError("internal_error", "[ERROR] this stand-in workspace was given no socket_mode_url")
    return {"url": call.workspace.socket_mode_url}


def parse_blocks(value: Any, *, limit: int = MAX_BLOCKS, pointer: str = "/blocks",
                 error: str = "invalid_blocks") -> list[dict[str, Any]] | None:
    """Slack's own first checks on Block Kit: a JSON array of at most `limit` objects that each have a type.

    Messages answer `invalid_blocks_format` for what is not a JSON array and `invalid_blocks` for bad
    items; views answer `invalid_arguments` for both (pass it as `error`)."""
    if value is None or value == "":
        return None
    format_error = "invalid_blocks_format" if error == "invalid_blocks" else error
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            raise SlackError(format_error, f"[ERROR] not valid JSON [json-pointer:{pointer}]") from None
    if not isinstance(value, list):
        raise SlackError(format_error, f"[ERROR] must be an array [json-pointer:{pointer}]")
    if len(value) > limit:
        raise SlackError(error, f"[ERROR] must be at most {limit} items [json-pointer:{pointer}]")
    for index, block in enumerate(value):
        if not isinstance(block, dict) or not isinstance(block.get("type"), str):
            raise SlackError(error, f"[ERROR] missing required field: type [json-pointer:{pointer}/{index}]")
    return value


def _content(call: MethodCall) -> tuple[str, list | None, list | None]:
    text = call.text("text")
    if len(text) > MAX_TEXT:
        raise SlackError("msg_too_long")
    blocks = parse_blocks(call.params.get("blocks"))
    attachments = call.params.get("attachments")
    if isinstance(attachments, str):
        try:
            attachments = json.loads(attachments) if attachments else None
        except ValueError:
            raise SlackError("invalid_attachments") from None
    if not text and not blocks and not attachments:
        raise SlackError("no_text")
    return text, blocks, attachments


def _conversation(ws: Workspace, channel: str) -> Channel:
    # A user ID as `channel` means the bot's DM with that person.
    if channel[:1] in ("U", "W") and channel not in {c.id for c in ws.channels()}:
        try:
            ws.user(channel)
        except SlackError:
            raise SlackError("channel_not_found") from None
        return ws.open_conversation([channel])[0]
    return ws.channel(channel)


def _page(call: MethodCall, items: list, *, default_limit: int) -> tuple[list, str]:
    """Slack's cursor pagination: an opaque `next_cursor`, empty on the last page; limit 0 means all."""
    try:
        limit = int(call.text("limit") or default_limit)
        start = int(base64.b64decode(call.text("cursor")).decode().removeprefix("offset:") or 0)
    except ValueError:
        raise SlackError("invalid_cursor") from None
    end = start + limit if limit > 0 else len(items)
    next_cursor = base64.b64encode(f"offset:{end}".encode()).decode() if end < len(items) else ""
    return items[start:end], next_cursor


def _timestamp(value: str, error: str) -> Decimal:
    # Decimal, not float: ts strings carry 16 significant digits, at the edge of a double's precision.
    try:
        return Decimal(value)
    except InvalidOperation:
        raise SlackError(error) from None


BOT_METHODS: dict[str, Handler] = {
    "auth.test": auth_test,
    "chat.postMessage": chat_post_message,
    "chat.update": chat_update,
    "chat.postEphemeral": chat_post_ephemeral,
    "chat.getPermalink": chat_get_permalink,
    "conversations.open": conversations_open,
    "conversations.info": conversations_info,
    "conversations.history": conversations_history,
    "conversations.replies": conversations_replies,
    "users.info": users_info,
    "users.list": users_list,
}

# App-level (xapp-) tokens open Socket Mode connections and nothing else.
APP_METHODS: dict[str, Handler] = {
    "apps.connections.open": apps_connections_open,
}
