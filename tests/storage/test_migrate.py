"""Migrations: an empty database upgrades to head, the models match the migrations, and a database
that is behind (or ahead) is refused with one line that says what to do."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text

from storage.migrate import (
    MIGRATIONS,
    SchemaAhead,
    SchemaBehind,
    check_schema,
    current_revision,
    head_revision,
    schema_problem,
    schema_status,
    upgrade,
)
from storage.tables import Base

TABLES = {"tickets", "events", "outbox", "processed_events", "away", "ticket_messages", "runtime_settings"}


def test_upgrade_from_empty_creates_every_table_at_head(engine):
    assert current_revision(engine) is None
    upgrade(engine)
    assert TABLES | {"alembic_version"} <= set(inspect(engine).get_table_names())
    assert schema_status(engine) == (head_revision(), head_revision())
    check_schema(engine)  # does not raise


def test_upgrade_accepts_a_url_and_is_idempotent(database_url, engine):
    upgrade(database_url)
    upgrade(database_url)
    assert current_revision(engine) == head_revision()


def test_the_sweeper_index_is_created(migrated_engine):
    indexes = {index["name"]: index["column_names"] for index in inspect(migrated_engine).get_indexes("tickets")}
    assert indexes["ix_tickets_next_due_at"] == ["next_due_at"]


def test_models_match_the_migrations(migrated_engine):
    with migrated_engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []


def test_checking_the_schema_does_not_wait_for_a_writer(migrated_engine, make_uow):
    with make_uow():  # on SQLite: holds the write lock until the block ends
        check_schema(migrated_engine)


def test_empty_database_is_refused_with_the_fix(engine):
    with pytest.raises(SchemaBehind) as raised:
        check_schema(engine)
    assert str(raised.value) == "the database has no Upline tables yet: run `upline db upgrade`"


def test_unknown_newer_revision_is_refused(migrated_engine):
    with migrated_engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    with pytest.raises(SchemaAhead) as raised:
        check_schema(migrated_engine)
    assert "at 9999" in str(raised.value)
    assert "\n" not in str(raised.value)


def test_an_older_schema_is_refused_with_the_fix():
    problem = schema_problem("0001", "0002", known=True)
    assert isinstance(problem, SchemaBehind)
    assert str(problem) == "the database schema is at 0001 but this Upline needs 0002: run `upline db upgrade`"


def test_a_current_schema_has_no_problem():
    assert schema_problem("0002", "0002", known=True) is None


def test_migrations_ship_inside_the_package():
    assert (MIGRATIONS / "env.py").is_file()
    assert (MIGRATIONS / "script.py.mako").is_file()
    assert head_revision() == "0002"
    assert (MIGRATIONS / "versions" / "0001_initial.py").is_file()
