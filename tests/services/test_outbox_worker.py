"""Delivering the outbox: retries with backoff, Retry-After honoured, order kept, nothing dropped."""

import asyncio
from datetime import UTC, datetime, timedelta

import pytest

from bot.services.notifier import Copy, Delivered, DeliveryFailed
from bot.services.outbox_worker import RetryPolicy
from bot.services.outbox_worker import deliver_due as deliver_due_async
from tests.storage.conftest import make_ticket

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)


def deliver_due(*args, **kwargs):
    return asyncio.run(deliver_due_async(*args, **kwargs))


class OneAtATime:
    """A notifier without lanes or summaries: each ticket's messages are a lane of their own."""

    def lane(self, message, ticket, refs):
        return f"ticket:{message.ticket_id}"

    def summarizable(self, lane, message):
        return False


class FlakyNotifier(OneAtATime):
    """Fails the first `failures` deliveries, then delivers; records what went out."""

    def __init__(self, failures=0, retry_after=None, permanent=False):
        self.failures = failures
        self.retry_after = retry_after
        self.permanent = permanent
        self.attempts = 0
        self.delivered = []

    async def deliver(self, message, ticket, refs):
        self.attempts += 1
        if self.attempts <= self.failures:
            raise DeliveryFailed("HTTP 503", retry_after=self.retry_after, permanent=self.permanent)
        self.delivered.append((message.ticket_id, message.kind, message.payload["n"]))


@pytest.fixture
def ticket_id(make_uow):
    with make_uow() as uow:
        ticket_id = uow.tickets.add(make_ticket())
        uow.commit()
    return ticket_id


def enqueue(make_uow, ticket_id, *numbers, kind="ping"):
    with make_uow() as uow:
        for number in numbers:
            uow.outbox.add(kind, {"n": number}, ticket_id=ticket_id, now=NOW)
        uow.commit()


def test_failing_three_times_then_succeeding_delivers_exactly_once(make_uow, ticket_id):
    enqueue(make_uow, ticket_id, 1)
    notifier = FlakyNotifier(failures=3)
    now = NOW
    for _ in range(10):  # keep running the worker as its clock moves on
        deliver_due(make_uow, notifier, now)
        now += timedelta(minutes=1)
    assert notifier.delivered == [(ticket_id, "ping", 1)]
    assert notifier.attempts == 4
    with make_uow() as uow:
        assert uow.outbox.depth("pending") == 0 and uow.outbox.depth("sent") == 1


def test_backoff_grows_and_retry_after_is_honoured(make_uow, ticket_id):
    enqueue(make_uow, ticket_id, 1)
    notifier = FlakyNotifier(failures=1, retry_after=30)
    report = deliver_due(make_uow, notifier, NOW)
    assert report.retried == 1
    assert deliver_due(make_uow, notifier, NOW + timedelta(seconds=29)).sent == 0  # too early
    assert deliver_due(make_uow, notifier, NOW + timedelta(seconds=30)).sent == 1


def test_retry_policy_doubles_up_to_its_cap():
    policy = RetryPolicy(first_delay=timedelta(seconds=2), max_delay=timedelta(seconds=60))
    assert [policy.delay(attempt, None).total_seconds() for attempt in (1, 2, 3, 6, 7)] == [2, 4, 8, 60, 60]
    assert policy.delay(1, 120).total_seconds() == 120


def test_messages_of_one_ticket_go_out_in_order_even_after_a_failure(make_uow, ticket_id):
    enqueue(make_uow, ticket_id, 1, 2, 3)
    notifier = FlakyNotifier(failures=1)
    now = NOW
    for _ in range(6):
        deliver_due(make_uow, notifier, now)
        now += timedelta(minutes=1)
    assert [number for _, _, number in notifier.delivered] == [1, 2, 3]


def test_after_max_attempts_a_message_is_parked_with_an_event_not_dropped(make_uow, ticket_id, caplog):
    enqueue(make_uow, ticket_id, 1)
    notifier = FlakyNotifier(failures=99)
    now = NOW
    for _ in range(5):
        deliver_due(make_uow, notifier, now, retry=RetryPolicy(max_attempts=3))
        now += timedelta(hours=1)
    assert notifier.attempts == 3
    with make_uow() as uow:
        assert uow.outbox.depth("parked") == 1
        [parked] = [event for event in uow.events.for_ticket(ticket_id) if event.kind == "parked"]
    assert "after 3 attempts" in parked.reason
    assert "parked after 3 attempts" in caplog.text


def test_a_permanent_failure_is_parked_at_once(make_uow, ticket_id):
    enqueue(make_uow, ticket_id, 1)
    report = deliver_due(make_uow, FlakyNotifier(failures=1, permanent=True), NOW)
    assert report.parked == 1


def test_a_crashing_notifier_is_retried_like_a_failure(make_uow, ticket_id):
    enqueue(make_uow, ticket_id, 1)

    class Crashing(OneAtATime):
        async def deliver(self, message, ticket, refs):
            raise KeyError("template")

    assert deliver_due(make_uow, Crashing(), NOW).retried == 1


def test_a_leased_message_is_not_delivered_twice_by_a_second_worker(make_uow, ticket_id):
    enqueue(make_uow, ticket_id, 1)
    with make_uow() as uow:
        uow.outbox.next_batch(NOW, 10, lease_until=NOW + timedelta(minutes=2))  # another worker has it
        uow.commit()
    notifier = FlakyNotifier()
    assert deliver_due(make_uow, notifier, NOW + timedelta(seconds=10)).sent == 0
    assert deliver_due(make_uow, notifier, NOW + timedelta(minutes=3)).sent == 1  # its lease ran out


class PostingNotifier(OneAtATime):
    """Posts a ping to two DMs, then (on the next message) sees the copies it was given."""

    def __init__(self):
        self.seen_copies = []

    async def deliver(self, message, ticket, refs):
        self.seen_copies.append([(copy.channel, copy.ts) for copy in refs.copies])
        if message.payload["n"] == 1:
            return Delivered(posted=(Copy("ping", "D0A", "1.1", {"person": "a"}), Copy("ping", "D0B", "1.2",
                                                                                         {"person": "b"})))
        return Delivered(changed=((refs.copies[1].id, {"person": "b", "gone": True}),))


def test_what_a_delivery_posted_is_kept_and_given_to_the_next_delivery(make_uow, ticket_id):
    enqueue(make_uow, ticket_id, 1, 2)
    notifier = PostingNotifier()
    deliver_due(make_uow, notifier, NOW)
    deliver_due(make_uow, notifier, NOW)
    assert notifier.seen_copies == [[], [("D0A", "1.1"), ("D0B", "1.2")]]
    with make_uow(read_only=True) as uow:
        refs = uow.tickets.slack_refs(ticket_id)
        assert (refs.ping_channel, refs.ping_ts) == ("D0A", "1.1"), "the first ping is the ticket's thread"
        assert refs.copies[1].data == {"person": "b", "gone": True}
