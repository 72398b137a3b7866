"""`upline sandbox`, assembled: the real Upline, the Slack stand-in and the page, talking over real HTTP.

    page server (one port)                                      Upline (a free internal port)
      /            the page (bot/sandbox/page/)
      /sandbox/…   the page's backend ── signed requests ──▶    /slack/events
      /api/…       the Web API stand-in ◀── slack_sdk calls ──  handlers, outbox worker

Upline is built by `create_upline` exactly as `upline run` builds it, with its SLACK_API_URL pointed
at the stand-in and an `OffsetClock` the page's "+1h" buttons move. The clock's offset is kept in the
database at every move and resumed at start, so tickets' times never run backwards and `upline status`
and `upline report` on the sandbox's database read the time the page shows. The workspace is filled
from app.yaml, plus two askers who maintain nothing and a #general channel.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable
from dataclasses import asdict
from datetime import timedelta
from pathlib import Path

from sqlalchemy.exc import SQLAlchemyError
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import FileResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

import handlers
from bot.app import Upline, create_upline, sweep_all
from bot.clock import OFFSET_SETTING, OffsetClock
from bot.config.schema import Config
from bot.domain.hierarchy import HierarchyChange
from bot.manifest import COMMAND_TEXT, ListenerRecorder
from bot.sandbox.models import Change
from bot.sandbox.openapi import OpenApiCatalog
from bot.sandbox.page_api import BotLine, ChangeFeed, Notes, PageContext, create_page_routes
from bot.sandbox.populate import populate
from bot.sandbox.signed_requests import SlackRequests
from bot.sandbox.slack_api import create_slack_api
from bot.sandbox.workspace import Workspace
from bot.serve import ServerThread
from bot.settings import Settings
from storage.migrate import upgrade

log = logging.getLogger(__name__)
PAGE = Path(__file__).resolve().parent / "page"
GENERAL = ("C0GENERAL", "general")
# (id, handle, name, time zone): people who ask but maintain nothing, so the page can act as one.
ASKERS = (("U0ASKER", "asker", "Alex Asker", "Europe/Berlin"),
          ("U0NEWCOMER", "newcomer", "Sam Newcomer", "Asia/Kolkata"))


def build_workspace(config: Config, clock: OffsetClock) -> Workspace:
    # Message timestamps follow the bot's clock, so "ack by 17:00" and a message's time agree on the page.
    workspace = Workspace(wall_clock=lambda: clock.now().timestamp())
    populate(workspace, config)
    for user_id, handle, name, tz in ASKERS:
        workspace.add_user(user_id, handle, real_name=name, tz=tz)
    workspace.add_channel(*GENERAL)
    return workspace


def listened_to(upline: Upline) -> tuple[dict[str, tuple[str, str]], frozenset[str]]:
    """The slash commands (with their help) and event types Upline's handlers register: what Slack,
    configured from Upline's manifest, would send it."""
    recorder = ListenerRecorder()
    handlers.register_all(recorder, handlers.Deps.of(upline))  # type: ignore[arg-type]
    registered = recorder.registered
    commands = {c: COMMAND_TEXT.get(c, ("", "")) for c in registered.keys("command") if isinstance(c, str)}
    return commands, frozenset(e for e in registered.keys("event") if isinstance(e, str))


