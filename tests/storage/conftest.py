"""Database fixtures: every storage test runs on SQLite and, when configured, on real PostgreSQL.

Set `UPLINE_TEST_DATABASE_URL` (e.g. `postgresql+psycopg://postgres@127.0.0.1:5432/test`) to add the
PostgreSQL variant; otherwise it is skipped with that reason. Each PostgreSQL test gets a schema of its
own (`search_path` in the URL), dropped afterwards, so tests never see each other's rows or clash with
other suites using the same database.

Other test folders can reuse them: `from tests.storage.conftest import database_url, engine  # noqa: F401`
in their conftest (`migrated_engine`, `session_factory` and `make_uow` too).
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import NullPool

from bot.domain.ticket import Kind, SlaPolicy, Ticket, WorkingHours
from storage.engine import make_engine, make_session_factory, normalize_url
from storage.migrate import upgrade
from storage.unit_of_work import SqlUnitOfWork

POSTGRES_ENV = "UPLINE_TEST_DATABASE_URL"
NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path) -> Iterator[str]:
    """A URL to an empty database: a temporary SQLite file, or a fresh PostgreSQL schema."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'upline.db'}"
        return
    base = os.environ.get(POSTGRES_ENV)
    if not base:
        pytest.skip(f"{POSTGRES_ENV} is not set")
    schema = f"t_{uuid.uuid4().hex[:16]}"
    admin = make_engine(base, isolation_level="AUTOCOMMIT", poolclass=NullPool)
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
        url = normalize_url(base).update_query_dict({"options": f"-c search_path={schema}"})
        yield url.render_as_string(hide_password=False)
        with admin.connect() as connection:
            connection.execute(text("SET lock_timeout = '10s'"))
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    finally:
        admin.dispose()


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    """An engine on the empty database; disposed (connections closed) before the schema is dropped."""
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def migrated_engine(engine: Engine) -> Engine:
    upgrade(engine)
    return engine


@pytest.fixture
def session_factory(migrated_engine: Engine) -> sessionmaker[Session]:
    return make_session_factory(migrated_engine)


@pytest.fixture
def make_uow(session_factory: sessionmaker[Session]) -> Callable[..., SqlUnitOfWork]:
    return lambda **kwargs: SqlUnitOfWork(session_factory, **kwargs)


def make_ticket(**overrides: object) -> Ticket:
    """A realistic open question; override any field."""
    fields: dict[str, object] = {
        "kind": Kind.QUESTION,
        "area": "nn",
        "asker": "U0ASKER",
        "text": "How do I register a forward hook on a <ModuleList>?",
        "level": "area:nn",
        "policy": SlaPolicy(
            ack=timedelta(hours=8),
            resolve=timedelta(days=7),
            reminders=(0.5, 0.9),
            hours=WorkingHours(days=(1, 2, 3, 4, 5), start="09:00", end="17:00", tz="Europe/London"),
            holidays="GB",
            source="question; area nn overrides ack",
        ),
        "created_at": NOW,
        "level_started_at": NOW,
        "ack_due_at": NOW + timedelta(hours=8),
        "resolve_due_at": NOW + timedelta(days=7),
        "next_due_at": NOW + timedelta(hours=4),
    }
    fields.update(overrides)
    return Ticket(**fields)  # type: ignore[arg-type]
