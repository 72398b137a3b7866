"""Connecting to the database named by `DATABASE_URL`: SQLite by default, PostgreSQL when a team grows.

SQLite is tuned on every new connection so that the bot, its sweeper and its outbox worker (threads or
separate processes) can share one file:

- `journal_mode=WAL`: readers never block the writer and the writer never blocks readers;
- `busy_timeout`: a second writer waits for the lock instead of failing at once with "database is locked";
- `foreign_keys=ON`: SQLite ignores REFERENCES clauses unless asked;
- `synchronous=NORMAL`: safe with WAL (a power cut may lose the last commits, never corrupt the file);
- `wal_autocheckpoint` raised: SQLite otherwise copies the WAL back into the database (with an fsync)
  inside whichever commit crosses 1,000 pages — every few thousand asks, one request took 5-10 ms
  longer. `upline run` checkpoints from a background thread instead (`checkpoint`, every 0.25 s); the
  higher limit is the safety net for processes that do not.

Write transactions on SQLite start with `BEGIN IMMEDIATE` (SQLAlchemy's documented recipe: pysqlite's own
transaction handling is switched off and the `begin` event emits our BEGIN). A plain (deferred) BEGIN
takes the write lock only at the first write; two transactions that both read first and then write can
then never both proceed, and the one that loses gets SQLITE_BUSY at once, without waiting, because
waiting could not help. Taking the lock up front makes the second writer wait politely
(`busy_timeout`) and then see the first one's committed rows. Read-only work may ask for a deferred
BEGIN with the execution option `sqlite_begin="DEFERRED"` so that it never waits for a writer.
"""

from __future__ import annotations

import sqlite3
import time
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, Connection, make_url
from sqlalchemy.orm import Session, sessionmaker

DEFAULT_URL = "sqlite:///upline.db"
WAL_AUTOCHECKPOINT_PAGES = 10_000  # about 40 MB of WAL before a commit checkpoints by itself
SQLITE_BEGIN_OPTION = "sqlite_begin"  # execution option: "IMMEDIATE" (default) or "DEFERRED"
_BEGIN_MODES = {"IMMEDIATE", "DEFERRED", "EXCLUSIVE"}


def normalize_url(url: str | URL) -> URL:
    """Accept the URLs people paste (`postgres://`, `postgresql://`) and pick the psycopg 3 driver.

    Heroku-style `postgres://` is not a name SQLAlchemy knows, and bare `postgresql://` would pick
    psycopg2, which Upline does not depend on.
    """
    parsed = make_url(url)
    if parsed.drivername in ("postgres", "postgresql"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed


def make_engine(url: str | URL = DEFAULT_URL, *, busy_timeout_ms: int = 5000, **engine_kwargs: Any) -> Engine:
    """An engine for `url`, with SQLite's connections tuned for several writers (see the module doc)."""
    parsed = normalize_url(url)
    if parsed.get_backend_name() == "sqlite":
        engine = create_engine(parsed, **engine_kwargs)
        _tune_sqlite(engine, busy_timeout_ms)
        return engine
    engine_kwargs.setdefault("pool_pre_ping", True)  # a restarted server must not cost the next request
    return create_engine(parsed, **engine_kwargs)


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    """Sessions whose loaded rows stay readable after commit (services map them to domain objects)."""
    return sessionmaker(bind=engine, expire_on_commit=False)


def _tune_sqlite(engine: Engine, busy_timeout_ms: int) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Hand BEGIN over to SQLAlchemy (below); pysqlite would otherwise BEGIN lazily and deferred.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
            _use_wal(cursor, busy_timeout_ms)
            cursor.execute("PRAGMA synchronous = NORMAL")
            cursor.execute(f"PRAGMA wal_autocheckpoint = {WAL_AUTOCHECKPOINT_PAGES}")
            cursor.execute("PRAGMA foreign_keys = ON")
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        mode = str(connection.get_execution_options().get(SQLITE_BEGIN_OPTION, "IMMEDIATE")).upper()
        if mode not in _BEGIN_MODES:
            raise ValueError(f"{SQLITE_BEGIN_OPTION} must be one of {sorted(_BEGIN_MODES)}, not {mode!r}")
        connection.exec_driver_sql(f"BEGIN {mode}")


def _use_wal(cursor: Any, busy_timeout_ms: int) -> None:
    """Put the file in WAL mode (it stays so), unless it is already.

    Switching a new file to WAL takes a lock that SQLite does not wait for — the busy timeout does not
    apply — so two processes opening a fresh database together (replicas starting, the sandbox and the
    CLI) saw "database is locked". The mode is read first, and a locked switch is tried again until the
    busy timeout would have run out.
    """
    deadline = time.monotonic() + busy_timeout_ms / 1000
    while True:
        try:
            if str(cursor.execute("PRAGMA journal_mode").fetchone()[0]).lower() != "wal":
                cursor.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or time.monotonic() >= deadline:
                raise
            time.sleep(0.01)


def checkpoint(engine: Engine) -> int | None:
    """Copy SQLite's WAL back into the database without waiting for anyone; the WAL pages it holds.

    PASSIVE: readers and writers carry on; pages a reader still needs are copied on a later call. Off
    the request path, the checkpoint's own I/O runs outside the interpreter lock. None on PostgreSQL.
    """
    if engine.dialect.name != "sqlite":
        return None
    connection = engine.raw_connection()  # outside any transaction: a checkpoint cannot run inside one
    try:
        _busy, pages, _copied = connection.cursor().execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
    finally:
        connection.close()
    return pages
