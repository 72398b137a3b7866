"""The real Upline app on its production HTTP server, talking to a stand-in Slack over real HTTP.

`world` starts the Slack Web API stand-in, builds Upline with a fake clock on a real database
(SQLite, and PostgreSQL when UPLINE_TEST_DATABASE_URL is set), serves it with uvicorn on a free port,
and sends it requests signed exactly as Slack signs them. Background loops are not started: tests
move time with `world.advance()`, which sweeps and delivers the outbox at once, deterministically.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest

from bot.app import Upline, create_upline, sweep_all
from bot.clock import FakeClock
from bot.config import load_config_file
from bot.sandbox.openapi import OpenApiCatalog
from bot.sandbox.populate import populate
from bot.sandbox.signed_requests import SignedRequest, SlackRequests
from bot.sandbox.slack_api import SlackApiServer
from bot.sandbox.workspace import Workspace
from bot.serve import ServerThread
from bot.services.outbox_worker import deliver_due
from bot.services.pacing import Unpaced
from bot.settings import Settings
from storage.engine import make_engine
from storage.migrate import upgrade
from tests.storage.conftest import database_url  # noqa: F401  (fixture)

REPO = Path(__file__).resolve().parents[2]
SPEC = REPO.parent / "shared" / "data" / "slack" / "slack_web_openapi_v2_without_examples.json"
BOT_TOKEN = "xoxb-upline-test"
SIGNING_SECRET = "test-signing-secret"
START = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)  # a Monday morning
ASKER = "U0ASKER"
STRANGER = "U0STRANGER"


@dataclass
class World:
    upline: Upline
    clock: FakeClock
    slack: SlackApiServer
    server: ServerThread
    requests: SlackRequests
    http: httpx.Client

    @property
    def workspace(self) -> Workspace:
        return self.slack.workspace

    def send(self, request: SignedRequest) -> httpx.Response:
        return self.http.post(f"{self.server.url}/slack/events", content=request.body, headers=request.headers)

    def command(self, command: str, text: str, *, user: str = ASKER, channel: str = "C0GENERAL") -> httpx.Response:
        return self.send(self.requests.command(command, text, user=user, channel=channel))

    def deliver(self) -> None:
        """Deliver everything the outbox holds now (as the outbox worker would)."""
        for _ in range(20):
            report = self.server.call(deliver_due(self.upline.unit_of_work, self.upline.notifier, self.clock.now()))
            if report.handled == 0:
                return

    def advance(self, by: timedelta) -> None:
        """Move the clock, then sweep and deliver, as the background loops would."""
        self.clock.advance(by)
        sweep_all(self.upline.tickets, self.upline.decisions, self.clock.now(), self.upline.nominations,
                  self.upline.elections, self.upline.digests)
        self.deliver()

    def calls(self, method: str) -> list:
        return [call for call in self.workspace.calls if call.method == method]


def ticket(world: World, number: int = 1):
    """Ticket #number as the database has it now."""
    with world.upline.unit_of_work(read_only=True) as uow:
        return uow.tickets.get(number)


def events(world: World, number: int = 1):
    """Ticket #number's history as the database has it now."""
    with world.upline.unit_of_work(read_only=True) as uow:
        return uow.events.for_ticket(number)


@pytest.fixture
def world_config():
    """The config the world runs: the repository's app.yaml (a test module may override this fixture)."""
    return load_config_file(REPO / "app.yaml").config


@pytest.fixture
def world_pacing():
    """Upline's budget for Slack's limits, given the world's clock: none, as the stand-in enforces none
    (tests of pacing override this fixture, and turn on the stand-in's limits)."""
    return lambda clock: Unpaced()


@pytest.fixture
def world_limits():
    """Slack's rate limits for the stand-in to enforce (a `SlackRateLimits`), or None: it answers at once."""
    return None


@pytest.fixture
def world(database_url, tmp_path, world_config, world_pacing, world_limits):  # noqa: F811 (the fixture above)
    upgrade(database_url)
    config = world_config
    clock = FakeClock(START)
    # Slack's rate limits, when a test turns them on, run on the world's clock like everything else.
    workspace = Workspace(bot_token=BOT_TOKEN, rate_limits=world_limits,
                          monotonic=(lambda: clock.now().timestamp()) if world_limits else time.monotonic)
    populate(workspace, config, extra_users={ASKER: "asker", STRANGER: "stranger"})
    workspace.add_channel("C0GENERAL", "general")
    with SlackApiServer(workspace, openapi=OpenApiCatalog.load(SPEC) if SPEC.exists() else None) as slack:
        settings = Settings(bot_token=BOT_TOKEN, signing_secret=SIGNING_SECRET, slack_api_url=slack.base_url,
                            database_url=database_url)
        upline = create_upline(settings, clock=clock, config=config, engine=make_engine(database_url),
                               pacing=world_pacing(clock))
        with ServerThread(upline.asgi()) as server, httpx.Client(timeout=10) as http:
            requests = SlackRequests(SIGNING_SECRET, triggers=workspace.issue_trigger)
            yield World(upline, clock, slack, server, requests, http)
            upline.loop = server.loop  # so that stop() closes the notifier's session on it
            upline.stop()
        assert workspace.contract_violations == [], "calls that Slack's OpenAPI description rejects"