class Sandbox:
    """`with Sandbox(config, "sqlite:///x.db", port=0) as sandbox:` then open `sandbox.url`."""

    def __init__(self, config: Config, database_url: str, *, port: int = 3000, openapi: OpenApiCatalog | None = None,
                 clock: OffsetClock | None = None, config_path: str | Path | None = None):
        self.config, self.database_url, self.port, self.openapi = config, database_url, port, openapi
        self.clock = clock or OffsetClock()
        self.workspace = build_workspace(config, self.clock)
        self.feed = ChangeFeed()
        self.notes = Notes(lambda: self.clock.now().timestamp(), self.feed.publish)
        secret = secrets.token_hex(16)  # a new app per run: only this process can sign for it
        self.line = BotLine(self.workspace, SlackRequests(secret, team_id=self.workspace.team_id,
                                                          app_id=self.workspace.app_id))
        self.context = PageContext(self.workspace, config, self.clock, self._wake, self.line, self.notes, self.feed,
                                   commands={}, events=frozenset(),
                                   config_path=None if config_path is None else str(config_path))
        self.upline: Upline | None = None
        self._page_server: ServerThread | None = None
        self._bot_server: ServerThread | None = None
        self._unsubscribe = self.workspace.subscribe(self._changed)

    @property
    def url(self) -> str:
        if self._page_server is None:
            raise RuntimeError("the sandbox has not been started")
        return self._page_server.url

    def start(self) -> Sandbox:
        upgrade(self.database_url)
        # The page server first: its port is the Web API's address, which Upline is built with.
        self._page_server = ServerThread(self._page_app(), port=self.port).start()
        self.context.origin = self.url
        try:
            settings = Settings(bot_token=self.workspace.bot_token, signing_secret=self.line.signer.signing_secret,
                                slack_api_url=f"{self.url}/api/", database_url=self.database_url)
            self.upline = create_upline(settings, clock=self.clock, config=self.config)
            self._keep_clock(self.upline.unit_of_work)
            self.context.commands, self.context.events = listened_to(self.upline)
            self.context.pending_changes = self._pending_changes
            self.context.unit_of_work = self.upline.unit_of_work
            self.context.next_digest, self.context.sweep = self.upline.digests.next_due, self._sweep
            self._bot_server = ServerThread(self.upline.asgi()).start()
            self.line.url = f"{self._bot_server.url}/slack/events"
            self.upline.start(self._bot_server.loop)
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self) -> None:
        """The streams end, then Upline's loops (their deliveries run on the bot server's event loop, so
        before that server), then the bot server (uvicorn waits for open responses), then the stand-in."""
        self.feed.close()
        if self.upline is not None:
            self.upline.stop()  # its loops finish their run, which may still call the stand-in
        if self._bot_server is not None:
            self._bot_server.stop()
        if self._page_server is not None:
            self._page_server.stop()
        self._unsubscribe()

    def __enter__(self) -> Sandbox:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def _sweep(self, now) -> None:
        """Every deadline due at `now`, as Upline's background sweeper would sweep them at that moment."""
        upline = self.upline
        sweep_all(upline.tickets, upline.decisions, now, upline.nominations, upline.elections, upline.digests)

    def _keep_clock(self, unit_of_work: Callable) -> None:
        """Resume the clock where the sandbox on this database left it; store its offset at every move."""
        with unit_of_work(read_only=True) as uow:
            stored = timedelta(seconds=float(uow.settings.get(OFFSET_SETTING, 0)))
        if stored > self.clock.offset:
            self.clock.advance(stored - self.clock.offset)

        def store(offset: timedelta) -> None:
            try:
                with unit_of_work() as uow:
                    uow.settings.put(OFFSET_SETTING, offset.total_seconds(), now=self.clock.now())
                    uow.commit()
            except SQLAlchemyError:  # the page's clock still moved; only the CLI would lag behind it
                log.warning("could not store the sandbox clock's offset", exc_info=True)

        if self.clock.offset != stored:
            store(self.clock.offset)
        self.clock.when_advanced(store)

    def _pending_changes(self) -> list[HierarchyChange]:
        with self.upline.unit_of_work(read_only=True) as uow:
            return uow.hierarchy.pending()

    def _wake(self) -> None:
        if self.upline is not None:
            self.upline.background.wake()

    def _changed(self, change: Change) -> None:
        if change.kind == "ephemeral_posted":  # the bot's chat.postEphemeral: the page keeps its own copy
            posted = next(e for e in self.workspace.ephemerals(change.user) if e.message_ts == change.ts)
            self.notes.add(posted.channel, posted.user, text=posted.text, blocks=posted.blocks,
                           thread_ts=posted.thread_ts, ts=posted.message_ts, key=f"e{posted.message_ts}")
        self.feed.publish(asdict(change))

    def _page_app(self) -> Starlette:
        return Starlette(routes=[
            Route("/", index, methods=["GET"]),
            Route("/archives/{channel}/{message}", permalink, methods=["GET"]),
            *create_page_routes(self.context),
            Mount("/page", StaticFiles(directory=PAGE)),
            Mount("", create_slack_api(self.workspace, openapi=self.openapi)),  # /api/{method}
        ])


async def index(request: Request) -> Response:
    return FileResponse(PAGE / "index.html", headers={"Cache-Control": "no-cache"})


async def permalink(request: Request) -> Response:
    """A permalink the bot put in a message (`/archives/C…/p1700000000000100`): that message on the page."""
    message = request.path_params["message"].removeprefix("p")
    ts = f"{message[:-6]}.{message[-6:]}"
    thread = request.query_params.get("thread_ts")
    return RedirectResponse(f"/?channel={request.path_params['channel']}&ts={thread or ts}", status_code=302)
