"""`upline sandbox [--config app.yaml] [--port 3000] [--fresh]`: the whole bot against a local Slack-like
workspace in the browser — no Slack account, no tokens.

    $ upline sandbox --fresh
    Upline sandbox for PyTorch (demo): 7 areas, 18 people to act as
      open http://127.0.0.1:3000 in your browser; Ctrl+C stops it
      tickets in sqlite:///upline-sandbox.db (emptied by --fresh); the workspace's messages start empty
      the CLI on them: upline report --database-url sqlite:////home/me/upline/upline-sandbox.db
                       (upline status N too; both read the sandbox's clock)

It is Upline as `upline run` builds it (same handlers, engine and storage) with its Slack Web API
pointed at a stand-in in this process; the page acts as anyone in app.yaml and moves the bot's clock.
It listens on 127.0.0.1 only and opens nothing by itself. The database is its own (`--database-url`,
default ./upline-sandbox.db), never $DATABASE_URL: a sandbox must not write into a real Upline's tickets.
"""

from __future__ import annotations

import logging
import sys
import threading
from collections.abc import Callable
from pathlib import Path

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

from bot.cli.db import shown
from bot.cli.run import load_config_or_report
from bot.sandbox.run import Sandbox
from bot.serve import on_stop_signals

DEFAULT_DATABASE = "sqlite:///upline-sandbox.db"


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser("sandbox", help="try Upline in the browser against a local Slack-like workspace")
    parser.add_argument("--config", metavar="FILE", default="app.yaml", help="the config (default: ./app.yaml)")
    parser.add_argument("--port", metavar="N", type=int, default=3000, help="the page's port (default: 3000)")
    parser.add_argument("--fresh", action="store_true", help="start with no tickets: delete the SQLite file first")
    parser.add_argument("--database-url", metavar="URL", default=DEFAULT_DATABASE,
                        help=f"where the sandbox keeps its tickets (default: {DEFAULT_DATABASE})")
    parser.set_defaults(func=run)


def run(args, out=None, err=None, wait: Callable[[], None] | None = None) -> int:
    out, err = out or sys.stdout, err or sys.stderr
    _quiet_logging()
    config = load_config_or_report(args.config, err)
    if config is None:
        return 1
    try:
        if args.fresh:
            remove_sqlite_file(args.database_url)
        sandbox = Sandbox(config, args.database_url, port=args.port, config_path=args.config).start()
    except OSError as error:
        print(f"error: cannot listen on 127.0.0.1:{args.port} ({error.strerror or error}); "
              "try another --port", file=err)
        return 1
    except (ArgumentError, SQLAlchemyError, ValueError) as error:
        print(f"error: the sandbox's database {shown(args.database_url)}: {error}", file=err)
        return 1
    people = sum(1 for user in sandbox.workspace.users() if not user.is_bot)
    print(f"Upline sandbox for {config.project}: {len(config.areas)} areas, {people} people to act as\n"
          f"  open {sandbox.url} in your browser; Ctrl+C stops it\n"
          f"  tickets in {shown(args.database_url)}{' (emptied by --fresh)' if args.fresh else ''}; "
          "the workspace's messages start empty\n"
          f"  the CLI on them: upline report --database-url {cli_url(args.database_url)}\n"
          "                   (upline status N too; both read the sandbox's clock)", file=out, flush=True)
    try:
        (wait or until_signalled)()
    finally:
        sandbox.stop()
    return 0


def cli_url(url: str) -> str:
    """The database URL for `upline status`/`report --database-url`, from any directory: a SQLite file
    by its absolute path; a password shown as `***` (the terminal is no place for it)."""
    parsed = make_url(url)
    database = parsed.database or ""
    if parsed.get_backend_name() == "sqlite" and database not in ("", ":memory:") and not database.startswith("file:"):
        parsed = parsed.set(database=str(Path(database).resolve()))
    return shown(parsed.render_as_string(hide_password=False))


def remove_sqlite_file(url: str) -> None:
    """--fresh: delete the SQLite file (and its WAL companions); the migrations then start it empty."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        raise ValueError("--fresh only empties a SQLite file; empty another database yourself")
    if parsed.database and parsed.database != ":memory:":
        for suffix in ("", "-wal", "-shm"):
            Path(parsed.database + suffix).unlink(missing_ok=True)


def until_signalled() -> None:
    """Block until Ctrl+C or SIGTERM; the servers run in threads, so the main thread only waits."""
    stop = threading.Event()
    with on_stop_signals(stop.set):
        while not stop.wait(0.5):  # a timed wait: signal handlers run between waits on every platform
            pass


def _quiet_logging() -> None:
    # The terminal shows the URL and then only what went wrong; the page shows everything else.
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
