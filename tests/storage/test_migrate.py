"""Migrations: an empty database upgrades to head, the models match the migrations, and a database
that is behind (or ahead) is refused with one line that says what to do. `migrate` brings a schema to
head once, under a lock, however many processes start together."""

from __future__ import annotations

import threading
import time

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text

from storage.engine import make_engine
from storage.migrate import (
    MIGRATION_LOCK,
    MIGRATIONS,
    Migration,
    SchemaAhead,
    SchemaBehind,
    check_schema,
    current_revision,
    head_revision,
    migrate,
    schema_problem,
    schema_status,
    upgrade,
)
from storage.tables import Base

TABLES = {"tickets", "events", "outbox", "processed_events", "away", "ticket_messages", "runtime_settings",
          "hierarchy_changes", "nominations", "review_schedule", "elections"}


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
    assert head_revision() == "0007"
    assert (MIGRATIONS / "versions" / "0001_initial.py").is_file()


# -- migrate: what `upline run` does first ---------------------------------------------------------


def test_migrate_creates_the_schema_in_an_empty_database_and_says_from_where(engine):
    migration = migrate(engine)
    assert migration == Migration(before=None, after=head_revision()) and migration.migrated
    check_schema(engine)


def test_migrate_leaves_a_schema_at_head_alone(migrated_engine):
    migration = migrate(migrated_engine)
    assert migration == Migration(before=head_revision(), after=head_revision()) and not migration.migrated


def test_migrate_brings_an_older_schema_to_head(engine):
    upgrade(engine, "0001")
    assert migrate(engine) == Migration(before="0001", after=head_revision())
    assert {"ticket_messages", "runtime_settings"} <= set(inspect(engine).get_table_names())


def test_migrate_refuses_a_schema_ahead_and_changes_nothing(migrated_engine):
    with migrated_engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    with pytest.raises(SchemaAhead):
        migrate(migrated_engine)
    assert current_revision(migrated_engine) == "9999"


def test_migrations_started_together_run_once(database_url):
    """Four processes' worth of engines, released at once on one empty database: one migrates."""
    engines = [make_engine(database_url) for _ in range(4)]
    start = threading.Barrier(len(engines))
    results: list[Migration | BaseException] = []

    def starting(engine) -> None:
        start.wait()
        try:
            results.append(migrate(engine))
        except BaseException as error:  # noqa: BLE001  (the assertion below shows it)
            results.append(error)

    threads = [threading.Thread(target=starting, args=(engine,), daemon=True) for engine in engines]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        assert all(isinstance(result, Migration) for result in results), results
        assert sorted(result.before is None for result in results) == [False, False, False, True]
        with engines[0].connect() as connection:
            assert connection.execute(text("SELECT version_num FROM alembic_version")).all() == [(head_revision(),)]
    finally:
        for engine in engines:
            engine.dispose()


def test_on_postgresql_migrate_waits_for_the_advisory_lock(engine):
    if engine.dialect.name != "postgresql":
        pytest.skip("the advisory lock is PostgreSQL's; SQLite's write lock is its own")
    done: list[Migration] = []
    with engine.connect() as holder:
        holder.execute(text("SELECT pg_advisory_xact_lock(:key, hashtext(current_schema()))"), {"key": MIGRATION_LOCK})
        migrating = threading.Thread(target=lambda: done.append(migrate(engine)), daemon=True)
        migrating.start()
        wait_for_a_waiter(holder)
        assert not done and "alembic_version" not in inspect(holder).get_table_names()
        holder.rollback()  # the lock goes with the transaction
        migrating.join(30)
    assert done == [Migration(before=None, after=head_revision())]


def wait_for_a_waiter(connection, timeout: float = 10) -> None:
    """Until another session waits for an advisory lock (pg_locks shows it not granted)."""
    waiting = text("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted "
                   "AND classid = :key AND pid <> pg_backend_pid()")
    deadline = time.monotonic() + timeout
    while connection.execute(waiting, {"key": MIGRATION_LOCK}).scalar_one() == 0:
        assert time.monotonic() < deadline, "migrate never waited for the lock"
        time.sleep(0.02)
