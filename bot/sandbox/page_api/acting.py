"""What a person does on the page, carried to Upline as Slack carries it: the composer (a slash command
or a message, then its events), a click, a modal's submit or close, a visit to App Home."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request

from bot.manifest import ESCAPED_COMMANDS
from bot.sandbox.models import Channel, SlackError
from bot.sandbox.page_api.bot_line import escaped_command_text, home_opened_event, message_event, typed_text
from bot.sandbox.page_api.context import PageContext, acting, member_channel, own_view
from bot.sandbox.page_api.interactions import PageError, action_json, block_id, find_element, state_of
from bot.sandbox.page_api.notes import ResponseTarget
from bot.sandbox.shapes import message_json, view_json

READ_ONLY_DM = "Sending messages to this app has been turned off."  # Slack's words for a read-only Messages tab
REQUIRED = "Please complete this required field."


async def send(ctx: PageContext, request: Request) -> dict:
    """The composer: a slash command, or a message posted as the person (then the events it causes)."""
    body = await request.json()
    user = acting(ctx, body.get("as"))
    channel = member_channel(ctx, body.get("channel"), user)
    text, thread_ts = str(body.get("text") or "").strip(), body.get("thread_ts") or None
    if not text:
        raise PageError("nothing to send")
    if text.startswith("/"):
        await run_command(ctx, user, channel, text, thread_ts)
    elif channel.is_im:
        # Upline subscribes to no message.im event, so its manifest makes the Messages tab read-only.
        ctx.notes.add(channel.id, user, text=READ_ONLY_DM, author="slackbot", thread_ts=thread_ts)
    else:
        await say(ctx, user, channel, text, thread_ts)
    return {"ok": True}


async def run_command(ctx: PageContext, user: str, channel: Channel, line: str, thread_ts: str | None) -> None:
    command, _, text = line.partition(" ")
    command = command.lower()
    notes = ctx.notes
    if command not in ctx.commands:
        notes.add(channel.id, user, author="slackbot", thread_ts=thread_ts, command=line,
                  text=f"`{command}` is not a valid command. In Slack, all messages that start with the "
                       "\"/\" character are interpreted as commands.")
        return
    target = ResponseTarget(user, channel.id, thread_ts)
    text = text.strip()
    if command in ESCAPED_COMMANDS:  # registered with should_escape: Slack sends `@name` as `<@U…|name>`
        text = escaped_command_text(ctx.workspace, text)
    answer = await ctx.bot.post(ctx.bot.command(user=user, channel=channel, command=command, text=text,
                                                response_url=ctx.response_url(target)))
    if not answer.ok:
        error = "dispatch_failed" if answer.status == 0 else f"http_{answer.status}"
        notes.add(channel.id, user, author="slackbot", thread_ts=thread_ts, command=line,
                  text=f"`{command}` failed with the error \"{error}\"")
        return
    message = answer.message()
    if message is None:  # acknowledged with no words: any answer comes later (a modal, a response_url post)
        return
    text, blocks = str(message.get("text") or ""), message.get("blocks")
    if message.get("response_type") == "in_channel":
        posted = ctx.workspace.post_message(channel.id, ctx.workspace.bot_user_id, text=text, blocks=blocks,
                                            thread_ts=thread_ts)
        target.original = ("message", posted.ts)
    else:
        target.original = ("note", notes.add(channel.id, user, text=text, blocks=blocks, thread_ts=thread_ts,
                                             command=line).key)


async def say(ctx: PageContext, user: str, channel: Channel, text: str, thread_ts: str | None) -> None:
    ws = ctx.workspace
    message = ws.post_message(channel.id, user, text=typed_text(ws, text), thread_ts=thread_ts)
    if "app_mention" in ctx.events and f"<@{ws.bot_user_id}>" in message.text:
        await ctx.bot.post(ctx.bot.event(message_event(message, channel, mention=True)))
    if "message" in ctx.events and not channel.is_private:  # message.channels: every message in a channel
        await ctx.bot.post(ctx.bot.event(message_event(message, channel)))


async def action(ctx: PageContext, request: Request) -> dict:
    """A button, select or date picker used in a message, an ephemeral note, App Home or a modal."""
    body = await request.json()
    user = acting(ctx, body.get("as"))
    blocks, salt, target, where = clicked_in(ctx, body, user)
    index = int(body.get("block_index"))
    block, element = find_element(blocks, index, str(body.get("action_id")))
    people = [person.id for person in ctx.workspace.users() if not person.is_bot]  # what a users_select offers
    used = action_json(block_id(block, index, salt), element, body, people)
    payload = {"type": "block_actions", **where, "actions": [used], "state": {"values": state_of(used)}}
    if target is not None:  # views get no response_url from Slack: there is no message to answer
        payload["response_url"] = ctx.response_url(target)
    answer = await ctx.bot.post(ctx.bot.interaction(user, payload))
    return {"ok": answer.ok, "status": answer.status}


def clicked_in(ctx: PageContext, body: dict[str, Any], user: str) -> tuple[list | None, str, ResponseTarget | None,
                                                                               dict[str, Any]]:
    """(blocks, a salt for generated block_ids, the response_url's target, the payload's container part)."""
    ws = ctx.workspace
    if body.get("view_id"):
        view = own_view(ctx, body["view_id"], user)
        return view.payload.get("blocks"), view.id, None, {"container": {"type": "view", "view_id": view.id},
                                                           "view": view_json(ws, view)}
    if body.get("note"):
        note = ctx.notes.get(body["note"])
        if note.user != user:
            raise SlackError("message_not_found")
        channel = ws.channel(note.channel)
        return note.blocks, note.ts, ResponseTarget(user, channel.id, note.thread_ts, ("note", note.key)), {
            "container": {"type": "message", "message_ts": note.ts, "channel_id": channel.id, "is_ephemeral": True},
            "channel": {"id": channel.id, "name": channel.name}}
    channel = member_channel(ctx, body.get("channel"), user)
    message = ws.message(channel.id, str(body.get("ts")))
    return message.blocks, message.ts, ResponseTarget(user, channel.id, message.thread_ts, ("message", message.ts)), {
        "container": {"type": "message", "message_ts": message.ts, "channel_id": channel.id, "is_ephemeral": False},
        "channel": {"id": channel.id, "name": channel.name}, "message": message_json(ws, message)}


async def submit(ctx: PageContext, request: Request) -> dict:
    """The modal's submit button: `view_submission`, then what Upline's answer asks for."""
    body = await request.json()
    user = acting(ctx, body.get("as"))
    ws = ctx.workspace
    view = own_view(ctx, body.get("view_id"), user)
    values = body.get("values") or {}
    if not isinstance(values, dict):
        raise PageError("values must be an object")
    if missing := unfilled(view.payload.get("blocks") or [], values):
        return {"ok": False, "errors": missing}  # Slack's client refuses to send these, so Upline never sees them
    submitted = {**view_json(ws, view), "state": {"values": values}}
    answer = await ctx.bot.post(ctx.bot.interaction(user, {"type": "view_submission", "view": submitted,
                                                           "response_urls": []}))
    if not answer.ok:
        return {"ok": False, "error": "We had some trouble connecting. Try again?"}  # what Slack's modal says
    reply = answer.json() or {}
    kind = reply.get("response_action")
    if kind == "errors":
        return {"ok": False, "errors": reply.get("errors") or {}}
    if kind == "update":
        ws.update_view(reply["view"], view_id=view.id)
    elif kind == "push":
        ws.push_modal(ws.issue_trigger(user), reply["view"])
    elif kind == "clear":
        ws.close_modals(user)
    else:  # an empty answer closes this view (the one below it, if any, shows again)
        ws.pop_modal(user)
    return {"ok": True}


async def close(ctx: PageContext, request: Request) -> dict:
    body = await request.json()
    user = acting(ctx, body.get("as"))
    view = own_view(ctx, body.get("view_id"), user)
    if view.payload.get("notify_on_close"):
        await ctx.bot.post(ctx.bot.interaction(user, {"type": "view_closed", "view": view_json(ctx.workspace, view),
                                                      "is_cleared": True}))
    ctx.workspace.close_modals(user)
    return {"ok": True}


async def open_home(ctx: PageContext, request: Request) -> dict:
    """Opening the app's Home (or Messages) tab: Slack sends `app_home_opened`, the app publishes."""
    body = await request.json()
    user = acting(ctx, body.get("as"))
    ws = ctx.workspace
    dm, _ = ws.open_conversation([user])
    tab = "messages" if body.get("tab") == "messages" else "home"
    if "app_home_opened" in ctx.events:
        published = ws.home(user) if tab == "home" else None
        event = home_opened_event(user, dm.id, tab, view_json(ws, published) if published else None)
        await ctx.bot.post(ctx.bot.event(event))
    return {"ok": True, "dm": dm.id}


def unfilled(blocks: list[dict[str, Any]], values: dict[str, Any]) -> dict[str, str]:
    """Required inputs (not `optional`) left empty, keyed by block_id, with Slack's words for them."""
    missing = {}
    for block in blocks:
        if block.get("type") != "input" or block.get("optional"):
            continue
        element = block.get("element") or {}
        value = (values.get(block.get("block_id")) or {}).get(element.get("action_id")) or {}
        if not any(value.get(key) for key in ("value", "selected_option", "selected_date", "selected_options",
                                              "selected_user")):
            missing[block.get("block_id")] = REQUIRED
    return missing
