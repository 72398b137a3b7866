"""The Slack app manifest: what a workspace admin pastes into api.slack.com/apps → "From a manifest".

    $ upline manifest --url https://upline.example.org > manifest.yaml

Slash commands, events and interactivity are what the handlers register — recorded by running
`handlers.register_all` against `ListenerRecorder` — so the manifest never promises a command the
bot does not answer, or leaves out one it does. Bot scopes follow from those events and from the Web
API methods the code calls; each scope is printed with the reason it is asked for.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import yaml

from bot.config import Config

EVENTS_PATH = "/slack/events"  # commands, interactivity and events share one path (DESIGN.md, the contract)

# What Slack shows in the command picker: (description, usage hint). A registered command missing
# here stops the manifest: Slack needs both, and a made-up hint would teach people the wrong syntax.
COMMAND_TEXT = {
    "/ask": ("Ask an area's maintainers a question", "[area] <question>"),
    "/escalate": ("Raise a dispute or blocker for a decision, or push ticket #N up", "[area] <text> or #N [reason]"),
    "/ack": ("Take ticket #N: \"I have this\"", "#N"),
    "/resolve": ("Close ticket #N, with a note on what answered it", "#N [note]"),
    "/status": ("Your open asks and what waits on you, or one ticket's history", "[#N]"),
    "/who": ("Who answers an area's questions, and who is away", "<area>"),
    "/reopen": ("Open resolved ticket #N again: it is not done", "#N [why]"),
    "/handover": ("Hand ticket #N to someone else on its ladder", "#N @person"),
    "/vote": ("Call a vote of an area's maintainers or the core, or on ticket #N", "[area] <proposal> or #N"),
    "/dispute": ("Dispute published decision #N: the group that decided must answer", "#N <reason>"),
    "/veto": ("Ask the core to veto module decision #N", "#N <reason>"),
    "/decisions": ("Votes under way and recent decisions", "[area]"),
    "/nominate": ("Nominate someone to an area or the core, or for removal; or start the review",
                  "[remove] @person <area|core> [why] or review"),
    "/elect": ("Elect the lead core maintainer by ranked-choice vote, once the seat is vacant", "lead"),
}

# Commands that name people are registered with should_escape, so Slack sends a person picked from its
# list as `<@U…|name>` (an ID the handler can trust), not as the words typed (DESIGN.md, governance).
ESCAPED_COMMANDS = frozenset({"/handover", "/nominate"})

# A Bolt event type → the bot events to subscribe to, each with the scope it needs (None: none).
# `message` is for the asker's replies in a thread an @mention linked: mentions happen in public and
# private channels, never in the bot's DMs (Slack sends no app_mention there), so no message.im.
EVENT_SUBSCRIPTIONS: dict[str, tuple[tuple[str, str | None], ...]] = {
    "app_mention": (("app_mention", "app_mentions:read"),),
    "app_home_opened": (("app_home_opened", None),),
    "message": (("message.channels", "channels:history"), ("message.groups", "groups:history")),
}

# The Web API methods Upline may call (slack_sdk's names) → the bot scopes they need.
METHOD_SCOPES: dict[str, tuple[str, ...]] = {
    "auth_test": (),
    # Socket Mode's connection URL is asked for with the app-level token (xapp-, scope connections:write),
    # which an admin makes by hand under "Basic Information": it is no bot scope and no manifest key.
    "apps_connections_open": (),
    "chat_postMessage": ("chat:write",),
    "chat_postEphemeral": ("chat:write",),
    "chat_update": ("chat:write",),
    "chat_getPermalink": (),
    "conversations_open": ("im:write",),
    "conversations_info": ("channels:read", "groups:read", "im:read"),
    "users_info": ("users:read",),
    "views_open": (),
    "views_push": (),
    "views_update": (),
    "views_publish": (),
}

SCOPE_REASONS = {
    "commands": "the slash commands",
    "chat:write": "pings, reminders, escalations, the asker's updates and private answers",
    "chat:write.public": "post in app.yaml's public area, core and decisions channels without being invited to each",
    "im:write": "open the DMs that tell askers about their tickets and ping maintainers without a channel",
    "app_mentions:read": "@Upline ask <area> <text>",
    "channels:history": "the asker's reply in a public channel thread an @mention linked",
    "groups:history": "the asker's reply in a private channel thread an @mention linked",
    "channels:read": "conversations.info on public channels",
    "groups:read": "conversations.info on private channels",
    "im:read": "conversations.info on DMs",
    "users:read": "people's names and time zones",
}


class ManifestError(ValueError):
    """The handlers register something the manifest cannot describe; the message says what to add."""


@dataclass
class Registered:
    """What the handlers registered on the Bolt app, in order: `(kind, key)` per listener."""

    listeners: list[tuple[str, object]] = field(default_factory=list)

    def keys(self, kind: str) -> list:
        return [key for listener_kind, key in self.listeners if listener_kind == kind]

    @property
    def interactive(self) -> bool:
        return any(kind in ("action", "view", "options") for kind, _ in self.listeners)


class ListenerRecorder:
    """Takes the AsyncApp's place while `register_all` runs, and notes each listener it is given."""

    def __init__(self) -> None:
        self.registered = Registered()

    def _listener(self, kind: str, key: object):
        self.registered.listeners.append((kind, key))
        return lambda *functions, **_: functions[0] if functions else None  # `@app.x(...)` or `app.x(...)(f)`

    def command(self, command, *_, **__):
        return self._listener("command", command)

    def event(self, event, *_, **__):
        return self._listener("event", event.get("type") if isinstance(event, dict) else event)

    def message(self, keyword=None, *_, **__):
        return self._listener("event", "message")

    def action(self, constraints, *_, **__):
        return self._listener("action", constraints)

    block_action = action

    def view(self, constraints, *_, **__):
        return self._listener("view", constraints)

    view_submission = view_closed = view

    def options(self, constraints, *_, **__):
        return self._listener("options", constraints)

    block_suggestion = options

    def middleware(self, *functions):
        return functions[0] if functions else (lambda function: function)

    use = error = middleware

    def __getattr__(self, name: str):
        raise ManifestError(f"handlers call app.{name}(), which bot/manifest.py cannot describe yet: teach "
                            "ListenerRecorder and the manifest about it")


