"""The page's line to Upline: what a person does on the page, as the request Slack would send for it.

Slash commands are form-encoded, with a trigger_id the workspace issued to that person (so the bot
can open a modal with it) and a response_url the page serves; clicks and form submissions are a form
with one `payload=` JSON field; messages and App Home visits are Events API callbacks. Each is signed
with the app's signing secret (`SlackRequests.sign`) and POSTed to Upline's /slack/events over real
HTTP, so Upline cannot tell the page from Slack.
"""

from __future__ import annotations

import json
import logging
import re
import time
import uuid
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import aiohttp

from bot.sandbox.models import Channel, Message
from bot.sandbox.signed_requests import SignedRequest, SlackRequests
from bot.sandbox.workspace import Workspace

log = logging.getLogger(__name__)
FORM = "application/x-www-form-urlencoded"


@dataclass(frozen=True)
class BotAnswer:
    status: int  # 0: Upline could not be reached at all
    body: str = ""
    content_type: str = ""

    @property
    def ok(self) -> bool:
        return self.status == 200

    def json(self) -> dict[str, Any] | None:
        if not self.body.strip():
            return None
        try:
            decoded = json.loads(self.body)
        except ValueError:
            return None
        return decoded if isinstance(decoded, dict) else None

    def message(self) -> dict[str, Any] | None:
        """A command's answer as Slack reads it: JSON with text and blocks, or plain text; None if empty."""
        if not self.body.strip():
            return None
        return self.json() if "json" in self.content_type else {"text": self.body}


class BotLine:
    def __init__(self, workspace: Workspace, signer: SlackRequests, url: str = "", timeout: float = 15.0):
        self.workspace = workspace
        self.signer = signer
        self.url = url  # Upline's /slack/events; known once its server is bound
        self.timeout = timeout  # longer than Slack's 3 s: a sandbox should show a slow answer, not drop it

    async def post(self, request: SignedRequest) -> BotAnswer:
        try:
            timeout = aiohttp.ClientTimeout(total=self.timeout)
            async with aiohttp.ClientSession(timeout=timeout) as session, \
                    session.post(self.url, data=request.body, headers=request.headers) as response:
                return BotAnswer(response.status, await response.text(), response.headers.get("Content-Type", ""))
        except (aiohttp.ClientError, TimeoutError) as error:
            log.warning("could not reach Upline at %s: %r", self.url, error)
            return BotAnswer(0, repr(error))

    # -- what Slack sends ------------------------------------------------------------------------

    def command(self, *, user: str, channel: Channel, command: str, text: str, response_url: str) -> SignedRequest:
        person = self.workspace.user(user)
        fields = {
            "token": "legacy-verification-token", "team_id": self.workspace.team_id, "team_domain": "upline",
            "channel_id": channel.id, "channel_name": "directmessage" if channel.is_im else channel.name,
            "user_id": user, "user_name": person.name, "command": command, "text": text,
            "api_app_id": self.workspace.app_id, "is_enterprise_install": "false",
            "response_url": response_url, "trigger_id": self.workspace.issue_trigger(user),
        }
        return self.signer.sign(urlencode(fields).encode(), FORM)

    def interaction(self, user: str, payload: dict[str, Any]) -> SignedRequest:
        ws = self.workspace
        body = {"type": payload["type"], "user": self.user_ref(user), "api_app_id": ws.app_id,
                "token": "legacy-verification-token", "team": {"id": ws.team_id, "domain": "upline"},
                "enterprise": None, "is_enterprise_install": False, "trigger_id": ws.issue_trigger(user), **payload}
        return self.signer.sign(urlencode({"payload": json.dumps(body)}).encode(), FORM)

    def event(self, event: dict[str, Any]) -> SignedRequest:
        return self.signer.event({"team": self.workspace.team_id, **event})

    def user_ref(self, user: str) -> dict[str, str]:
        person = self.workspace.user(user)
        return {"id": user, "username": person.name, "name": person.name, "team_id": self.workspace.team_id}


def message_event(message: Message, channel: Channel, *, mention: bool = False) -> dict[str, Any]:
    """`app_mention` (mention=True) or `message` for what a person typed, shaped as the Events API does."""
    event: dict[str, Any] = {
        "type": "app_mention" if mention else "message", "user": message.user, "text": message.text,
        "ts": message.ts, "channel": message.channel, "event_ts": message.ts, "client_msg_id": str(uuid.uuid4()),
    }
    if not mention:
        event["channel_type"] = "im" if channel.is_im else "mpim" if channel.is_mpim else "channel"
    if message.thread_ts:
        event["thread_ts"] = message.thread_ts
    return event


def home_opened_event(user: str, channel: str, tab: str, view: dict[str, Any] | None) -> dict[str, Any]:
    event: dict[str, Any] = {"type": "app_home_opened", "user": user, "channel": channel, "tab": tab,
                             "event_ts": f"{time.time():.6f}"}
    if view is not None:
        event["view"] = view
    return event


MENTION = re.compile(r"(?<![\w<@])@([A-Za-z0-9][\w.\-]*)")


def typed_text(workspace: Workspace, text: str) -> str:
    """What a Slack client sends for what was typed: `&`, `<`, `>` escaped, and `@name` as `<@U…>`."""
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    by_name = {user.name.casefold(): user.id for user in workspace.users()}

    def mention(match: re.Match) -> str:
        name = match.group(1).rstrip(".-")  # "ask @albanD." ends the sentence, not the name
        user_id = by_name.get(name.casefold())
        return f"<@{user_id}>{match.group(1)[len(name):]}" if user_id else match.group(0)

    return MENTION.sub(mention, escaped)


CHANNEL = re.compile(r"(?<![\w<&])#([a-z0-9][\w\-]*)")


def escaped_command_text(workspace: Workspace, text: str) -> str:
    """What Slack sends for a command registered with `should_escape`: `&`, `<`, `>` escaped, a person's
    `@name` as `<@U…|name>` and a channel's `#name` as `<#C…|name>`; other words as typed."""
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    users = {user.name.casefold(): user for user in workspace.users()}
    channels = {channel.name.casefold(): channel for channel in workspace.channels() if not channel.is_private}

    def person(match: re.Match) -> str:
        name = match.group(1).rstrip(".-")
        user = users.get(name.casefold())
        return f"<@{user.id}|{user.name}>{match.group(1)[len(name):]}" if user else match.group(0)

    def channel(match: re.Match) -> str:
        found = channels.get(match.group(1).casefold())
        return f"<#{found.id}|{found.name}>" if found else match.group(0)

    return CHANNEL.sub(channel, MENTION.sub(person, escaped))
