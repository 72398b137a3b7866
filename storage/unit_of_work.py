"""One transaction per use case: a service opens a unit of work, changes things, and commits once.

    with SqlUnitOfWork(session_factory) as uow:
        ticket = uow.tickets.get_for_update(7)
        ...
        uow.events.append(7, event)
        uow.outbox.add("ping", payload, ticket_id=7, now=now)
        uow.commit()

Leaving the block without `commit()`, or by an exception, rolls everything back: a ticket is never saved
without its events and outbox rows, and Slack never hears about a change that did not happen.
"""

from __future__ import annotations

import threading
import weakref
from types import TracebackType

from sqlalchemy import Engine
from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.orm import Session, sessionmaker

from storage.decision_repository import DecisionRepository
from storage.digest_repository import DigestRepository
from storage.election_repository import ElectionRepository
from storage.engine import SQLITE_BEGIN_OPTION
from storage.hierarchy_repository import HierarchyChangeRepository
from storage.nomination_repository import NominationRepository
from storage.repositories import (
    AwayRepository,
    EventRepository,
    OutboxRepository,
    ProcessedEventRepository,
    RuntimeSettingRepository,
    TicketMessageRepository,
    TicketRepository,
)

WRITER_WAIT_SECONDS = 10
_WRITER_LOCKS: weakref.WeakKeyDictionary[Engine, threading.RLock] = weakref.WeakKeyDictionary()
_WRITER_LOCKS_GUARD = threading.Lock()


def _sqlite_writer_lock(engine: Engine) -> threading.RLock | None:
    """One lock per SQLite engine, shared by every unit of work that writes through it."""
    if engine.dialect.name != "sqlite":
        return None
    with _WRITER_LOCKS_GUARD:
        # Re-entrant: a nested write in one thread fails on SQLite's own lock, as it always did,
        # instead of waiting here for itself.
        return _WRITER_LOCKS.setdefault(engine, threading.RLock())


def out_of_reach(error: BaseException) -> bool:
    """Whether `error` says the database could not be used at all (gone, locked, no connection free),
    rather than that it refused what a transaction wrote: trying that again row by row would only wait."""
    return isinstance(error, OperationalError | InterfaceError | PoolTimeout)


class SqlUnitOfWork:
    """A session and its repositories for one `with` block.

    `read_only=True` is for views (/status, reports, App Home): on SQLite it starts a deferred
    transaction, which reads a consistent snapshot without waiting for, or blocking, a writer. Every
    other unit of work takes SQLite's write lock at the start (BEGIN IMMEDIATE; see `storage.engine`).
    """

    tickets: TicketRepository
    events: EventRepository
    outbox: OutboxRepository
    processed: ProcessedEventRepository
    away: AwayRepository
    settings: RuntimeSettingRepository
    copies: TicketMessageRepository
    decisions: DecisionRepository
    hierarchy: HierarchyChangeRepository
    nominations: NominationRepository
    elections: ElectionRepository
    digests: DigestRepository

    def __init__(self, session_factory: sessionmaker[Session], *, read_only: bool = False) -> None:
        self._session_factory = session_factory
        self._read_only = read_only
        self._session: Session | None = None
        self._writer_lock: threading.RLock | None = None

    @property
    def session(self) -> Session:
        if self._session is None:
            raise RuntimeError("the unit of work is not open: use it in a `with` block")
        return self._session

    def __enter__(self) -> SqlUnitOfWork:
        if self._session is not None:
            raise RuntimeError("this unit of work is already open; make a new one per transaction")
        session = self._session_factory()
        # SQLite has one writer at a time. Its busy handler lets waiting threads retry after growing
        # sleeps, in no order, so under load some waited seconds; queueing this process's writers on
        # a lock of our own first is fair and fast (busy_timeout still arbitrates between processes).
        self._writer_lock = None if self._read_only else _sqlite_writer_lock(session.get_bind())
        if self._writer_lock is not None and not self._writer_lock.acquire(timeout=WRITER_WAIT_SECONDS):
            self._writer_lock = None
            session.close()
            raise OperationalError("BEGIN IMMEDIATE", {}, TimeoutError(
                f"database is locked: waited {WRITER_WAIT_SECONDS} s for this process's other writers"))
        # Begin now, with the right BEGIN, rather than at the first query (the option is ignored
        # outside SQLite).
        begin = "DEFERRED" if self._read_only else "IMMEDIATE"
        try:
            connection = session.connection(execution_options={SQLITE_BEGIN_OPTION: begin})
        except BaseException:  # e.g. SQLite's lock not granted within busy_timeout
            session.close()
            self._release_writer()
            raise
        self._session = session
        self.tickets = TicketRepository(session, connection)
        self.events = EventRepository(session, connection)
        self.outbox = OutboxRepository(session, connection)
        self.processed = ProcessedEventRepository(session, connection)
        self.away = AwayRepository(session, connection)
        self.settings = RuntimeSettingRepository(session, connection)
        self.copies = TicketMessageRepository(session, connection)
        self.decisions = DecisionRepository(session, connection)
        self.hierarchy = HierarchyChangeRepository(session, connection)
        self.nominations = NominationRepository(session, connection)
        self.elections = ElectionRepository(session, connection)
        self.digests = DigestRepository(session, connection)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        session, self._session = self.session, None
        try:
            session.rollback()  # a no-op after commit(); otherwise nothing half-done survives
        finally:
            session.close()
            self._release_writer()

    def _release_writer(self) -> None:
        if self._writer_lock is not None:
            self._writer_lock.release()
            self._writer_lock = None

    def commit(self) -> None:
        self.session.commit()

    def rollback(self) -> None:
        self.session.rollback()
