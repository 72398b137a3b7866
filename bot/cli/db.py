"""`upline db upgrade` and `upline db status`: bring the database schema up to this Upline's, or say where it is.

    $ upline db upgrade
    database upgraded from empty to 0001 (head)
    $ upline db upgrade
    database at 0001 (head)
    $ upline db status
    database at 0001, head 0001: up to date

The database is `--database-url`, else `$DATABASE_URL`, else `sqlite:///upline.db`. `db status` exits 1
when the schema is not at head, so scripts can wait for it; an unreachable database is one line and exit 1.
This module also holds what `status` and `report` share: the option, and opening the database.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Mapping
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, OperationalError

from storage.engine import DEFAULT_URL, make_engine
from storage.migrate import UPGRADE_COMMAND, SchemaAhead, SchemaError, check_schema, schema_status, upgrade


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


def run_upgrade(args, out=None, err=None) -> int:
    out, err = out or sys.stdout, err or sys.stderr

    def migrate(engine: Engine) -> int:
        current, head = schema_status(engine)
        if current == head:
            print(f"database at {head} (head)", file=out)
            return 0
        try:
            check_schema(engine)
        except SchemaAhead as error:  # migrated by a newer Upline: there is nothing to apply
            print(f"error: {error}", file=err)
            return 1
        except SchemaError:
            pass  # behind: exactly what upgrading fixes
        upgrade(engine)
        print(f"database upgraded from {current or 'empty'} to {head} (head)", file=out)
        return 0

    return with_engine(database_url(args), err, migrate)


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
