"""`upline db upgrade` and `upline db status`: from-to revisions, exit codes, one-line errors."""

from datetime import UTC, datetime

import pytest
from sqlalchemy import text

from bot.domain.ticket import Kind
from bot.services.tickets import TicketService
from storage.engine import make_engine, make_session_factory
from storage.migrate import current_revision, head_revision
from storage.unit_of_work import SqlUnitOfWork
from tests.cli.conftest import CONFIG

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
HEAD = head_revision()


def test_upgrade_says_from_which_revision_to_which_then_that_it_is_current(database_url, engine, upline):
    first = upline("db", "upgrade", "--database-url", database_url)
    assert (first.code, first.out) == (0, f"database upgraded from empty to {HEAD} (head)\n")
    assert current_revision(engine) == HEAD
    again = upline("db", "upgrade", "--database-url", database_url)
    assert (again.code, again.out) == (0, f"database at {HEAD} (head)\n")


def test_status_says_whether_the_schema_is_current(database_url, engine, upline):
    with engine.connect():  # an empty database that exists (SQLite creates its file here)
        pass
    behind = upline("db", "status", "--database-url", database_url)
    assert (behind.code, behind.out) == (1, f"database at empty, head {HEAD}: run `upline db upgrade`\n")
    upline("db", "upgrade", "--database-url", database_url)
    current = upline("db", "status", "--database-url", database_url)
    assert (current.code, current.out) == (0, f"database at {HEAD}, head {HEAD}: up to date\n")


def test_upgrade_on_an_empty_sqlite_file_then_status_works(tmp_path, upline):
    path = tmp_path / "fresh.db"
    path.touch()
    url = f"sqlite:///{path}"
    assert upline("db", "upgrade", "--database-url", url).code == 0
    engine = make_engine(url)
    try:
        service = TicketService(CONFIG, lambda: SqlUnitOfWork(make_session_factory(engine)))
        service.ask(asker="U0ASKER", kind=Kind.QUESTION, area="nn", text="How?", now=NOW)
    finally:
        engine.dispose()
    shown = upline("status", "1", "--database-url", url, now=NOW)
    assert shown.code == 0 and shown.out.startswith("#1  question in nn: open\n")


def test_database_url_comes_from_the_environment_then_the_default(tmp_path, monkeypatch, upline):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    assert upline("db", "upgrade").code == 0
    assert (tmp_path / "upline.db").exists()
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'from-env.db'}")
    assert upline("db", "upgrade").code == 0
    assert (tmp_path / "from-env.db").exists()
    assert upline("db", "upgrade", "--database-url", f"sqlite:///{tmp_path / 'flag.db'}").code == 0
    assert (tmp_path / "flag.db").exists()


def test_an_unreachable_server_is_one_line_without_the_password(upline):
    ran = upline("db", "upgrade", "--database-url", "postgresql://upline:s3cret@127.0.0.1:1/upline")
    assert ran.code == 1 and ran.out == ""
    assert ran.err.startswith("error: cannot reach the database at postgresql://upline:***@127.0.0.1:1/upline: ")
    assert ran.err.count("\n") == 1 and "s3cret" not in ran.err


def test_an_sqlite_file_that_cannot_be_opened_is_one_line(tmp_path, upline):
    url = f"sqlite:///{tmp_path / 'missing-dir' / 'upline.db'}"
    ran = upline("db", "upgrade", "--database-url", url)
    assert (ran.code, ran.err) == (1, f"error: cannot reach the database at {url}: unable to open database file\n")


def test_a_url_that_names_no_database_is_one_line(upline):
    ran = upline("db", "status", "--database-url", "nosuchdb://nowhere")
    assert ran.code == 1 and ran.err.startswith("error: invalid database URL nosuchdb://nowhere: ")
    garbled = upline("db", "status", "--database-url", "user:s3cret@host")
    assert garbled.code == 1 and garbled.err.startswith("error: invalid database URL (unparsable): ")
    assert "s3cret" not in garbled.err


def test_a_schema_from_a_newer_upline_is_not_upgraded(migrated_engine, database_url, upline):
    with migrated_engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    ran = upline("db", "upgrade", "--database-url", database_url)
    assert ran.code == 1
    assert ran.err == (f"error: the database schema is at 9999, which this Upline (newest {HEAD}) does not know: "
                       "run the Upline version that migrated it, or a newer one\n")
    assert upline("db", "status", "--database-url", database_url).code == 1


@pytest.mark.parametrize("argv", [["db"], ["db", "downgrade"]])
def test_db_needs_a_known_action(argv, upline):
    with pytest.raises(SystemExit) as exited:
        upline(*argv)
    assert exited.value.code == 2
