"""How the workspace's records look on the Web API: the JSON objects Slack's docs show for a user, a
conversation, a message and a view, trimmed to the fields an app reads."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.sandbox.models import Channel, Message, User, View

if TYPE_CHECKING:
    from bot.sandbox.workspace import Workspace


def user_json(ws: Workspace, user: User) -> dict[str, Any]:
    offset, label = _tz_offset(user.tz, ws.wall_clock())
    return {
        "id": user.id, "team_id": ws.team_id, "name": user.name, "deleted": False, "real_name": user.real_name,
        "tz": user.tz, "tz_label": label, "tz_offset": offset, "is_bot": user.is_bot, "is_app_user": False,
        "is_admin": False, "is_owner": False, "updated": int(ws.wall_clock()),
        "profile": {"real_name": user.real_name, "display_name": user.name, "real_name_normalized": user.real_name,
                    "display_name_normalized": user.name, "team": ws.team_id,
                    **({"bot_id": ws.bot_id} if user.id == ws.bot_user_id else {})},
    }


def channel_json(ws: Workspace, channel: Channel, *, num_members: bool = False) -> dict[str, Any]:
    if channel.is_im:
        other = next((m for m in channel.members if m != ws.bot_user_id), ws.bot_user_id)
        return {"id": channel.id, "created": channel.created, "is_im": True, "is_org_shared": False,
                "user": other, "is_user_deleted": False, "priority": 0, "is_open": True}
    shape: dict[str, Any] = {
        "id": channel.id, "name": channel.name, "name_normalized": channel.name,
        "is_channel": not channel.is_mpim, "is_group": False, "is_im": False, "is_mpim": channel.is_mpim,
        "is_private": channel.is_private, "created": channel.created, "is_archived": False, "is_general": False,
        "is_shared": False, "is_org_shared": False, "is_member": channel.has_member(ws.bot_user_id),
        "topic": {"value": "", "creator": "", "last_set": 0}, "purpose": {"value": "", "creator": "", "last_set": 0},
    }
    if num_members:
        shape["num_members"] = len(channel.members) if channel.is_private else len(ws.users())
    return shape


def message_json(ws: Workspace, message: Message, *, with_thread: bool = True) -> dict[str, Any]:
    shape: dict[str, Any] = {"type": "message", "text": message.text, "user": message.user, "ts": message.ts,
                             "team": ws.team_id}
    if message.bot_id:
        shape.update(bot_id=message.bot_id, app_id=ws.app_id)
    if message.blocks is not None:
        shape["blocks"] = message.blocks
    if message.attachments:
        shape["attachments"] = message.attachments
    if message.reply_broadcast:
        shape["subtype"] = "thread_broadcast"
    if message.edited:
        shape["edited"] = message.edited
    if message.is_reply:
        shape["thread_ts"] = message.thread_ts
        parent = ws.message(message.channel, message.thread_ts or "")
        shape["parent_user_id"] = parent.user
    elif with_thread and (replies := ws.replies_to(message)):
        users = list(dict.fromkeys(r.user for r in replies))
        shape.update(thread_ts=message.ts, reply_count=len(replies), reply_users_count=len(users),
                     reply_users=users, latest_reply=replies[-1].ts)
    return shape


def view_json(ws: Workspace, view: View) -> dict[str, Any]:
    shape = {"blocks": [], "private_metadata": "", "callback_id": "", "clear_on_close": False,
             "notify_on_close": False, **view.payload}
    shape.update(id=view.id, team_id=ws.team_id, type=view.type, state=view.state, hash=view.hash,
                 external_id=view.external_id or "", root_view_id=view.root_view_id,
                 previous_view_id=view.previous_view_id, app_id=ws.app_id, app_installed_team_id=ws.team_id,
                 bot_id=ws.bot_id)
    return shape


def _tz_offset(tz: str, at: float) -> tuple[int, str]:
    try:
        local = datetime.fromtimestamp(at, UTC).astimezone(ZoneInfo(tz))
    except (ZoneInfoNotFoundError, ValueError):
        return 0, "UTC"
    offset = local.utcoffset()
    return int(offset.total_seconds()) if offset else 0, local.tzname() or tz
