"""Socket Mode: Upline dials Slack's websocket and answers envelopes over it, acking as over HTTP.

Slack's side is a local websocket server (aiohttp) that the Web API stand-in's `apps.connections.open`
hands out, as slack.com hands out its wss:// URLs; it sends the `hello` and the envelopes Slack sends
and reads back the acks. The app under test is the real one, connected by `bot.socket_mode`.
"""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, replace

import httpx
import pytest
from aiohttp import WSMsgType, web

from bot.app import Upline, create_upline
from bot.clock import FakeClock
from bot.config import load_config_file
from bot.sandbox.populate import populate
from bot.sandbox.slack_api import OpenApiCatalog, SlackApiServer
from bot.sandbox.workspace import Workspace
from bot.settings import Settings
from bot.socket_mode import SocketModeConnection, SocketModeUnavailable
from storage.engine import make_engine
from storage.migrate import upgrade
from tests.slack.conftest import ASKER, BOT_TOKEN, REPO, SPEC, START

APP_TOKEN = "xapp-1-A0UPLINE-1-socket-test"
WAIT = 5  # seconds for anything that should take milliseconds


class SlackSocket:
    """Slack's end of Socket Mode: greets each connection with `hello`, sends envelopes, collects acks."""

    def __init__(self) -> None:
        self.connections: list[web.WebSocketResponse] = []  # every one the app opened, oldest first
        self.received: asyncio.Queue[dict] = asyncio.Queue()
        self.url = ""
        self._runner: web.AppRunner | None = None

    async def __aenter__(self) -> SlackSocket:
        app = web.Application()
        app.router.add_get("/link", self._link)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", 0).start()
        host, port = self._runner.addresses[0][:2]
        self.url = f"ws://{host}:{port}/link?ticket={uuid.uuid4().hex}"  # slack.com's URLs carry a ticket too
        return self

    async def __aexit__(self, *exc_info) -> None:
        await self._runner.cleanup()

    async def _link(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()  # answers the client's pings itself, as Slack does
        await ws.prepare(request)
        await ws.send_json({"type": "hello", "num_connections": 1, "connection_info": {"app_id": "A0UPLINE"},
                            "debug_info": {"host": "local", "approximate_connection_time": 18060}})
        self.connections.append(ws)
        async for message in ws:
            if message.type == WSMsgType.TEXT:
                self.received.put_nowait(json.loads(message.data))
        return ws

    async def connection(self, number: int = 1) -> web.WebSocketResponse:
        """The `number`th connection the app opened, once it has."""
        await _until(lambda: len(self.connections) >= number)
        return self.connections[number - 1]

    async def send(self, envelope: dict) -> dict:
        """Send an envelope on the newest connection and return the app's ack for it."""
        ws = await self.connection(len(self.connections) or 1)
        await ws.send_json(envelope)
        while True:
            reply = await asyncio.wait_for(self.received.get(), WAIT)
            if reply.get("envelope_id") == envelope["envelope_id"]:
                return reply


@dataclass
class SocketWorld:
    upline: Upline
    slack: SlackApiServer

    @property
    def workspace(self) -> Workspace:
        return self.slack.workspace


@pytest.fixture
def socket_world(database_url) -> Iterator[SocketWorld]:  # database_url: tests/slack/conftest.py
    upgrade(database_url)
    config = load_config_file(REPO / "app.yaml").config
    workspace = Workspace(bot_token=BOT_TOKEN, app_token=APP_TOKEN)
    populate(workspace, config, extra_users={ASKER: "asker"})
    workspace.add_channel("C0GENERAL", "general")
    with SlackApiServer(workspace, openapi=OpenApiCatalog.load(SPEC) if SPEC.exists() else None) as slack:
        # No signing secret: Socket Mode needs none, as `upline run` allows.
        settings = Settings(bot_token=BOT_TOKEN, app_token=APP_TOKEN, slack_api_url=slack.base_url,
                            database_url=database_url)
        upline = create_upline(settings, clock=FakeClock(START), config=config, engine=make_engine(database_url))
        yield SocketWorld(upline, slack)
        upline.stop()
        assert workspace.contract_violations == [], "calls that Slack's OpenAPI description rejects"


def slash_command(text: str, command: str = "/ask") -> dict:
    """A slash command as Socket Mode delivers it: the same fields as the HTTP form, as JSON."""
    return {
        "envelope_id": str(uuid.uuid4()), "type": "slash_commands", "accepts_response_payload": True,
        "payload": {
            "token": "legacy-verification-token", "team_id": "T0UPLINE", "team_domain": "upline",
            "channel_id": "C0GENERAL", "channel_name": "general", "user_id": ASKER, "user_name": "asker",
            "command": command, "text": text, "api_app_id": "A0UPLINE", "is_enterprise_install": "false",
            "response_url": "http://127.0.0.1:9/response/x", "trigger_id": "1.2.3",
        },
    }


def test_a_slash_command_over_the_socket_opens_the_ticket_and_acks_on_the_socket(socket_world):
    async def scenario() -> tuple[dict, float]:
        async with SlackSocket() as socket:
            socket_world.workspace.socket_mode_url = socket.url
            connection = SocketModeConnection(socket_world.upline)
            await connection.open()
            try:
                envelope = slash_command("nn How do I register a forward hook on a ModuleList?")
                started = time.monotonic()
                ack = await socket.send(envelope)
                return ack | {"sent": envelope["envelope_id"]}, time.monotonic() - started
            finally:
                await connection.close()

    ack, seconds = asyncio.run(scenario())
    assert ack["envelope_id"] == ack["sent"]
    assert "#1" in ack["payload"]["text"] and "nn" in ack["payload"]["text"]
    assert seconds < 3  # Slack's ack window
    ticket, _ = socket_world.upline.tickets.timeline(1)
    assert (ticket.area, ticket.asker) == ("nn", ASKER)
    opened = [call for call in socket_world.slack.calls if call.method == "apps.connections.open"]
    assert [call.token for call in opened] == [APP_TOKEN]  # asked with the app token, at SLACK_API_URL


def test_when_slack_asks_it_to_reconnect_it_gets_a_new_url_from_slack_api_url(socket_world):
    async def scenario() -> tuple[dict, bool]:
        async with SlackSocket() as socket:
            socket_world.workspace.socket_mode_url = socket.url
            connection = SocketModeConnection(socket_world.upline)
            await connection.open()
            try:
                first = await socket.connection(1)
                # What Slack sends a few seconds before it recycles a connection (every few hours).
                await first.send_json({"type": "disconnect", "reason": "refresh_requested",
                                       "debug_info": {"host": "local"}})
                await socket.connection(2)
                return await socket.send(slash_command("nn Does the hook run under no_grad?")), first.closed
            finally:
                await connection.close()

    ack, first_closed = asyncio.run(scenario())
    assert "#1" in ack["payload"]["text"]
    assert first_closed
    opened = [call for call in socket_world.slack.calls if call.method == "apps.connections.open"]
    assert [call.token for call in opened] == [APP_TOKEN, APP_TOKEN]


def test_a_user_error_is_acked_privately_over_the_socket(socket_world):
    async def scenario() -> dict:
        async with SlackSocket() as socket:
            socket_world.workspace.socket_mode_url = socket.url
            connection = SocketModeConnection(socket_world.upline)
            await connection.open()
            try:
                return await socket.send(slash_command("#999", command="/ack"))
            finally:
                await connection.close()

    ack = asyncio.run(scenario())
    assert "#999" in ack["payload"]["text"]


def test_a_refused_app_token_fails_at_once_with_the_reason(socket_world):
    socket_world.workspace.app_token = "xapp-some-other-app"

    async def scenario() -> None:
        await SocketModeConnection(socket_world.upline, connect_timeout=WAIT).open()

    started = time.monotonic()
    with pytest.raises(SocketModeUnavailable, match="invalid_auth"):
        asyncio.run(scenario())
    assert time.monotonic() - started < WAIT  # no retrying a token Slack refused


def test_an_unreachable_slack_fails_at_once_with_the_address(socket_world):
    nowhere = "http://127.0.0.1:9/api/"  # the discard port: nothing listens there
    socket_world.upline.settings = replace(socket_world.upline.settings, slack_api_url=nowhere)
    with pytest.raises(SocketModeUnavailable, match=f"cannot reach Slack's Socket Mode at {nowhere}"):
        asyncio.run(SocketModeConnection(socket_world.upline, connect_timeout=WAIT).open())


def test_health_says_when_the_socket_is_down_and_slack_events_is_not_served(socket_world):
    async def scenario() -> list[tuple[int, str]]:
        connection = SocketModeConnection(socket_world.upline)
        transport = httpx.ASGITransport(app=connection.health_app())
        async with SlackSocket() as socket, httpx.AsyncClient(transport=transport, base_url="http://upline") as http:
            socket_world.workspace.socket_mode_url = socket.url
            seen = [await http.get("/healthz")]
            await connection.open()
            async with socket_world.upline.running():
                for loop in socket_world.upline.background.loops.values():
                    await _until(lambda loop=loop: loop.last_run is not None)
                seen += [await http.get("/healthz"), await http.get("/metrics"), await http.post("/slack/events")]
                await connection.close()
                seen.append(await http.get("/healthz"))
        return [(response.status_code, response.text) for response in seen]

    down, up, metrics, events, closed = asyncio.run(scenario())
    assert down == (503, "unhealthy: the Socket Mode connection to Slack is down\n")
    assert up == (200, "ok\n")
    assert metrics[0] == 200 and "upline_outbox_depth" in metrics[1]
    assert events[0] == 404
    assert closed[0] == 503


async def _until(condition, deadline: float = WAIT) -> None:
    give_up = time.monotonic() + deadline
    while not condition():
        assert time.monotonic() < give_up, "timed out"
        await asyncio.sleep(0.01)


# -- each envelope is handled once --------------------------------------------------------------------

SOUMITH = "U0SOUMITH"  # the lead: may escalate at any rung


def escalate_click(ticket: int = 1, user: str = SOUMITH) -> dict:
    """The ping's Escalate button as Socket Mode delivers it: handled twice, a ticket would climb twice."""
    return {
        "envelope_id": str(uuid.uuid4()), "type": "interactive", "accepts_response_payload": False,
        "payload": {
            "type": "block_actions", "team": {"id": "T0UPLINE"}, "user": {"id": user, "team_id": "T0UPLINE"},
            "api_app_id": "A0UPLINE", "trigger_id": "1.2.3", "response_url": "http://127.0.0.1:9/response/y",
            "container": {"type": "message", "channel_id": "C0NN", "message_ts": "1700000000.000100"},
            "channel": {"id": "C0NN"}, "message": {"ts": "1700000000.000100", "type": "message"},
            "actions": [{"type": "button", "action_id": "ticket_escalate", "block_id": "ticket_actions",
                         "value": str(ticket), "action_ts": "1700000001.000200"}],
        },
    }


def mention_event(text: str) -> dict:
    return {
        "envelope_id": str(uuid.uuid4()), "type": "events_api", "accepts_response_payload": False,
        "retry_attempt": 0, "retry_reason": "",
        "payload": {
            "token": "legacy-verification-token", "team_id": "T0UPLINE", "api_app_id": "A0UPLINE",
            "type": "event_callback", "event_id": f"Ev{uuid.uuid4().hex[:10].upper()}", "event_time": 1700000000,
            "event": {"type": "app_mention", "user": ASKER, "channel": "C0GENERAL", "ts": "1700000000.000100",
                      "text": f"<@U0UPLINE> ask {text}"},
        },
    }


async def exchange(upline: Upline, workspace: Workspace, envelopes: list[dict]) -> list[dict]:
    """Connect `upline`, send the envelopes one after the other, and return the ack of each."""
    async with SlackSocket() as socket:
        workspace.socket_mode_url = socket.url
        connection = SocketModeConnection(upline)
        await connection.open()
        try:
            return [await socket.send(envelope) for envelope in envelopes]
        finally:
            await connection.close()


def open_tickets(upline: Upline) -> list:
    with upline.unit_of_work(read_only=True) as uow:
        return uow.tickets.list_open()


def test_the_same_slash_command_envelope_twice_opens_one_ticket_and_both_are_acked(socket_world):
    envelope = slash_command("nn How do I register a forward hook on a ModuleList?")
    first, repeat = asyncio.run(exchange(socket_world.upline, socket_world.workspace, [envelope, envelope]))
    assert first["envelope_id"] == repeat["envelope_id"] == envelope["envelope_id"]
    assert "#1" in first["payload"]["text"]
    assert "payload" not in repeat  # acked, with nothing to say: the first ack said it
    assert [ticket.id for ticket in open_tickets(socket_world.upline)] == [1]


def test_an_envelope_handled_before_a_restart_is_dropped_after_it(socket_world, database_url):
    envelope = slash_command("nn Does the hook run under no_grad?")
    asyncio.run(exchange(socket_world.upline, socket_world.workspace, [envelope]))
    restarted = create_upline(socket_world.upline.settings, clock=FakeClock(START), config=socket_world.upline.config,
                              engine=make_engine(database_url))
    try:
        [repeat] = asyncio.run(exchange(restarted, socket_world.workspace, [envelope]))
        assert repeat == {"envelope_id": envelope["envelope_id"]}
        assert [ticket.id for ticket in open_tickets(restarted)] == [1]
    finally:
        restarted.stop()


def test_the_same_interactive_envelope_twice_acts_once(socket_world):
    click = escalate_click()
    acks = asyncio.run(exchange(socket_world.upline, socket_world.workspace,
                                [slash_command("nn Why is my hook not called?"), click, click]))
    assert [ack["envelope_id"] for ack in acks[1:]] == [click["envelope_id"]] * 2
    [ticket] = open_tickets(socket_world.upline)
    assert ticket.level == "core"  # one rung up, not two


def test_the_same_events_api_envelope_twice_acts_once(socket_world):
    envelope = mention_event("nn Why is my hook not called?")
    acks = asyncio.run(exchange(socket_world.upline, socket_world.workspace, [envelope, envelope]))
    assert [ack["envelope_id"] for ack in acks] == [envelope["envelope_id"]] * 2
    assert [ticket.id for ticket in open_tickets(socket_world.upline)] == [1]


def test_different_envelopes_with_the_same_content_each_act(socket_world):
    ask = slash_command("nn How do I register a forward hook on a ModuleList?")
    asked_again = ask | {"envelope_id": str(uuid.uuid4())}  # the same words, asked twice on purpose
    click = escalate_click()
    clicked_again = click | {"envelope_id": str(uuid.uuid4())}
    acks = asyncio.run(exchange(socket_world.upline, socket_world.workspace, [ask, asked_again, click, clicked_again]))
    assert "#1" in acks[0]["payload"]["text"] and "#2" in acks[1]["payload"]["text"]
    assert [(ticket.id, ticket.level) for ticket in open_tickets(socket_world.upline)] == [(1, "lead"), (2, "area:nn")]
