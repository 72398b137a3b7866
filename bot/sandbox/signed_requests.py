"""Requests shaped and signed exactly as Slack sends them to an app's request URL.

The sandbox page, the tests and the HTTP benchmark all speak to Upline through these, so Upline cannot
tell them from Slack: slash commands are form-encoded, interactivity is a form with one `payload=`
JSON field, events are JSON; each carries `X-Slack-Request-Timestamp` and an HMAC-SHA256
`X-Slack-Signature` over `v0:{timestamp}:{body}` with the app's signing secret.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlencode

FORM = "application/x-www-form-urlencoded"


@dataclass(frozen=True)
class SignedRequest:
    body: bytes
    headers: dict[str, str]


@dataclass
class SlackRequests:
    signing_secret: str
    team_id: str = "T0UPLINE"
    app_id: str = "A0UPLINE"
    response_url_base: str = "http://127.0.0.1:9/response/"  # where `respond()` posts go
    # Where trigger_ids come from: Slack issues them per person and accepts each once, briefly; a
    # stand-in workspace does the same (`Workspace.issue_trigger`). Without one, ids are made up.
    triggers: Callable[[str | None], str] | None = None
    _counter: int = field(default=0, repr=False)

    def sign(self, body: bytes, content_type: str, timestamp: int | None = None,
             retry: int | None = None) -> SignedRequest:
        timestamp = int(time.time()) if timestamp is None else timestamp
        # Over the bytes, as Slack signs them (slack_sdk's verifier would first decode them as UTF-8).
        base = f"v0:{timestamp}:".encode() + body
        signature = "v0=" + hmac.new(self.signing_secret.encode(), base, hashlib.sha256).hexdigest()
        headers = {"Content-Type": content_type, "X-Slack-Request-Timestamp": str(timestamp),
                   "X-Slack-Signature": signature}
        if retry is not None:
            headers |= {"X-Slack-Retry-Num": str(retry), "X-Slack-Retry-Reason": "http_timeout"}
        return SignedRequest(body, headers)

    def command(self, command: str, text: str, *, user: str, channel: str = "C0GENERAL",
                timestamp: int | None = None) -> SignedRequest:
        return self.form(self.command_fields(command, text, user=user, channel=channel), timestamp=timestamp)

    def command_fields(self, command: str, text: str, *, user: str, channel: str = "C0GENERAL") -> dict[str, str]:
        """The form fields of a slash command, as Slack sends them."""
        return {
            "token": "legacy-verification-token", "team_id": self.team_id, "team_domain": "upline",
            "channel_id": channel, "channel_name": channel.lower(), "user_id": user, "user_name": user.lower(),
            "command": command, "text": text, "api_app_id": self.app_id, "is_enterprise_install": "false",
            "response_url": self._response_url(), "trigger_id": self.trigger_id(user),
        }

    def form(self, fields: dict[str, str], *, content_type: str = FORM, timestamp: int | None = None) -> SignedRequest:
        """Any form fields, signed (tests also send forms Slack would not, to see them refused)."""
        return self.sign(urlencode(fields).encode(), content_type, timestamp)

    def json_body(self, value: object, *, content_type: str = "application/json") -> SignedRequest:
        """Any JSON value as the body, signed: an event envelope, or something Slack would not send."""
        return self.sign(json.dumps(value).encode(), content_type)

    def interaction(self, payload: dict, timestamp: int | None = None) -> SignedRequest:
        user = payload.get("user")
        user = user.get("id") if isinstance(user, dict) else None  # tests send payloads without one, too
        base = {"team": {"id": self.team_id, "domain": "upline"}, "api_app_id": self.app_id,
                "token": "legacy-verification-token", "trigger_id": self.trigger_id(user),
                "response_url": self._response_url()}
        return self.form({"payload": json.dumps(base | payload)}, timestamp=timestamp)

    def button(self, action_id: str, value: str, *, user: str, channel: str, message_ts: str,
               block_id: str = "actions") -> SignedRequest:
        return self.interaction({
            "type": "block_actions", "user": {"id": user, "team_id": self.team_id},
            "container": {"type": "message", "channel_id": channel, "message_ts": message_ts},
            "channel": {"id": channel}, "message": {"ts": message_ts, "type": "message"},
            "actions": [{"type": "button", "action_id": action_id, "block_id": block_id, "value": value,
                         "action_ts": f"{time.time():.6f}"}],
        })

    def user_picked(self, action_id: str, selected_user: str, *, user: str, channel: str, message_ts: str,
                    block_id: str) -> SignedRequest:
        """A person picked in a users_select on a message: Slack sends their ID, and the block's state."""
        picked = {"type": "users_select", "action_id": action_id, "block_id": block_id,
                  "selected_user": selected_user, "action_ts": f"{time.time():.6f}"}
        return self.interaction({
            "type": "block_actions", "user": {"id": user, "team_id": self.team_id},
            "container": {"type": "message", "channel_id": channel, "message_ts": message_ts},
            "channel": {"id": channel}, "message": {"ts": message_ts, "type": "message"},
            "state": {"values": {block_id: {action_id: {"type": "users_select", "selected_user": selected_user}}}},
            "actions": [picked],
        })

    def event(self, event: dict, *, event_id: str | None = None, retry: int | None = None,
              timestamp: int | None = None) -> SignedRequest:
        body = json.dumps({
            "token": "legacy-verification-token", "team_id": self.team_id, "api_app_id": self.app_id,
            "event": event, "type": "event_callback", "event_id": event_id or f"Ev{uuid.uuid4().hex[:10].upper()}",
            "event_time": int(time.time()), "authorizations": [{"team_id": self.team_id, "is_bot": True}],
        }).encode()
        return self.sign(body, "application/json", timestamp, retry)

    def trigger_id(self, user: str | None = None) -> str:
        if self.triggers is not None:
            return self.triggers(user)
        self._counter += 1
        return f"{self._counter}.{int(time.time())}.{uuid.uuid4().hex[:16]}"

    def _response_url(self) -> str:
        return f"{self.response_url_base}{uuid.uuid4().hex}"
