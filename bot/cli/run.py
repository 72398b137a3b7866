"""`upline run [--config F] [--port N] [--no-migrate]`: answer Slack until stopped; SIGTERM or Ctrl+C stop it
cleanly (exit 0); SIGHUP reloads app.yaml.

    $ upline run
    … INFO bot.cli.db: database upgraded from empty to 0002 (head)
    Upline for PyTorch (demo): 7 areas; Slack over HTTP at http://0.0.0.0:3000/slack/events, health at …/healthz
    $ SLACK_APP_TOKEN=xapp-… upline run
    Upline for PyTorch (demo): 7 areas; Slack over Socket Mode, health at http://0.0.0.0:3000/healthz

Settings come from the environment (SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET, SLACK_APP_TOKEN, SLACK_API_URL,
DATABASE_URL, UPLINE_CONFIG, PORT, UPLINE_AUTO_MIGRATE); `--config` and `--port` win over theirs.

First it brings the database schema to head, as `upline db upgrade` does: an empty database (a SQLite
file that is not there yet, too) gets every table, an older schema is migrated, and the log says which.
Replicas starting together on one PostgreSQL migrate once (storage.migrate's lock). With `--no-migrate`
or UPLINE_AUTO_MIGRATE=0 — for teams that migrate as a deploy step — it only checks the schema.

After `upline governance apply`'s change is committed, `kill -HUP <pid>` serves the edited app.yaml
from the next request on, without a restart (open tickets keep their SLA policy: `Upline.reload_config`):

    … INFO bot.cli.run: reloaded app.yaml: 7 areas, 6 core maintainers
    … ERROR bot.cli.run: app.yaml not reloaded: app.yaml:9 core.maintainers: …; keeping the config loaded at …

It refuses to start, exit 1, when a token is missing, when app.yaml has errors (each printed with its
line, as `upline check` does), when the schema is ahead of this Upline (or, with `--no-migrate`, behind
it: one line, run `upline db upgrade`), when the port is taken, or when Slack refuses the Socket Mode
connection.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import signal
import sys
from collections.abc import Iterator, Mapping
from dataclasses import replace

import uvicorn
from sqlalchemy import Engine

from bot.app import create_upline
from bot.cli.check import print_problems
from bot.cli.db import with_current_schema, with_migrated_schema  # a bad database is one line
from bot.config import Config, ConfigError, load_config_file
from bot.serve import on_stop_signals
from bot.settings import Settings
from bot.socket_mode import SocketModeConnection, SocketModeUnavailable

log = logging.getLogger(__name__)

HOST = "0.0.0.0"  # in a container the port is published from here; a laptop's firewall still applies


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser("run", help="answer Slack: over HTTP, or Socket Mode when SLACK_APP_TOKEN is set")
    parser.add_argument("--config", metavar="FILE", default=None,
                        help="the config (default: $UPLINE_CONFIG or ./app.yaml)")
    parser.add_argument("--port", metavar="N", type=int, default=None,
                        help="the HTTP port (default: $PORT or 3000)")
    parser.add_argument("--no-migrate", dest="migrate", action="store_false", default=None,
                        help="do not create or migrate the schema, refuse one that is behind "
                             "(as UPLINE_AUTO_MIGRATE=0 does); run `upline db upgrade` yourself")
    parser.set_defaults(func=run)


def run(args, out=None, err=None, environ: Mapping[str, str] | None = None) -> int:
    out, err = out or sys.stdout, err or sys.stderr
    try:
        settings = Settings.from_env(environ)
    except ValueError as error:  # PORT=abc
        print(f"error: {error}", file=err)
        return 1
    settings = replace(settings, config_path=args.config or settings.config_path,
                       port=settings.port if args.port is None else args.port,
                       auto_migrate=settings.auto_migrate if args.migrate is None else args.migrate)
    if missing := settings.missing_for_run():
        mode = "Socket Mode" if settings.socket_mode else "HTTP mode (or SLACK_APP_TOKEN for Socket Mode)"
        print(f"error: set {' and '.join(missing)} in the environment to run Upline in {mode}", file=err)
        return 1
    with ReloadOnHangup(settings.config_path) as hangups:  # from before the load: no edit's SIGHUP is lost
        config = load_config_or_report(settings.config_path, err)
        if config is None:
            return 1
        _configure_logging()  # before migrating, which logs what it did
        with_schema = with_migrated_schema if settings.auto_migrate else with_current_schema
        return with_schema(settings.database_url, err, lambda engine: serve(settings, config, engine, out, err,
                                                                            hangups))


def load_config_or_report(path: str, err) -> Config | None:
    """The config, or None after printing every error with its location (as `upline check` does)."""
    try:
        loaded = load_config_file(path)
    except ConfigError as error:
        count = print_problems(error, err)
        print(f"{path}: {count} error{'s' if count != 1 else ''}; run `upline check {path}` after fixing", file=err)
        return None
    if loaded.warnings:
        print(f"{path}: {len(loaded.warnings)} warnings; `upline check {path}` lists them", file=err)
    return loaded.config


def serve(settings: Settings, config: Config, engine: Engine, out, err, hangups: ReloadOnHangup) -> int:
    """Run until a signal: uvicorn serves, the background loops sweep and deliver; then stop both."""
    upline = create_upline(settings, config=config, engine=engine, check_database=False)  # already checked
    # What is built by now lives as long as the process. Taken out of the garbage collector's view, it
    # is no longer traversed by every full collection — which took ~60 ms, a stall for every request
    # in flight, whenever one happened under load.
    gc.collect()
    gc.freeze()
    socket = SocketModeConnection(upline) if settings.socket_mode else None
    server = uvicorn.Server(uvicorn.Config(
        socket.health_app() if socket else upline.asgi(), host=HOST, port=settings.port,
        lifespan="off", log_level="info",
        access_log=False,  # Slack's traffic and the probes would drown the log; latency is in /metrics
        timeout_graceful_shutdown=10,  # requests still running by then are cut: inside Kubernetes' 30 s grace
    ))
    where = f"http://{HOST}:{settings.port}"
    slack = "Socket Mode" if socket else f"HTTP at {where}/slack/events"
    print(f"Upline for {config.project}: {len(config.areas)} areas; Slack over {slack}, health at {where}/healthz",
          file=out, flush=True)
    try:
        with _stop_on_signals(server), asyncio.Runner(loop_factory=server.config.get_loop_factory()) as runner:
            runner.run(_serve(upline, server, socket, hangups))
    except SocketModeUnavailable as error:
        print(f"error: {error}", file=err)
        return 1
    except SystemExit as exit_:  # uvicorn's answer to a port it cannot bind; it has logged why
        return 1 if exit_.code else 0
    finally:
        upline.stop()  # the loops finish their transaction, then the database connections close
    return 0


async def _serve(upline, server: uvicorn.Server, socket: SocketModeConnection | None,
                 hangups: ReloadOnHangup) -> None:
    """Serve on this event loop — uvloop when installed, as uvicorn picks — with the loops delivering on it."""
    async with upline.running():
        with hangups.answered_by(upline, asyncio.get_running_loop()):
            if socket is None:
                await server.serve()
            else:
                await socket.serve(server)


class ReloadOnHangup:
    """SIGHUP reloads app.yaml (`Upline.reload_config`) and logs what came of it.

    The reload runs on the event loop, as a callback between two steps of the requests and deliveries
    it serves — never inside one, as a bare signal handler would. A SIGHUP before Upline serves (while
    it migrates, say) is kept and answered once it does; one while it stops is ignored. uvicorn leaves
    SIGHUP alone, so this handler stays in place while it serves.
    """

    def __init__(self, path: str):
        self._path = path
        self._upline = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._pending = False

    def __enter__(self) -> ReloadOnHangup:
        self._previous = signal.signal(signal.SIGHUP, self._hangup)
        return self

    def __exit__(self, *exc) -> None:
        signal.signal(signal.SIGHUP, self._previous)

    @contextlib.contextmanager
    def answered_by(self, upline, loop: asyncio.AbstractEventLoop) -> Iterator[None]:
        """While inside, `upline` answers SIGHUP on `loop` (the one serving Slack, running)."""
        self._upline, self._loop = upline, loop
        if self._pending:
            loop.call_soon(self.reload)
        try:
            yield
        finally:
            self._loop = None
            self._upline = None  # stopping: from here on a SIGHUP is kept, never answered

    def _hangup(self, signum, frame) -> None:
        if self._loop is None:
            self._pending = True
        else:
            self._loop.call_soon_threadsafe(self.reload)

    def reload(self) -> None:
        self._pending = False
        upline = self._upline
        if upline is None:  # it came as Upline stopped
            return
        if problems := upline.reload_config(self._path):
            log.error("%s not reloaded: %s; keeping the config loaded at %s", self._path, "; ".join(problems),
                      f"{upline.config_loaded_at:%Y-%m-%d %H:%M:%S %Z}")
            return
        config = upline.config
        log.info("reloaded %s: %d areas, %d core maintainers", self._path, len(config.areas),
                 len(config.core.maintainers))


@contextlib.contextmanager
def _stop_on_signals(server: uvicorn.Server) -> Iterator[None]:
    """SIGTERM and SIGINT ask the server to stop, whenever they come.

    While serving, uvicorn has its own handlers; after its graceful shutdown it re-raises the signal to
    the handler it found — this one — instead of the default that would kill the process before the
    loops stop and the database is closed. A signal during startup is not lost either.
    """
    def stop() -> None:
        server.should_exit = True

    with on_stop_signals(stop):
        yield


def _configure_logging() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("apscheduler").setLevel(logging.WARNING)  # it logs every run of every loop
    logging.getLogger("alembic").setLevel(logging.WARNING)  # bot.cli.db says in one line what migrating did

