"""The composition root: the one place where Upline's parts are built and wired together.

Nothing is built at import time. `create_upline` takes the settings and, optionally, the parts a test
or the sandbox wants to choose itself (a fake clock, a loaded config, an engine), and returns an
`Upline` whose `asgi()` serves Slack over HTTP and whose `start(loop)`/`stop()` run the sweeper and the
outbox worker. The outbox worker delivers on `loop`, the event loop that serves Slack's requests.
`reload_config()` serves an edited app.yaml from the next request on (`upline run` calls it on SIGHUP).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from slack_bolt.async_app import AsyncApp
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
    AsyncServerErrorRetryHandler,
)
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy import Engine

import handlers
from bot.clock import Clock, SystemClock
from bot.config import Config, ConfigError, load_config_file
from bot.in_flight import InFlight
from bot.metrics import Metrics
from bot.reporting.activity import History, inactive_since, last_active
from bot.scheduler import AsyncLoop, Background, Loop
from bot.services.decisions import DecisionService
from bot.services.digests import DigestService
from bot.services.elections import ElectionService
from bot.services.nominations import NominationService
from bot.services.outbox_worker import BATCH, DeliveryReport, deliver_due
from bot.services.pacing import SlackPacing, Unpaced
from bot.services.tickets import TicketService
from bot.settings import Settings
from handlers.delivery import SlackNotifier
from handlers.door import CheckedAtTheDoor
from storage.engine import checkpoint, make_engine, make_session_factory
from storage.migrate import check_schema
from storage.unit_of_work import SqlUnitOfWork

log = logging.getLogger(__name__)

CHECKPOINT_EVERY = timedelta(seconds=0.25)


@dataclass
class Upline:
    settings: Settings
    config: Config
    clock: Clock
    engine: Engine
    tickets: TicketService
    bolt: AsyncApp
    background: Background
    metrics: Metrics
    notifier: SlackNotifier
    unit_of_work: object = field(repr=False, default=None)
    decisions: DecisionService | None = None
    nominations: NominationService | None = None
    elections: ElectionService | None = None
    digests: DigestService | None = None
    in_flight: InFlight = field(default_factory=InFlight)
    loop: asyncio.AbstractEventLoop | None = field(repr=False, default=None)
    config_loaded_at: datetime | None = None  # when `config` was loaded: at start, or at its last reload

    def start(self, loop: asyncio.AbstractEventLoop) -> None:
        """Start the loops; deliveries run on `loop` (the one serving Slack), which must be running."""
        self.loop = loop
        self.background.start(loop)

    def stop(self) -> None:
        """Stop the loops, close the Slack session if its event loop still runs, close the database."""
        self.background.stop()
        if self.loop is not None and self.loop.is_running():
            with contextlib.suppress(Exception):  # stopping: a session that cannot close is closed by exit
                asyncio.run_coroutine_threadsafe(self.notifier.close(), self.loop).result(5)
        self.engine.dispose()

    @contextlib.asynccontextmanager
    async def running(self) -> AsyncIterator[None]:
        """`start` on the current event loop; on leaving, the loops stop and the Slack session closes."""
        self.start(asyncio.get_running_loop())
        try:
            yield
        finally:
            await asyncio.to_thread(self.background.stop)  # in a thread: it waits for a delivery on this loop
            await self.notifier.close()

    def reload_config(self, path: str | Path | None = None) -> list[str]:
        """Serve the app.yaml at `path` (default: the one Upline started with) from the next request and
        the next delivery on. Returns the errors that refused it, each located; [] once it is served.

        A file with errors changes nothing: the config loaded before keeps serving. A new ticket takes
        the new ladder and SLA policy; an open ticket keeps the policy it copied when it opened (DESIGN.md,
        decision 3) but climbs the new ladder — its rung is looked up by name at every step, so a
        maintainer added to its area can acknowledge it and gets its next reminder, one removed no longer
        can, and a rung the config no longer has sits below the first one (the next breach lands on the
        new ladder's lowest rung). Decisions keep the settings and voters they copied; the next round
        takes the new groups.

        Each part that reads the config — the ticket and decision services, the notifier, the handlers
        through `Deps.config` (the ticket service's) — is handed the new one by its `reload`, which
        rebuilds what it derives from it. That keeps the plain `config` attribute every part already
        reads, rather than a holder threaded through all of them. The swap is plain assignments with no
        await between them, so on the event loop — where `upline run` calls this — no request or delivery
        sees it half done; a service call already running in a worker thread may finish on the old config.
        """
        try:
            loaded = load_config_file(path or self.settings.config_path)
        except ConfigError as error:
            return [problem.located(error.source) for problem in error.errors]
        if loaded.warnings:
            log.warning("%s: %d warnings; `upline check %s` lists them", loaded.source, len(loaded.warnings),
                        loaded.source)
        config = loaded.config
        self.tickets.reload(config)
        if self.decisions is not None:
            self.decisions.reload(config)
        if self.nominations is not None:
            self.nominations.reload(config)
        if self.elections is not None:
            self.elections.reload(config)
        if self.digests is not None:
            self.digests.reload(config)
        self.notifier.reload(config)
        self.config, self.config_loaded_at = config, self.clock.now()
        return []

    def asgi(self):
        from bot.web import create_web_app  # the HTTP face is only built when it is served

        return create_web_app(self)


def create_upline(settings: Settings, *, clock: Clock | None = None, config: Config | None = None,
                  engine: Engine | None = None, check_database: bool = True,
                  pacing: SlackPacing | None = None) -> Upline:
    """`pacing`: Upline's budget for Slack's rate limits (default: Slack's own, on the real clock)."""
    clock = clock or SystemClock()
    config = config or load_config_file(settings.config_path).config
    engine = engine or make_engine(settings.database_url)
    if check_database:
        check_schema(engine)  # refuses, with the one-line fix, a database behind the code
    session_factory = make_session_factory(engine)

    def unit_of_work(**options) -> SqlUnitOfWork:
        return SqlUnitOfWork(session_factory, **options)

    metrics = Metrics(unit_of_work)
    background = Background([])
    tickets = TicketService(config, unit_of_work, on_commit=background.wake, on_recorded=metrics.observe)
    notifier = SlackNotifier(settings.bot_token, settings.slack_api_url, config, unit_of_work, metrics,
                             pacing=pacing or (SlackPacing() if settings.slack_pacing else Unpaced()))
    metrics.watch_pacing(notifier.pacing)
    decisions = DecisionService(config, unit_of_work, tickets, on_commit=background.wake)
    nominations = NominationService(config, unit_of_work, decisions, tickets, on_commit=background.wake,
                                    last_active=lambda now: activity_of(unit_of_work, tickets.config, now))
    elections = ElectionService(config, unit_of_work, decisions, tickets, on_commit=background.wake)
    digests = DigestService(config, unit_of_work, decisions, on_commit=background.wake,
                            last_active=lambda now: activity_of(unit_of_work, tickets.config, now))
    background.add(Loop("sweeper", lambda now: sweep_all(tickets, decisions, now, nominations, elections, digests),
                        clock))
    if engine.dialect.name == "sqlite":  # see storage.engine: commits no longer checkpoint the WAL themselves
        background.add(Loop("checkpointer", lambda now: _checkpoint(engine, now), SystemClock()))
    bolt = AsyncApp(
        signing_secret=settings.signing_secret or "",
        # The token goes to Bolt itself, which builds its client from it. Handing Bolt a client of our
        # own instead made it warn "token will be unused" at every start: Bolt also reads
        # SLACK_BOT_TOKEN from the environment, and a client plus a token is one token too many.
        token=settings.bot_token,
        # Ack inside the request: Bolt's default runner polls for ack() and adds ~10 ms to every
        # request (DESIGN.md, "Measured facts"); slow work goes to the outbox instead.
        process_before_response=True,
        # Right after Bolt's signature check: what the door would not let in is answered there.
        before_authorize=CheckedAtTheDoor(),
    )
    _point_at_slack(bolt.client, settings)
    upline = Upline(settings, config, clock, engine, tickets, bolt, background, metrics, notifier, unit_of_work,
                    decisions, nominations, elections, digests, config_loaded_at=clock.now())
    background.add(AsyncLoop("outbox", lambda now: deliver_pass(upline, now), clock))
    handlers.register_all(bolt, handlers.Deps.of(upline))
    return upline


def _point_at_slack(client: AsyncWebClient, settings: Settings) -> None:
    """Bolt's client (and the per-request copies Bolt makes of it) call `SLACK_API_URL`, with retries."""
    client.base_url = settings.slack_api_url
    client.retry_handlers = [AsyncConnectionErrorRetryHandler(), AsyncRateLimitErrorRetryHandler(max_retry_count=2),
                             AsyncServerErrorRetryHandler(max_retry_count=2)]


def sweep_all(tickets: TicketService, decisions: DecisionService, now: datetime,
              nominations: NominationService | None = None,
              elections: ElectionService | None = None, digests: DigestService | None = None) -> datetime | None:
    """One sweep of every deadline: the tickets' clocks, the decisions', the nominations' (the review,
    the reminders of a request for information), the elections' phases, then the weekly digests; when
    the next one is due."""
    due = [tickets.sweep_due(now), decisions.sweep_due(now), nominations.sweep_due(now) if nominations else None,
           elections.sweep_due(now) if elections else None, digests.sweep_due(now) if digests else None]
    return min((moment for moment in due if moment is not None), default=None)


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def activity_of(unit_of_work, config: Config, now: datetime) -> dict[str, datetime]:
    """When each maintainer last took part, for the nominations review: their latest act in Upline's whole
    history, or — never active — the history's start (bot.reporting.activity); nobody without a history."""
    with unit_of_work(read_only=True) as uow:
        decisions = uow.decisions.since(_EPOCH)
        history = History(tickets=uow.tickets.opened_since(_EPOCH),
                          ticket_events=uow.events.for_tickets_opened_since(_EPOCH), decisions=decisions,
                          decision_events={d.number: uow.events.for_ticket(d.number) for d in decisions})
    latest = last_active(history, now, config)
    seen = {person: inactive_since(last, history.started_at) for person, last in latest.items()}
    return {person: moment for person, moment in seen.items() if moment is not None}


def _checkpoint(engine: Engine, now: datetime) -> datetime:
    checkpoint(engine)
    return now + CHECKPOINT_EVERY


async def deliver_counted(upline: Upline, now: datetime) -> DeliveryReport:
    """One outbox pass, its waits and queues told to /metrics."""
    report = await deliver_due(upline.unit_of_work, upline.notifier, now, pause=upline.in_flight.yield_to_requests)
    upline.metrics.delivered(report)
    return report


async def deliver_pass(upline: Upline, now: datetime) -> datetime | None:
    """One outbox pass; come back at once while there was a full batch, else when a retry is due."""
    report = await deliver_counted(upline, now)
    if report.handled >= BATCH:
        return now
    with upline.unit_of_work(read_only=True) as uow:
        return uow.outbox.next_attempt_at()
