"""`upline db upgrade` and `upline db status`: bring the database schema up to this Upline's, or say where it is.

    $ upline db upgrade
    database upgraded from empty to 0001 (head)
    $ upline db upgrade
    database at 0001 (head)
    $ upline db status
    database at 0001, head 0001: up to date

The database is `--database-url`, else `$DATABASE_URL`, else `sqlite:///upline.db`. `db status` exits 1
when the schema is not at head, so scripts can wait for it; an unreachable database is one line and exit 1.
`db upgrade` migrates under the same lock as `upline run`, so it may run while replicas start.
This module also holds what `run`, `status` and `report` share: the option, opening the database, and
reading the time (on a sandbox's database, the sandbox's clock).
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, OperationalError

from bot.clock import OFFSET_SETTING, Clock, OffsetClock
from bot.reporting import format_span
from storage.engine import DEFAULT_URL, make_engine
from storage.migrate import UPGRADE_COMMAND, Migration, SchemaAhead, SchemaError, check_schema, migrate, schema_status

log = logging.getLogger(__name__)


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser("db", help="database migrations")
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    upgrade_parser = actions.add_parser("upgrade", help="apply the migrations this Upline ships")
    add_database_option(upgrade_parser)
    upgrade_parser.set_defaults(func=run_upgrade)
    status_parser = actions.add_parser("status", help="the schema revision of the database and of this Upline")
    add_database_option(status_parser)
    status_parser.set_defaults(func=run_status)


def add_database_option(parser) -> None:
    parser.add_argument("--database-url", metavar="URL", default=None,
                        help=f"the database (default: $DATABASE_URL or {DEFAULT_URL})")


def database_url(args, environ: Mapping[str, str] = os.environ) -> str:
    return args.database_url or environ.get("DATABASE_URL") or DEFAULT_URL


def shown(url: str) -> str:
    """The URL as it may appear in a terminal or a log: any password replaced by `***`."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "(unparsable)"  # never echo it: it may hold a password


def database_now(uow, clock: Clock, err) -> datetime:
    """The time as the data knows it: `clock`'s, plus the offset a sandbox's clock buttons added when
    this is a sandbox's database (then a note on `err` says so) — what its page shows."""
    offset = timedelta(seconds=float(uow.settings.get(OFFSET_SETTING, 0)))
    if offset <= timedelta(0):
        return clock.now()
    print(f"note: the sandbox's clock, {format_span(offset)} ahead of real time, as its page shows", file=err)
    return OffsetClock(offset, real=clock).now()


def with_engine(url: str, err, work: Callable[[Engine], int]) -> int:
    """Run `work` on an engine for `url`; a bad URL or an unreachable server is one line and exit 1."""
    try:
        engine = make_engine(url)
    except ArgumentError as error:  # also an unknown dialect (NoSuchModuleError)
        print(f"error: invalid database URL {shown(url)}: {error}", file=err)
        return 1
    try:
        return work(engine)
    except OperationalError as error:
        reason = str(error.orig or error).strip().splitlines()[0]
        print(f"error: cannot reach the database at {shown(url)}: {reason}", file=err)
        return 1
    finally:
        engine.dispose()


def with_current_schema(url: str, err, work: Callable[[Engine], int]) -> int:
    """As `with_engine`, refusing (exit 1, one line with the fix) a database that is not at head."""
    if _missing_sqlite_file(url):  # looking must not leave an empty database file behind
        print(f"error: the database has no Upline tables yet: run `{UPGRADE_COMMAND}` "
              f"(there is no file at {shown(url)})", file=err)
        return 1

    def checked(engine: Engine) -> int:
        try:
            check_schema(engine)
        except SchemaError as error:
            print(f"error: {error}", file=err)
            return 1
        return work(engine)

    return with_engine(url, err, checked)


def with_migrated_schema(url: str, err, work: Callable[[Engine], int]) -> int:
    """As `with_engine`, first bringing the schema to head (an empty database gets every table), and
    logging what it did; a schema from a newer Upline, or a migration the server refuses, is one line
    and exit 1."""
    def migrated(engine: Engine) -> int:
        if (migration := migrate_or_report(engine, err)) is None:
            return 1
        log.info("%s", described(migration))
        return work(engine)

    return with_engine(url, err, migrated)


def migrate_or_report(engine: Engine, err) -> Migration | None:
    try:
        return migrate(engine)
    except SchemaAhead as error:  # migrated by a newer Upline: there is nothing to apply
        print(f"error: {error}", file=err)
    except OperationalError:
        raise  # unreachable: with_engine says so
    except DBAPIError as error:  # e.g. a user who may not create tables
        reason = str(error.orig or error).strip().splitlines()[0]
        print(f"error: cannot migrate the database: {reason}; run `{UPGRADE_COMMAND}` as a user who may",
              file=err)
    return None


def described(migration: Migration) -> str:
    if migration.migrated:
        return f"database upgraded from {migration.before or 'empty'} to {migration.after} (head)"
    return f"database at {migration.after} (head)"


def run_upgrade(args, out=None, err=None) -> int:
    out, err = out or sys.stdout, err or sys.stderr

    def upgrade(engine: Engine) -> int:
        if (migration := migrate_or_report(engine, err)) is None:
            return 1
        print(described(migration), file=out)
        return 0

    return with_engine(database_url(args), err, upgrade)


def run_status(args, out=None, err=None) -> int:
    out, err = out or sys.stdout, err or sys.stderr
    url = database_url(args)
    if _missing_sqlite_file(url):
        print(f"database empty (no file at {shown(url)}): run `{UPGRADE_COMMAND}`", file=out)
        return 1

    def report(engine: Engine) -> int:
        current, head = schema_status(engine)
        if current == head:
            print(f"database at {current}, head {head}: up to date", file=out)
            return 0
        try:
            check_schema(engine)
        except SchemaAhead as error:
            print(error, file=out)
        except SchemaError:
            print(f"database at {current or 'empty'}, head {head}: run `{UPGRADE_COMMAND}`", file=out)
        return 1

    return with_engine(url, err, report)


def _missing_sqlite_file(url: str) -> bool:
    try:
        parsed = make_url(url)
    except ArgumentError:
        return False  # with_engine reports it
    database = parsed.database or ""
    if parsed.get_backend_name() != "sqlite" or database in ("", ":memory:") or database.startswith("file:"):
        return False
    return not Path(database).exists()
