"""Delivery keys: each counts once, across units of work (replicas, restarts), and is forgotten after KEEP."""

from datetime import timedelta

from bot.clock import FakeClock
from handlers.dedup import KEEP, PRUNE_EVERY, DeliveryKeys
from tests.storage.conftest import NOW


def test_a_key_counts_once_even_for_a_second_keeper_as_after_a_restart(make_uow):
    clock = FakeClock(NOW)
    assert DeliveryKeys(make_uow, clock).first_time("envelope:1") is True
    assert DeliveryKeys(make_uow, clock).first_time("envelope:1") is False
    assert DeliveryKeys(make_uow, clock).first_time("envelope:2") is True


def test_keys_older_than_keep_are_forgotten_by_the_next_one_recorded(make_uow):
    clock = FakeClock(NOW)
    keys = DeliveryKeys(make_uow, clock)
    keys.first_time("envelope:old")
    clock.advance(KEEP + PRUNE_EVERY)
    keys.first_time("envelope:new")  # prunes on its way
    with make_uow() as uow:
        assert uow.processed.remember("envelope:old", clock.now()) is True  # gone, so new again
        assert uow.processed.remember("envelope:new", clock.now()) is False


def test_a_keeper_prunes_at_most_once_every_prune_every(make_uow):
    clock = FakeClock(NOW)
    keys = DeliveryKeys(make_uow, clock)

    def still_known(key):
        with make_uow() as uow:
            return uow.processed.remember(key, clock.now()) is False

    keys.first_time("envelope:k")
    clock.advance(KEEP - timedelta(seconds=1))
    keys.first_time("envelope:m")  # prunes: k is not yet KEEP old
    clock.advance(timedelta(seconds=2))
    keys.first_time("envelope:n")  # k is now older than KEEP, but the last prune was 2 s ago
    assert still_known("envelope:k")
    clock.advance(PRUNE_EVERY)
    keys.first_time("envelope:o")
    assert not still_known("envelope:k") and still_known("envelope:m")


def test_a_malformed_key_too_long_or_with_a_nul_is_kept_and_counted_once(make_uow):
    clock = FakeClock(NOW)
    keys = DeliveryKeys(make_uow, clock)
    for odd in ["envelope:" + "x" * 500, "envelope:\x00nul", "envelope:\ud83d"]:
        assert keys.first_time(odd) is True
        assert keys.first_time(odd) is False
    assert keys.first_time("envelope:" + "x" * 499) is True  # a digest each: no two collide
