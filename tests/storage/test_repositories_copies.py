"""The Slack copies of a ticket: kept once each, read back in order with the ticket, their data changed."""

from __future__ import annotations

from storage.repositories import Copy
from tests.storage.conftest import NOW, make_ticket


def _ticket(make_uow) -> int:
    with make_uow() as uow:
        ticket_id = uow.tickets.add(make_ticket())
        uow.commit()
    return ticket_id


def test_copies_come_back_with_their_ticket_oldest_first(make_uow):
    ticket_id = _ticket(make_uow)
    ping = Copy("ping", "C0NN", "1.000100", {"to": ["albanD"], "level": "area:nn"})
    core = Copy("rung", "C0CORE", "2.000100", {"to": ["ezyang"], "level": "core", "headline": "Escalated"})
    with make_uow() as uow:
        uow.copies.add_many([(ticket_id, ping), (ticket_id, core)], NOW)
        uow.commit()
    with make_uow(read_only=True) as uow:
        [(ticket, refs)] = uow.tickets.with_refs([ticket_id]).values()
        assert [(copy.role, copy.channel, copy.ts, copy.data) for copy in refs.copies] == [
            ("ping", "C0NN", "1.000100", ping.data), ("rung", "C0CORE", "2.000100", core.data)]
        assert all(copy.id is not None for copy in refs.copies)


def test_a_copy_delivered_again_is_kept_once(make_uow):
    ticket_id = _ticket(make_uow)
    ping = Copy("ping", "C0NN", "1.000100", {"level": "area:nn"})
    for _ in range(2):  # a retried delivery reports the same message again
        with make_uow() as uow:
            uow.copies.add_many([(ticket_id, ping), (ticket_id, ping)], NOW)
            uow.commit()
    with make_uow(read_only=True) as uow:
        assert len(uow.copies.for_ticket(ticket_id)) == 1


def test_a_copys_data_can_change(make_uow):
    ticket_id = _ticket(make_uow)
    with make_uow() as uow:
        uow.copies.add_many([(ticket_id, Copy("asker", "D0ASKER", "3.000100", {"kind": "waiting"}))], NOW)
        uow.commit()
    with make_uow() as uow:
        [copy] = uow.copies.for_ticket(ticket_id)
        uow.copies.update_data([(copy.id, copy.data | {"settled": True})])
        uow.commit()
    with make_uow(read_only=True) as uow:
        assert uow.copies.for_ticket(ticket_id)[0].data == {"kind": "waiting", "settled": True}
