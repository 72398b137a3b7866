"""Group commit: who shares a transaction, and who gets which result or error."""

import asyncio

from bot.domain.errors import UserError
from bot.domain.ticket import Kind, Outcome
from bot.services.tickets import NewTicket, TicketService
from handlers.group_commit import GroupCommit
from tests.services.test_tickets import CONFIG, NOW


class Recorder:
    """A `write_many` that records its batches and answers each request with its double."""

    def __init__(self, fail_on=None, broken=False):
        self.batches = []
        self.fail_on = fail_on
        self.broken = broken

    def __call__(self, requests):
        self.batches.append(list(requests))
        if self.broken:
            raise ConnectionError("database is gone")
        return [ValueError(f"refused {r}") if r == self.fail_on else r * 2 for r in requests]


def run(coroutine):
    return asyncio.run(coroutine)


def test_a_request_alone_is_written_at_once():
    write = Recorder()
    group = GroupCommit(write)
    assert run(group.submit(21)) == 42
    assert write.batches == [[21]]


def test_requests_still_on_their_way_are_waited_for_and_share_one_batch():
    write = Recorder()
    expected = 3  # three requests in flight: the batch is written when the third joins
    group = GroupCommit(write, others_coming=lambda waiting: waiting < expected, max_wait=5)

    async def scenario():
        first = asyncio.ensure_future(group.submit(1))
        await asyncio.sleep(0.01)  # the others arrive later, on later turns of the loop
        second = asyncio.ensure_future(group.submit(2))
        await asyncio.sleep(0.01)
        assert write.batches == []  # nothing written while others may still join
        return await asyncio.gather(first, second, group.submit(3))

    assert run(scenario()) == [2, 4, 6]
    assert write.batches == [[1, 2, 3]]


def test_a_batch_waits_at_most_max_wait_for_requests_that_never_come():
    write = Recorder()
    group = GroupCommit(write, others_coming=lambda waiting: True, max_wait=0.01)

    async def scenario():
        started = asyncio.get_running_loop().time()
        result = await group.submit(5)
        return result, asyncio.get_running_loop().time() - started

    result, waited = run(scenario())
    assert result == 10 and write.batches == [[5]]
    assert waited < 1  # the deadline, not forever (how close to 10 ms is the machine's business)


def test_a_refused_request_gets_its_own_error_and_the_others_their_results():
    write = Recorder(fail_on=2)
    group = GroupCommit(write, others_coming=lambda waiting: waiting < 3, max_wait=5)

    async def scenario():
        return await asyncio.gather(group.submit(1), group.submit(2), group.submit(3), return_exceptions=True)

    first, second, third = run(scenario())
    assert (first, third) == (2, 6)
    assert isinstance(second, ValueError) and str(second) == "refused 2"


def test_a_failed_write_fails_every_request_of_the_batch_and_the_next_batch_starts_clean():
    write = Recorder(broken=True)
    group = GroupCommit(write, others_coming=lambda waiting: waiting < 2, max_wait=5)

    async def scenario():
        failed = await asyncio.gather(group.submit(1), group.submit(2), return_exceptions=True)
        write.broken = False
        return failed, await group.submit(3)

    failed, later = run(scenario())
    assert all(isinstance(error, ConnectionError) for error in failed)
    assert later == 6 and write.batches == [[1, 2], [3]]


def test_a_cancelled_request_does_not_break_the_batch():
    write = Recorder()
    group = GroupCommit(write, others_coming=lambda waiting: waiting < 2, max_wait=5)

    async def scenario():
        gone = asyncio.ensure_future(group.submit(1))
        await asyncio.sleep(0)
        gone.cancel()  # the client hung up; its row is still written with the batch
        return await group.submit(2)

    assert run(scenario()) == 4
    assert write.batches == [[1, 2]]


def test_an_ask_the_database_could_not_store_is_refused_alone_and_the_other_nine_open(make_uow):
    service = TicketService(CONFIG, make_uow)
    group = GroupCommit(lambda requests: service.open_many(requests, NOW),
                        others_coming=lambda waiting: waiting < 10, max_wait=5)
    asks = [NewTicket(f"U0ASKER{n}", Kind.QUESTION, "nn", f"question {n}") for n in range(10)]
    asks[3] = NewTicket("U0ASKER3", Kind.QUESTION, "nn", "What does \x00 mean?")

    async def scenario():
        return await asyncio.gather(*(group.submit(ask) for ask in asks), return_exceptions=True)

    results = run(scenario())
    assert isinstance(results[3], UserError) and "(U+0000)" in str(results[3])
    assert all(isinstance(result, Outcome) for n, result in enumerate(results) if n != 3)
    assert len({result.ticket.id for n, result in enumerate(results) if n != 3}) == 9
    with make_uow(read_only=True) as uow:
        assert len(uow.tickets.list_open()) == 9
