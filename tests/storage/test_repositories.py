"""Tickets and their history: exact round trips, the sweeper's claim, and several sweepers at once."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlalchemy import event as sa_event

from bot.domain.ticket import Event, Kind, State
from storage.repositories import EventRepository, TicketNotFound
from tests.storage.conftest import NOW, make_ticket


def _add(make_uow, *tickets):
    with make_uow() as uow:
        ids = [uow.tickets.add(ticket) for ticket in tickets]
        uow.commit()
    return ids


def test_add_numbers_tickets_in_order_and_sets_the_id(make_uow):
    first, second = make_ticket(), make_ticket()
    assert _add(make_uow, first, second) == [1, 2]
    assert (first.id, second.id) == (1, 2)


def test_ticket_round_trips_exactly(make_uow):
    ticket = make_ticket(
        kind=Kind.ESCALATION,
        area=None,
        level="core",
        state=State.RESOLVED,
        reminders_sent=2,
        resolve_breaches=1,
        acknowledged_by="U0CORE1",
        acknowledged_at=NOW + timedelta(minutes=5),
        assignee="U0CORE2",
        waiting_since=NOW + timedelta(hours=1),
        ack_left=timedelta(hours=2, microseconds=500),
        resolve_left=timedelta(days=3),
        resolved_at=NOW + timedelta(days=1),
        resolved_by="U0CORE2",
        resolution="merged #1234",
        ack_due_at=None,
        next_due_at=None,
    )
    (ticket_id,) = _add(make_uow, ticket)
    with make_uow(read_only=True) as uow:
        assert uow.tickets.get(ticket_id) == ticket
        assert uow.tickets.get(ticket_id + 1) is None


def test_save_writes_changes_and_keeps_slack_references(make_uow):
    (ticket_id,) = _add(make_uow, make_ticket())
    with make_uow() as uow:
        uow.tickets.set_pings([(ticket_id, "C0NN", "1764158400.000100")])
        ticket = uow.tickets.get_for_update(ticket_id)
        ticket.state, ticket.acknowledged_by, ticket.ack_due_at = State.ACKNOWLEDGED, "U0NN1", None
        uow.tickets.save(ticket)
        uow.commit()
    with make_uow() as uow:
        assert uow.tickets.get(ticket_id) == ticket
        refs = uow.tickets.slack_refs(ticket_id)
        assert (refs.ping_channel, refs.ping_ts, refs.thread_ts) == ("C0NN", "1764158400.000100", None)


def test_save_of_an_unknown_ticket_fails_loudly(make_uow):
    with make_uow() as uow:
        with pytest.raises(ValueError, match="already has a number"):
            uow.tickets.add(make_ticket(id=42))
        with pytest.raises(ValueError):
            uow.tickets.save(make_ticket())
        with pytest.raises(TicketNotFound):
            uow.tickets.save(make_ticket(id=42))
        with pytest.raises(TicketNotFound):
            uow.tickets.set_thread(42, "C0NN", "1.2")


def test_a_thread_finds_its_ticket(make_uow):
    (ticket_id,) = _add(make_uow, make_ticket())
    with make_uow() as uow:
        uow.tickets.set_thread(ticket_id, "C0ASK", "1764158400.000200")
        uow.commit()
    with make_uow() as uow:
        assert uow.tickets.find_by_thread("C0ASK", "1764158400.000200").id == ticket_id
        assert uow.tickets.find_by_thread("C0ASK", "9.9") is None


def test_claim_due_takes_due_tickets_earliest_first_up_to_the_limit(make_uow):
    due = [NOW - timedelta(minutes=m) for m in (5, 30, 10)]
    ids = _add(
        make_uow,
        *(make_ticket(next_due_at=at) for at in due),
        make_ticket(next_due_at=NOW + timedelta(seconds=1)),  # not yet
        make_ticket(next_due_at=None, state=State.RESOLVED),  # never
    )
    with make_uow() as uow:
        assert [t.id for t in uow.tickets.claim_due(NOW, limit=2)] == [ids[1], ids[2]]
        assert [t.id for t in uow.tickets.claim_due(NOW, limit=10)] == [ids[1], ids[2], ids[0]]
        assert uow.tickets.earliest_due() == NOW - timedelta(minutes=30)


def test_earliest_due_is_none_without_deadlines(make_uow):
    with make_uow() as uow:
        assert uow.tickets.earliest_due() is None


def test_claim_due_reads_the_next_due_at_index(make_uow, migrated_engine):
    _add(make_uow, *(make_ticket(next_due_at=NOW + timedelta(minutes=i)) for i in range(50)))
    statements = []

    def capture(conn, cursor, statement, parameters, context, executemany):
        if "FROM tickets" in statement:
            statements.append((statement, parameters))

    sa_event.listen(migrated_engine, "before_cursor_execute", capture)
    with make_uow() as uow:
        uow.tickets.claim_due(NOW, limit=5)
    sa_event.remove(migrated_engine, "before_cursor_execute", capture)
    ((statement, parameters),) = statements
    with migrated_engine.connect() as connection:
        if migrated_engine.dialect.name == "postgresql":
            assert "FOR UPDATE SKIP LOCKED" in statement
            connection.exec_driver_sql("SET enable_seqscan = off")  # a 50-row table is otherwise scanned
            plan = "\n".join(connection.exec_driver_sql("EXPLAIN " + statement, parameters).scalars())
        else:
            rows = connection.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters).all()
            plan = "\n".join(row[-1] for row in rows)
    assert "ix_tickets_next_due_at" in plan
    assert "TEMP B-TREE" not in plan and "Sort" not in plan  # the index gives the order


def test_open_tickets_by_asker_and_in_batches(make_uow):
    ids = _add(
        make_uow,
        make_ticket(asker="U0A"),
        make_ticket(asker="U0B"),
        make_ticket(asker="U0A", state=State.RESOLVED, next_due_at=None),
        make_ticket(asker="U0A", state=State.WAITING),
        make_ticket(asker="U0C", state=State.ACKNOWLEDGED),
    )
    with make_uow(read_only=True) as uow:
        assert [t.id for t in uow.tickets.open_for_asker("U0A")] == [ids[0], ids[3]]
        assert [t.id for t in uow.tickets.open_tickets(batch_size=2)] == [ids[0], ids[1], ids[3], ids[4]]
        assert [t.id for t in uow.tickets.list_open(limit=3)] == [ids[0], ids[1], ids[3]]
        assert len(uow.tickets.list_open()) == 4


def test_events_come_back_in_the_order_they_were_written(make_uow):
    (ticket_id,) = _add(make_uow, make_ticket())
    history = [
        Event("created", "U0ASKER", NOW, "area:nn", data={"text": "?"}),
        Event("notified", "upline", NOW, "area:nn", data={"to": ["U0NN1", "U0NN2"]}),
        Event("escalated", "upline", NOW + timedelta(hours=8), "core", reason="ack window missed"),
    ]
    with make_uow() as uow:
        for event in history:
            uow.events.append(ticket_id, event)
        uow.commit()
    with make_uow(read_only=True) as uow:
        assert uow.events.for_ticket(ticket_id) == history
        assert uow.events.for_ticket(ticket_id + 1) == []


def test_history_can_only_be_appended_to():
    public = {name for name in vars(EventRepository) if not name.startswith("_")}
    assert public == {"append", "append_many", "for_ticket", "for_tickets_opened_since"}


def test_two_postgres_sweepers_claim_disjoint_tickets(make_uow, migrated_engine):
    if migrated_engine.dialect.name != "postgresql":
        pytest.skip("SKIP LOCKED is PostgreSQL's; SQLite serialises sweepers (next test)")
    ids = _add(make_uow, *(make_ticket(next_due_at=NOW - timedelta(minutes=i)) for i in range(5)))
    with make_uow() as first, make_uow() as second:
        claimed_first = {t.id for t in first.tickets.claim_due(NOW, limit=2)}
        claimed_second = {t.id for t in second.tickets.claim_due(NOW, limit=10)}
    assert len(claimed_first) == 2 and len(claimed_second) == 3
    assert claimed_first.isdisjoint(claimed_second)
    assert claimed_first | claimed_second == set(ids)


def test_a_second_sqlite_sweeper_waits_and_sees_the_first_ones_work(make_uow, migrated_engine):
    if migrated_engine.dialect.name != "sqlite":
        pytest.skip("SQLite only: PostgreSQL sweepers skip locked rows instead of waiting (previous test)")
    _add(make_uow, *(make_ticket(next_due_at=NOW - timedelta(minutes=i)) for i in range(3)))
    second_claimed = []

    def second_sweeper():
        with make_uow() as uow:
            second_claimed.extend(uow.tickets.claim_due(NOW, limit=10))
            uow.commit()

    with make_uow() as first:
        claimed = first.tickets.claim_due(NOW, limit=10)
        other = threading.Thread(target=second_sweeper)
        other.start()
        other.join(timeout=0.3)
        assert other.is_alive(), "BEGIN IMMEDIATE should make the second sweeper wait for the lock"
        for ticket in claimed:
            ticket.next_due_at = NOW + timedelta(hours=1)
            first.tickets.save(ticket)
        first.commit()
    other.join(timeout=10)
    assert len(claimed) == 3
    assert second_claimed == []
