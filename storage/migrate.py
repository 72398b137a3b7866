"""Schema versions: `upline run` and `upline db upgrade` bring the schema to head (`migrate`), once, however
many processes start together; a schema ahead of the code is always refused, and `upline run --no-migrate`
refuses one that is behind too.

Migrating takes a lock first, in the transaction that migrates, and reads the revision only under it: on
PostgreSQL a transaction-level advisory lock (`pg_advisory_xact_lock`), keyed by the schema, so replicas
that start together wait for the first one and then find the schema at head; on SQLite the write lock
(`BEGIN IMMEDIATE`) does the same. The lock is released with the commit, or the rollback of a failed
migration, so a crashed process never leaves it held.

Alembic is configured in code, with `script_location` pointing into this package, so migrations work
from an installed wheel without an alembic.ini. To write a new migration during development:

    from alembic import command
    from storage.migrate import alembic_config
    command.revision(alembic_config("sqlite:///dev.db"), "add x", autogenerate=True, rev_id="0002")

then edit the generated file into explicit operations (as `0001_initial.py` is).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, text
from sqlalchemy.engine import URL

from storage.engine import SQLITE_BEGIN_OPTION, make_engine, normalize_url

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
UPGRADE_COMMAND = "upline db upgrade"
# The advisory lock's first key ("UPLN"); the second is the schema's, so schemas never wait for each other.
MIGRATION_LOCK = 0x55504C4E


class SchemaError(RuntimeError):
    """The database schema is not the one this Upline was built for; the message says what to do."""


class SchemaBehind(SchemaError):
    """The database is empty or older than the code: running the migrations fixes it."""


class SchemaAhead(SchemaError):
    """The database was migrated by a newer Upline than this one: downgrading data is not the fix."""


def alembic_config(url: str | URL | None = None) -> Config:
    """Alembic's config without an ini file; `url` is only needed when Alembic opens its own connection."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("file_template", "%%(rev)s_%%(slug)s")
    if url is not None:
        rendered = normalize_url(url).render_as_string(hide_password=False)
        config.set_main_option("sqlalchemy.url", rendered.replace("%", "%%"))
    return config


@dataclass(frozen=True)
class Migration:
    """What `migrate` found (`before`, None for an empty database) and left (`after`, the head)."""

    before: str | None
    after: str

    @property
    def migrated(self) -> bool:
        return self.before != self.after


def migrate(engine_or_url: Engine | str | URL) -> Migration:
    """Bring the schema to head under the migration lock, creating it in an empty database.

    Raises SchemaAhead, changing nothing, for a schema migrated by a newer Upline.
    """
    with _engine(engine_or_url) as engine, engine.begin() as connection:
        lock_migrations(connection)
        before = MigrationContext.configure(connection).get_current_revision()
        head = head_revision()
        problem = schema_problem(before, head, known=before is not None and _is_known(before))
        if isinstance(problem, SchemaAhead):
            raise problem
        if problem is not None:
            _upgrade(connection, "head")
    return Migration(before, head)


def upgrade(engine_or_url: Engine | str | URL, revision: str = "head") -> None:
    """Apply every migration up to `revision` in one transaction (all or nothing), under the lock."""
    with _engine(engine_or_url) as engine, engine.begin() as connection:
        lock_migrations(connection)
        _upgrade(connection, revision)


def lock_migrations(connection: Connection) -> None:
    """Wait for any other process migrating this schema; held until `connection`'s transaction ends.

    SQLite needs nothing more: the transaction began with `BEGIN IMMEDIATE`, which holds the write lock.
    """
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key, hashtext(coalesce(current_schema(), '')))"),
                           {"key": MIGRATION_LOCK})


def _upgrade(connection: Connection, revision: str) -> None:
    config = alembic_config()
    config.attributes["connection"] = connection
    command.upgrade(config, revision)


@contextlib.contextmanager
def _engine(engine_or_url: Engine | str | URL) -> Iterator[Engine]:
    """The engine given, or one for the URL given, disposed afterwards."""
    if isinstance(engine_or_url, Engine):
        yield engine_or_url
        return
    engine = make_engine(engine_or_url)
    try:
        yield engine
    finally:
        engine.dispose()


def head_revision() -> str:
    """The newest migration this code ships."""
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    if head is None:  # pragma: no cover - the package always ships migrations
        raise SchemaError("no migrations found in " + str(MIGRATIONS))
    return head


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at; None when it has never been migrated."""
    # A deferred BEGIN on SQLite: looking must not wait for a running bot's write lock.
    with engine.connect().execution_options(**{SQLITE_BEGIN_OPTION: "DEFERRED"}) as connection:
        return MigrationContext.configure(connection).get_current_revision()


def schema_status(engine: Engine) -> tuple[str | None, str]:
    """(current, head): equal when the database is ready for this code."""
    return current_revision(engine), head_revision()


def check_schema(engine: Engine) -> None:
    """Raise a SchemaError with a one-line message and its fix unless the schema is exactly at head."""
    current, head = schema_status(engine)
    problem = schema_problem(current, head, known=current is not None and _is_known(current))
    if problem is not None:
        raise problem


def schema_problem(current: str | None, head: str, *, known: bool) -> SchemaError | None:
    """What is wrong with a database at `current` for code at `head` (`known`: `current` is one of ours)."""
    if current == head:
        return None
    if current is None:
        return SchemaBehind(f"the database has no Upline tables yet: run `{UPGRADE_COMMAND}`")
    if known:
        return SchemaBehind(
            f"the database schema is at {current} but this Upline needs {head}: run `{UPGRADE_COMMAND}`"
        )
    return SchemaAhead(
        f"the database schema is at {current}, which this Upline (newest {head}) does not know: "
        "run the Upline version that migrated it, or a newer one"
    )


def _is_known(revision: str) -> bool:
    scripts = ScriptDirectory.from_config(alembic_config())
    return any(script.revision == revision for script in scripts.walk_revisions())
