"""Schema versions: `upline db upgrade` applies the migrations; startup refuses a schema that is behind.

Alembic is configured in code, with `script_location` pointing into this package, so migrations work
from an installed wheel without an alembic.ini. To write a new migration during development:

    from alembic import command
    from storage.migrate import alembic_config
    command.revision(alembic_config("sqlite:///dev.db"), "add x", autogenerate=True, rev_id="0002")

then edit the generated file into explicit operations (as `0001_initial.py` is).
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine
from sqlalchemy.engine import URL

from storage.engine import SQLITE_BEGIN_OPTION, make_engine, normalize_url

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
UPGRADE_COMMAND = "upline db upgrade"


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


def upgrade(engine_or_url: Engine | str | URL, revision: str = "head") -> None:
    """Apply every migration up to `revision` in one transaction (all or nothing)."""
    engine = make_engine(engine_or_url) if not isinstance(engine_or_url, Engine) else engine_or_url
    try:
        with engine.begin() as connection:
            config = alembic_config()
            config.attributes["connection"] = connection
            command.upgrade(config, revision)
    finally:
        if engine is not engine_or_url:
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
