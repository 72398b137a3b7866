"""What the page reads: the people to act as, the sidebar, a conversation, a thread, App Home, a modal.

Messages are given to the page in the Web API's own shape (`shapes.message_json`), so the page draws
exactly what an app would read back from Slack; the person's ephemeral notes are merged in by time.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from bot.config.schema import Config
from bot.sandbox.models import Channel, SlackError, View
from bot.sandbox.page_api.notes import Note, Notes
from bot.sandbox.shapes import message_json, view_json
from bot.sandbox.workspace import Workspace


def roles(config: Config, key: str | None) -> list[str]:
    """Where someone stands, most senior first: "lead", "core", "nn maintainer", "torchscript emeritus"."""
    if key is None:
        return []
    found = ["lead"] if key == config.lead else []
    if key in config.core.maintainers:
        found.append("core")
    found += [f"{area.key} maintainer" for area in config.areas if key in area.maintainers]
    found += [f"{area.key} emeritus" for area in config.areas if key in area.emeritus]
    return found


def people(workspace: Workspace, config: Config) -> list[dict[str, Any]]:
    keys = {person.slack: key for key, person in config.people.items() if person.slack}
    listed = []
    for user in workspace.users():
        standing = roles(config, keys.get(user.id))
        listed.append({"id": user.id, "name": user.name, "real_name": user.real_name, "tz": user.tz,
                       "is_bot": user.is_bot, "roles": standing or ([] if user.is_bot else ["asker"])})
    return listed


def check_member(channel: Channel, user: str) -> None:
    if not channel.has_member(user):
        raise SlackError("channel_not_found")  # someone else's DM: Slack would not show it either


def sidebar(workspace: Workspace, config: Config, notes: Notes, user: str) -> dict[str, Any]:
    """The channels everyone sees, and this person's DM with the bot, each with its latest ts."""
    dm, _ = workspace.open_conversation([user])
    channels = sorted((c for c in workspace.channels() if not c.is_private),
                      key=lambda c: (c.name != "general", c.name))
    return {"channels": [{"id": c.id, "name": c.name, "purpose": purpose(config, c),
                          "latest": latest(workspace, notes, c, user)} for c in channels],
            "dm": {"id": dm.id, "latest": latest(workspace, notes, dm, user)}}


def purpose(config: Config, channel: Channel) -> str:
    """What a channel is for, from app.yaml: the channel header says it."""
    if channel.id == config.core.channel:
        return "Escalations to the core maintainers, and what breached up to them"
    areas = [area.title for area in config.areas if area.channel == channel.id]
    if areas:
        return "Questions for " + ", ".join(areas) + ": pinged here, with their buttons"
    published = [config.decisions, *(area.decisions for area in config.areas)]
    if any(decisions is not None and decisions.channel == channel.id for decisions in published):
        return "Decisions, published with their reasoning: the proposal, the outcome and who voted how"
    return "Ask from anywhere: /ask <area> <question>, or @Upline ask <area> …"


def latest(workspace: Workspace, notes: Notes, channel: Channel, user: str) -> str | None:
    stamps = [m.ts for m in workspace.history(channel.id) if not notes.is_hidden(channel.id, m.ts)]
    stamps += [n.ts for n in notes.seen_by(user, channel.id) if not n.thread_ts]
    return max(stamps, key=Decimal, default=None)


def conversation(workspace: Workspace, notes: Notes, channel_id: str, user: str) -> dict[str, Any]:
    channel = workspace.channel(channel_id)
    check_member(channel, user)
    mine = notes.seen_by(user, channel.id)
    items = []
    for message in workspace.history(channel.id):
        if notes.is_hidden(channel.id, message.ts):
            continue
        item = message_json(workspace, message)
        item["private_replies"] = sum(1 for note in mine if note.thread_ts == message.ts)
        items.append(item)
    items += [note_json(note) for note in mine if not note.thread_ts]
    return {"channel": channel_json(channel), "messages": sorted(items, key=lambda i: Decimal(i["ts"]))}


def thread(workspace: Workspace, notes: Notes, channel_id: str, ts: str, user: str) -> dict[str, Any]:
    channel = workspace.channel(channel_id)
    check_member(channel, user)
    items = [message_json(workspace, m, with_thread=False) for m in workspace.thread(channel.id, ts)
             if not notes.is_hidden(channel.id, m.ts)]
    root = items[0]["ts"] if items else ts
    items += [note_json(note) for note in notes.seen_by(user, channel.id) if note.thread_ts == root]
    return {"channel": channel_json(channel), "ts": root,
            "messages": sorted(items, key=lambda i: Decimal(i["ts"]))}


def channel_json(channel: Channel) -> dict[str, Any]:
    return {"id": channel.id, "name": channel.name, "is_im": channel.is_im}


def note_json(note: Note) -> dict[str, Any]:
    return {"type": "message", "ephemeral": True, "key": note.key, "ts": note.ts, "text": note.text,
            "blocks": note.blocks, "thread_ts": note.thread_ts, "command": note.command,
            "author": note.author or "bot"}


def view_for_page(workspace: Workspace, view: View | None) -> dict[str, Any] | None:
    return None if view is None else view_json(workspace, view)


def modal(workspace: Workspace, user: str) -> dict[str, Any]:
    stack = workspace.modal_stack(user)
    return {"view": view_for_page(workspace, stack[-1] if stack else None), "depth": len(stack)}
