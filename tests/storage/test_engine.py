"""Connecting: URL spellings people paste, SQLite tuned for several writers, foreign keys enforced."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from storage.engine import WAL_AUTOCHECKPOINT_PAGES, checkpoint, make_engine, normalize_url
from storage.tables import EventRow
from tests.storage.conftest import NOW


@pytest.mark.parametrize(
    "url",
    ["postgres://u:p@db:5432/upline", "postgresql://u:p@db:5432/upline", "postgresql+psycopg://u:p@db:5432/upline"],
)
def test_postgres_urls_use_psycopg_3(url):
    normalized = normalize_url(url)
    assert normalized.drivername == "postgresql+psycopg"
    assert normalized.render_as_string(hide_password=False) == "postgresql+psycopg://u:p@db:5432/upline"


def test_sqlite_url_is_left_alone():
    assert str(normalize_url("sqlite:///upline.db")) == "sqlite:///upline.db"


def test_sqlite_connections_get_wal_foreign_keys_busy_timeout_and_normal_sync(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'u.db'}", busy_timeout_ms=1234)
    try:
        with engine.connect() as connection:
            pragma = lambda name: connection.exec_driver_sql(f"PRAGMA {name}").scalar()  # noqa: E731
            assert pragma("journal_mode") == "wal"
            assert pragma("foreign_keys") == 1
            assert pragma("busy_timeout") == 1234
            assert pragma("synchronous") == 1  # NORMAL
            assert pragma("wal_autocheckpoint") == WAL_AUTOCHECKPOINT_PAGES
    finally:
        engine.dispose()


def test_a_background_checkpoint_empties_the_wal_that_commits_left_alone(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'u.db'}")
    try:
        with engine.begin() as connection:
            connection.exec_driver_sql("CREATE TABLE notes (body TEXT)")
        for _ in range(20):  # commits append to the WAL; none crosses the (raised) autocheckpoint limit
            with engine.begin() as connection:
                connection.exec_driver_sql("INSERT INTO notes VALUES (?)", ("x" * 4000,))
        wal = tmp_path / "u.db-wal"
        assert wal.stat().st_size > 20 * 4000
        assert checkpoint(engine) > 20  # the pages it found in the WAL, now copied into the database
        raw = engine.raw_connection()
        try:
            _busy, pages, copied = raw.cursor().execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
        finally:
            raw.close()
        assert pages == copied  # nothing left behind
    finally:
        engine.dispose()


def test_checkpoint_is_a_no_op_on_postgresql(engine):
    if engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL only")
    assert checkpoint(engine) is None


def test_sqlite_rejects_an_unknown_begin_mode(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'u.db'}")
    try:
        with pytest.raises(ValueError, match="sqlite_begin"), engine.connect() as connection:
            connection.execution_options(sqlite_begin="LATER").begin()
    finally:
        engine.dispose()


def test_postgres_engine_talks_through_psycopg(engine):
    if engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL only")
    assert engine.dialect.driver == "psycopg"
    with engine.connect() as connection:
        assert connection.execute(text("SELECT current_schema()")).scalar().startswith("t_")


def test_an_event_for_a_missing_ticket_is_refused(session_factory):
    with session_factory() as session:
        session.add(EventRow(ticket_id=999, kind="created", actor="U1", at=NOW, level="core", data={}))
        with pytest.raises(IntegrityError):
            session.flush()