def build_manifest(registered: Registered, config: Config, *, url: str | None, socket_mode: bool,
                   methods: Iterable[str]) -> dict:
    """The manifest as a dict in Slack's schema; HTTP mode needs the public `url` Slack posts to."""
    request_url = None if socket_mode else events_url(url)
    scopes = required_scopes(registered, config, methods)
    events = [event for kind in _unique(registered.keys("event")) for event, _ in _subscriptions(kind)]
    commands = [_slash_command(command, request_url) for command in _unique(registered.keys("command"))]
    features: dict = {
        "app_home": {
            "home_tab_enabled": "app_home_opened" in events,
            "messages_tab_enabled": True,  # pings and confirmations arrive there
            "messages_tab_read_only_enabled": "message.im" not in events,  # nobody would hear a reply
        },
        "bot_user": {"display_name": "Upline", "always_online": True},
    }
    if commands:
        features["slash_commands"] = commands
    settings: dict = {}
    if events:
        settings["event_subscriptions"] = ({"request_url": request_url} if request_url else {}) | {"bot_events": events}
    interactivity = {"is_enabled": registered.interactive}  # buttons and modals
    if registered.interactive and request_url:
        interactivity["request_url"] = request_url
        if registered.keys("options"):  # external select menus load their options from the same path
            interactivity["message_menu_options_url"] = request_url
    settings["interactivity"] = interactivity
    settings |= {"org_deploy_enabled": False, "socket_mode_enabled": socket_mode, "token_rotation_enabled": False}
    return {
        "_metadata": {"major_version": 1, "minor_version": 1},
        "display_information": {"name": "Upline", "description": _description(config),
                                "background_color": "#1d3557"},
        "features": features,
        "oauth_config": {"scopes": {"bot": scopes}},
        "settings": settings,
    }


def required_scopes(registered: Registered, config: Config, methods: Iterable[str]) -> list[str]:
    """Every bot scope the app needs, in a stable order."""
    needed: list[str] = ["commands"] if registered.keys("command") else []
    for method in sorted(set(methods)):
        if method not in METHOD_SCOPES:
            raise ManifestError(f"the code calls {method.replace('_', '.')}: add its scopes to METHOD_SCOPES")
        needed += METHOD_SCOPES[method]
    if "chat:write" in needed and (config.core.channel or any(area.channel for area in config.areas)
                                   or _decisions_channel(config)):
        needed.append("chat:write.public")
    for kind in registered.keys("event"):
        needed += [scope for _, scope in _subscriptions(kind) if scope]
    return _unique(needed)


def render(manifest: dict) -> str:
    """YAML in the manifest's own key order, each bot scope followed by why it is asked for."""
    text = yaml.safe_dump(manifest, sort_keys=False, allow_unicode=True, width=120)
    for scope in manifest["oauth_config"]["scopes"]["bot"]:
        reason = SCOPE_REASONS[scope]
        text = re.sub(rf"^(\s*- {re.escape(scope)})$", rf"\1  # {reason}", text, count=1, flags=re.M)
    return text


def events_url(url: str | None) -> str:
    """`https://host[/prefix]` → `https://host[/prefix]/slack/events`; Slack only posts to https."""
    if not url:
        raise ManifestError("give the public address Slack sends requests to (--url https://host), "
                            "or use --socket-mode")
    parts = urlsplit(url)
    if parts.scheme != "https" or not parts.netloc or parts.query or parts.fragment:
        raise ManifestError(f"--url must be an https:// address like https://upline.example.org, not {url!r}")
    base = url.rstrip("/")
    return base if base.endswith(EVENTS_PATH) else base + EVENTS_PATH


def _slash_command(command: object, request_url: str | None) -> dict:
    if not isinstance(command, str) or command not in COMMAND_TEXT:
        raise ManifestError(f"handlers register the command {command!r}: give it a description and a usage "
                            "hint in COMMAND_TEXT (bot/manifest.py)")
    description, usage_hint = COMMAND_TEXT[command]
    entry = {"command": command, "url": request_url, "description": description, "usage_hint": usage_hint,
             "should_escape": command in ESCAPED_COMMANDS}
    return entry if request_url else {key: value for key, value in entry.items() if key != "url"}


def _subscriptions(kind: object) -> tuple[tuple[str, str | None], ...]:
    if kind not in EVENT_SUBSCRIPTIONS:
        raise ManifestError(f"handlers listen to the event {kind!r}: add its bot events and scopes to "
                            "EVENT_SUBSCRIPTIONS (bot/manifest.py)")
    return EVENT_SUBSCRIPTIONS[kind]  # type: ignore[index]


def _decisions_channel(config: Config) -> bool:
    """Whether `decisions.channel` (top level, or an area's) names a channel outcomes are published in."""
    layers = [config.decisions, *(area.decisions for area in config.areas)]
    return any(layer is not None and layer.channel for layer in layers)


def _description(config: Config) -> str:
    text = f"Routes {config.project}'s questions and escalations up its maintainer ladder, on time."
    return text if len(text) <= 140 else "Routes questions and escalations up the maintainer ladder, on time."


def _unique(items: Iterable) -> list:
    return list(dict.fromkeys(items))
