"""One transaction per use case: all of it is committed, or none of it."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select

from bot.domain.ticket import Event
from storage.tables import EventRow, OutboxRow, TicketRow
from tests.storage.conftest import NOW, make_ticket


def _counts(session_factory):
    with session_factory() as session:
        return tuple(session.scalar(select(func.count()).select_from(t)) for t in (TicketRow, EventRow, OutboxRow))


def _open_a_ticket(uow):
    ticket_id = uow.tickets.add(make_ticket())
    uow.events.append(ticket_id, Event("created", "U0ASKER", NOW, "area:nn"))
    uow.outbox.add("ping", {"to": ["U0NN1"]}, ticket_id, NOW)


def test_commit_keeps_everything(make_uow, session_factory):
    with make_uow() as uow:
        _open_a_ticket(uow)
        uow.commit()
    assert _counts(session_factory) == (1, 1, 1)


def test_an_exception_inside_the_block_leaves_nothing_half_written(make_uow, session_factory):
    with pytest.raises(RuntimeError, match="Slack is down"), make_uow() as uow:
        _open_a_ticket(uow)
        raise RuntimeError("Slack is down")
    assert _counts(session_factory) == (0, 0, 0)


def test_leaving_without_commit_rolls_back(make_uow, session_factory):
    with make_uow() as uow:
        _open_a_ticket(uow)
    assert _counts(session_factory) == (0, 0, 0)


def test_explicit_rollback_discards_the_work_so_far(make_uow, session_factory):
    with make_uow() as uow:
        _open_a_ticket(uow)
        uow.rollback()
        uow.commit()
    assert _counts(session_factory) == (0, 0, 0)


def test_the_session_exists_only_inside_the_block(make_uow):
    uow = make_uow()
    with pytest.raises(RuntimeError, match="not open"):
        uow.commit()
    with uow, pytest.raises(RuntimeError, match="already open"):
        uow.__enter__()


def test_a_reader_on_sqlite_does_not_wait_for_a_writer(migrated_engine, make_uow):
    if migrated_engine.dialect.name != "sqlite":
        pytest.skip("SQLite only: PostgreSQL readers never wait for writers")
    with make_uow() as uow:
        ticket_id = uow.tickets.add(make_ticket())
        uow.commit()
    with make_uow() as writer:  # holds SQLite's write lock (BEGIN IMMEDIATE)
        writer.tickets.add(make_ticket())
        # A deferred BEGIN reads the last committed snapshot at once; IMMEDIATE would wait 5 s and fail.
        with make_uow(read_only=True) as reader:
            assert [t.id for t in reader.tickets.list_open()] == [ticket_id]


def test_sqlite_writers_of_one_process_queue_in_turn(make_uow, migrated_engine):
    if migrated_engine.dialect.name != "sqlite":
        pytest.skip("SQLite only: PostgreSQL has row locks, not one database-wide writer")
    order, first_inside, release_first = [], threading.Event(), threading.Event()

    def first():
        with make_uow():
            order.append("first in")
            first_inside.set()
            release_first.wait(5)
            order.append("first out")

    def second():
        first_inside.wait(5)
        with make_uow():
            order.append("second in")

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    first_inside.wait(5)
    release_first.set()
    for thread in threads:
        thread.join(10)
    assert order == ["first in", "first out", "second in"]


def test_readers_do_not_queue_behind_a_writer(make_uow):
    with make_uow(), make_uow(read_only=True) as reader:
        assert reader.tickets.list_open() == []
