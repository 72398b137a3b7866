"""Handler tests that commit run on real databases: SQLite always, PostgreSQL when UPLINE_TEST_DATABASE_URL is set."""

from tests.storage.conftest import (  # noqa: F401  (fixtures)
    database_url,
    engine,
    make_uow,
    migrated_engine,
    session_factory,
)
