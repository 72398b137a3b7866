"""`upline manifest`: the Slack app manifest says exactly what the Bolt app answers, and nothing else."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path
from textwrap import dedent

import pytest
import yaml
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.response import BoltResponse

import handlers
from bot.app import Upline, create_upline
from bot.cli.manifest import app_sources, called_methods, record_listeners
from bot.config import load_config_file, load_config_text
from bot.manifest import (
    COMMAND_TEXT,
    ESCAPED_COMMANDS,
    METHOD_SCOPES,
    SCOPE_REASONS,
    ManifestError,
    Registered,
    build_manifest,
    render,
)
from bot.settings import Settings
from storage.engine import make_engine

REPO = Path(__file__).resolve().parents[2]
CONTRACT_COMMANDS = {"/ask", "/escalate", "/ack", "/resolve", "/status", "/who", "/reopen", "/handover",
                     "/vote", "/dispute", "/veto", "/decisions", "/nominate", "/elect"}
# DESIGN.md: registered with should_escape, so a mention arrives as <@U…|name>
NAMING_PEOPLE = {"/handover", "/nominate"}
URL = "https://upline.example.org"
CONFIG = load_config_file(REPO / "app.yaml").config


@pytest.fixture
def built() -> Upline:
    """The real app, built as `upline run` builds it (no database behind it: nothing here is handled)."""
    built = create_upline(Settings(bot_token="xoxb-test", signing_secret="secret"), config=CONFIG,
                          engine=make_engine("sqlite://"), check_database=False)
    yield built
    built.stop()


def manifest_of(upline, *argv: str) -> dict:
    ran = upline("manifest", *argv, "--config", str(REPO / "app.yaml"))
    assert ran.code == 0, ran.err
    return yaml.safe_load(ran.out)


def test_http_manifest_sends_commands_events_and_clicks_to_one_path(upline):
    manifest = manifest_of(upline, "--url", URL)
    endpoint = f"{URL}/slack/events"
    commands = manifest["features"]["slash_commands"]
    assert {command["command"] for command in commands} == CONTRACT_COMMANDS
    for command in commands:
        assert command["url"] == endpoint
        assert command["description"] and command["usage_hint"]
        assert command["should_escape"] is (command["command"] in NAMING_PEOPLE), command["command"]
    settings = manifest["settings"]
    assert settings["event_subscriptions"]["request_url"] == endpoint
    assert settings["interactivity"] == {"is_enabled": True, "request_url": endpoint}
    assert (settings["socket_mode_enabled"], settings["org_deploy_enabled"], settings["token_rotation_enabled"]) \
        == (False, False, False)
    assert manifest["features"]["app_home"]["home_tab_enabled"] is True
    assert manifest["features"]["app_home"]["messages_tab_enabled"] is True
    assert manifest["display_information"]["name"] == "Upline"
    assert len(manifest["display_information"]["description"]) <= 140  # Slack's limit


def test_socket_mode_manifest_has_no_request_urls(upline):
    ran = upline("manifest", "--socket-mode", "--config", str(REPO / "app.yaml"))
    manifest = yaml.safe_load(ran.out)
    assert manifest["settings"]["socket_mode_enabled"] is True
    assert manifest["settings"]["interactivity"] == {"is_enabled": True}
    assert "url:" not in ran.out and "https://" not in ran.out


def test_the_usage_hints_are_the_contracts():
    assert {command: hint for command, (_, hint) in COMMAND_TEXT.items()} == {
        "/ask": "[area] <question>", "/escalate": "[area] <text> or #N [reason]", "/ack": "#N",
        "/resolve": "#N [note]", "/status": "[#N]", "/who": "<area>", "/reopen": "#N [why]",
        "/handover": "#N @person", "/vote": "[area] <proposal> or #N", "/dispute": "#N <reason>",
        "/veto": "#N <reason>", "/decisions": "[area]",
        "/nominate": "[remove] @person <area|core> [why] or review", "/elect": "lead"}


def test_every_escaped_command_is_one_the_handlers_answer(built):
    registered = set(record_listeners(handlers.Deps.of(built)).keys("command"))
    assert ESCAPED_COMMANDS == NAMING_PEOPLE
    assert registered >= ESCAPED_COMMANDS, "should_escape for a command nobody answers"
    escaped = [command["command"] for command in manifest_for(built)["features"]["slash_commands"]
               if command["should_escape"]]
    assert escaped == ["/handover", "/nominate"]


def test_every_scope_is_printed_with_its_reason(built):
    text = render(build_manifest(record_listeners(handlers.Deps.of(built)), CONFIG, url=URL, socket_mode=False,
                                 methods=called_methods(app_sources())))
    scopes = yaml.safe_load(text)["oauth_config"]["scopes"]["bot"]
    assert {"commands", "chat:write", "app_mentions:read"} <= set(scopes)
    for scope in scopes:
        assert re.search(rf"^\s+- {re.escape(scope)}  # {re.escape(SCOPE_REASONS[scope])}$", text, re.M), scope


def test_manifest_and_registered_listeners_are_in_step(built):
    assert out_of_step(built, manifest_for(built)) == []


def test_a_command_registered_behind_the_manifests_back_is_caught(built):
    manifest = manifest_for(built)

    @built.bolt.command("/sneaky")
    async def sneaky(ack):
        await ack()

    assert any("sneaky" in problem for problem in out_of_step(built, manifest))


def test_a_command_in_the_manifest_that_nobody_answers_is_caught(built):
    manifest = manifest_for(built)
    manifest["features"]["slash_commands"].append({"command": "/ghost"})
    manifest["settings"]["event_subscriptions"]["bot_events"].append("reaction_added")
    problems = out_of_step(built, manifest)
    assert any("/ghost" in problem for problem in problems)
    assert any("reaction_added" in problem for problem in problems)


def test_a_command_without_a_usage_hint_stops_the_manifest():
    registered = Registered([("command", "/ask"), ("command", "/new")])
    with pytest.raises(ManifestError, match="'/new'.*COMMAND_TEXT"):
        build_manifest(registered, CONFIG, url=URL, socket_mode=False, methods=[])


def test_an_event_it_cannot_subscribe_to_stops_the_manifest():
    with pytest.raises(ManifestError, match="'reaction_added'.*EVENT_SUBSCRIPTIONS"):
        build_manifest(Registered([("event", "reaction_added")]), CONFIG, url=URL, socket_mode=False, methods=[])


def test_every_web_api_method_the_code_calls_has_its_scopes_declared():
    called = called_methods(app_sources())
    assert {"chat_postMessage", "chat_update", "conversations_open"} <= called
    assert called <= set(METHOD_SCOPES), "add the new methods' scopes to METHOD_SCOPES in bot/manifest.py"


def test_a_method_without_known_scopes_stops_the_manifest(tmp_path):
    (tmp_path / "new.py").write_text('client.reactions_add(name="eyes")\nclient.api_call("pins.add")\n')
    assert called_methods([tmp_path]) == {"reactions_add", "pins_add"}
    with pytest.raises(ManifestError, match="reactions.add"):
        build_manifest(Registered(), CONFIG, url=URL, socket_mode=False, methods={"reactions_add"})


def test_scopes_are_only_those_needed():
    registered = Registered([("command", "/ask")])
    manifest = build_manifest(registered, CONFIG, url=URL, socket_mode=False, methods={"chat_postMessage"})
    assert manifest["oauth_config"]["scopes"]["bot"] == ["commands", "chat:write", "chat:write.public"]
    assert "event_subscriptions" not in manifest["settings"]
    assert manifest["settings"]["interactivity"] == {"is_enabled": False}


def test_chat_write_public_only_when_the_config_names_channels():
    no_channels = load_config_text(dedent("""\
        project: Acme
        lead: U0LEAD
        core: {maintainers: [U0CORE1]}
        areas: [{key: nn, maintainers: [U0NN1]}]
        """)).config
    manifest = build_manifest(Registered(), no_channels, url=URL, socket_mode=False, methods={"chat_postMessage"})
    assert manifest["oauth_config"]["scopes"]["bot"] == ["chat:write"]


@pytest.mark.parametrize("decisions", ["decisions: {channel: C0DECISIONS}\nareas: [{key: nn, maintainers: [U0NN1]}]",
                                       "areas: [{key: nn, maintainers: [U0NN1], decisions: {channel: C0NNVOTES}}]"])
def test_chat_write_public_when_decisions_are_published_in_a_channel(decisions):
    config = load_config_text(dedent("""\
        project: Acme
        lead: U0LEAD
        core: {maintainers: [U0CORE1]}
        """) + decisions + "\n").config
    manifest = build_manifest(Registered(), config, url=URL, socket_mode=False, methods={"chat_postMessage"})
    assert manifest["oauth_config"]["scopes"]["bot"] == ["chat:write", "chat:write.public"]


@pytest.mark.parametrize(("argv", "message"), [
    ((), "--url https://host"),
    (("--url", "http://upline.example.org"), "must be an https:// address"),
    (("--url", "upline.example.org"), "must be an https:// address"),
])
def test_a_missing_or_plain_http_url_is_refused(upline, argv, message):
    ran = upline("manifest", *argv, "--config", str(REPO / "app.yaml"))
    assert ran.code == 1 and message in ran.err and ran.out == ""


def test_a_url_with_the_path_or_a_prefix_is_used_as_given():
    for url, expected in [(f"{URL}/slack/events", f"{URL}/slack/events"),
                          (f"{URL}/upline/", f"{URL}/upline/slack/events")]:
        manifest = build_manifest(Registered([("command", "/ask")]), CONFIG, url=url, socket_mode=False, methods=[])
        assert manifest["features"]["slash_commands"][0]["url"] == expected


def test_an_invalid_config_is_reported_with_locations(upline, tmp_path):
    broken = tmp_path / "app.yaml"
    broken.write_text("project: Acme\nlead: U0LEAD\ncore: {maintainers: []}\nareas: [{key: nn}]\n")
    ran = upline("manifest", "--url", URL, "--config", str(broken))
    assert ran.code == 1
    assert re.search(r"^error: .*app\.yaml:3 core\.maintainers: ", ran.err, re.M), ran.err


# -- helpers ---------------------------------------------------------------------------------------


def manifest_for(built: Upline) -> dict:
    return build_manifest(record_listeners(handlers.Deps.of(built)), CONFIG, url=URL, socket_mode=False,
                          methods=called_methods(app_sources()))


def out_of_step(built: Upline, manifest: dict) -> list[str]:
    """What the manifest and the Bolt app's listeners disagree on, asked of Bolt's own matchers."""
    listeners = list(built.bolt._async_listeners)
    recorded = record_listeners(handlers.Deps.of(built)).listeners
    problems = []
    if len(listeners) != len(recorded):
        problems.append(f"{len(listeners)} listeners on the app, {len(recorded)} registered through handlers")
    for (kind, key), listener in zip(recorded, listeners, strict=False):
        probe = _probe(kind, key)
        if probe is not None and not _matches(listener, probe):
            problems.append(f"listener {_name(listener)} is not for the {kind} {key!r} it was recorded as")
    probes = [(command["command"], _probe("command", command["command"]))
              for command in manifest["features"].get("slash_commands", [])]
    probes += [(event, _probe("event", event))
               for event in manifest["settings"].get("event_subscriptions", {}).get("bot_events", [])]
    for name, probe in probes:
        if not any(_matches(listener, probe) for listener in listeners):
            problems.append(f"the manifest subscribes to {name} but no listener answers it")
    clicks = manifest["settings"]["interactivity"]["is_enabled"]
    for index, listener in enumerate(listeners):
        interactive = index < len(recorded) and recorded[index][0] in ("action", "view", "options")
        if not any(_matches(listener, probe) for _, probe in probes) and not (interactive and clicks):
            problems.append(f"listener {_name(listener)} answers something the manifest does not subscribe to")
    return problems


def _name(listener) -> str:
    return listener.ack_function.__name__


def _probe(kind: str, key) -> dict | None:
    if kind == "command":
        return {"command": key, "text": "", "user_id": "U0PROBE", "channel_id": "C0PROBE", "team_id": "T0PROBE"}
    if kind == "event":  # a Bolt event type (`message`) or a bot event (`message.channels`)
        event_type, _, channel_type = str(key).partition(".")
        event = {"type": event_type, "user": "U0PROBE", "channel": "C0PROBE", "ts": "1.000001", "text": ""}
        if channel_type:
            event["channel_type"] = {"channels": "channel", "groups": "group"}.get(channel_type, channel_type)
        return {"type": "event_callback", "team_id": "T0PROBE", "event": event}
    if kind == "action" and isinstance(key, str):
        return {"type": "block_actions", "actions": [{"action_id": key, "block_id": "probe", "type": "button"}]}
    if kind == "view" and isinstance(key, str):
        return {"type": "view_submission", "view": {"type": "modal", "callback_id": key, "id": "V0PROBE"}}
    return None  # a pattern: nothing to build a probe from


def _matches(listener, body: dict | None) -> bool:
    if body is None:
        return False
    request = AsyncBoltRequest(body=body, mode="socket_mode")  # socket mode: nothing to sign
    primary = listener.matchers[0]  # Bolt puts the kind-and-name matcher first, custom ones after
    return asyncio.run(primary.async_matches(request, BoltResponse(status=404)))

