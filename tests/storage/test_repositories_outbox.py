"""Delivery bookkeeping: the outbox (order per ticket, retries, parking), dedup keys, and absences."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.storage.conftest import NOW, make_ticket

LATER = NOW + timedelta(minutes=1)


@pytest.fixture
def two_tickets(make_uow):
    with make_uow() as uow:
        ids = (uow.tickets.add(make_ticket()), uow.tickets.add(make_ticket()))
        uow.commit()
    return ids


def _batch(make_uow, now=NOW, **kwargs):
    with make_uow() as uow:
        messages = uow.outbox.next_batch(now, limit=10, **kwargs)
        uow.commit()
    return [(m.kind, m.ticket_id) for m in messages]


def _add(make_uow, *messages):
    with make_uow() as uow:
        ids = [uow.outbox.add(kind, {"text": kind}, ticket_id, NOW) for kind, ticket_id in messages]
        uow.commit()
    return ids


def test_only_the_oldest_pending_message_of_each_ticket_is_deliverable(make_uow, two_tickets):
    one, two = two_tickets
    ping, ack, resolved, other, digest = _add(
        make_uow, ("ping", one), ("acknowledged", one), ("resolved", one), ("ping", two), ("digest", None)
    )
    assert _batch(make_uow) == [("ping", one), ("ping", two), ("digest", None)]
    with make_uow() as uow:
        uow.outbox.mark_sent(ping, NOW)
        uow.outbox.mark_sent(other, NOW)
        uow.commit()
    assert _batch(make_uow) == [("acknowledged", one), ("digest", None)]


def test_a_failed_message_holds_back_its_ticket_until_retry(make_uow, two_tickets):
    one, _ = two_tickets
    ping, _ack = _add(make_uow, ("ping", one), ("acknowledged", one))
    with make_uow() as uow:
        uow.outbox.mark_failed(ping, "ratelimited", retry_at=LATER)
        uow.commit()
    assert _batch(make_uow) == []
    with make_uow() as uow:
        (message,) = uow.outbox.next_batch(LATER, limit=10)
    assert (message.id, message.attempts, message.last_error) == (ping, 1, "ratelimited")


def test_a_parked_message_stops_blocking_and_is_counted(make_uow, two_tickets):
    one, _ = two_tickets
    ping, _ack = _add(make_uow, ("ping", one), ("acknowledged", one))
    with make_uow() as uow:
        uow.outbox.park(ping, "channel_not_found")
        uow.commit()
    assert _batch(make_uow) == [("acknowledged", one)]
    with make_uow() as uow:
        assert (uow.outbox.depth(), uow.outbox.depth("parked"), uow.outbox.depth("sent")) == (1, 1, 0)


def test_a_lease_hides_claimed_messages_until_it_ends(make_uow, two_tickets):
    _add(make_uow, ("ping", two_tickets[0]))
    assert _batch(make_uow, lease_until=LATER) == [("ping", two_tickets[0])]
    assert _batch(make_uow) == []
    assert _batch(make_uow, now=LATER) == [("ping", two_tickets[0])]


def test_marking_an_unknown_message_fails_loudly(make_uow):
    with make_uow() as uow, pytest.raises(LookupError):
        uow.outbox.mark_sent(404, NOW)


def test_a_repeated_event_id_is_detected_and_the_transaction_goes_on(make_uow):
    with make_uow() as uow:
        assert uow.processed.remember("Ev01", NOW) is True
        assert uow.processed.remember("Ev01", NOW) is False
        ticket_id = uow.tickets.add(make_ticket())  # still usable after the duplicate (PostgreSQL!)
        uow.commit()
    with make_uow() as uow:
        assert uow.processed.remember("Ev01", LATER) is False
        assert uow.processed.remember("Ev02", LATER) is True
        assert uow.tickets.get(ticket_id) is not None
        uow.commit()


def test_work_added_before_a_repeat_is_kept(make_uow):
    with make_uow() as uow:
        uow.processed.remember("Ev01", NOW)
        ticket_id = uow.tickets.add(make_ticket())
        uow.outbox.add("ping", {}, ticket_id, NOW)
        assert uow.processed.remember("Ev01", NOW) is False
        uow.commit()
    with make_uow() as uow:
        assert uow.outbox.depth() == 1


def test_old_event_ids_are_pruned(make_uow):
    with make_uow() as uow:
        uow.processed.remember("Ev01", NOW)
        uow.processed.remember("Ev02", LATER)
        assert uow.processed.prune(before=LATER) == 1
        assert uow.processed.remember("Ev01", LATER) is True


def test_away_is_set_replaced_cleared_and_pruned(make_uow):
    tomorrow, next_week = NOW + timedelta(days=1), NOW + timedelta(days=7)
    with make_uow() as uow:
        uow.away.set("U0NN1", tomorrow, by="U0NN1", now=NOW)
        uow.away.set("U0NN2", tomorrow, by="U0LEAD", now=NOW)
        uow.away.set("U0NN1", next_week, by="U0NN1", now=NOW)  # replaces
        uow.away.set("U0OLD", NOW - timedelta(hours=1), by="U0OLD", now=NOW - timedelta(days=1))
        uow.commit()
    with make_uow() as uow:
        assert uow.away.away_at(NOW) == {"U0NN1": next_week, "U0NN2": tomorrow}
        assert uow.away.away_at(tomorrow) == {"U0NN1": next_week}
        assert uow.away.clear("U0NN2") is True
        assert uow.away.clear("U0NN2") is False
        assert uow.away.prune(NOW) == 1
        uow.commit()
    with make_uow() as uow:
        assert uow.away.away_at(NOW - timedelta(days=2)) == {"U0NN1": next_week}


def test_next_attempt_at_is_the_earliest_pending_attempt(make_uow):
    with make_uow() as uow:
        assert uow.outbox.next_attempt_at() is None
        first = uow.outbox.add("ping", {}, ticket_id=None, now=NOW + timedelta(minutes=5))
        uow.outbox.add("ping", {}, ticket_id=None, now=NOW + timedelta(minutes=9))
        assert uow.outbox.next_attempt_at() == NOW + timedelta(minutes=5)
        uow.outbox.mark_sent(first, NOW)
        assert uow.outbox.next_attempt_at() == NOW + timedelta(minutes=9)
