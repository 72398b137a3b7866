"""The clocks: the sandbox's OffsetClock tells whoever keeps its offset about every move, in order."""

import threading
from datetime import UTC, datetime, timedelta

from bot.clock import FakeClock, OffsetClock

T = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def test_an_offset_clock_reports_each_new_offset_after_it_moves():
    clock = OffsetClock(real=FakeClock(T))
    seen: list[tuple[timedelta, datetime]] = []
    clock.advance(timedelta(minutes=5))  # nobody listens yet
    clock.when_advanced(lambda offset: seen.append((offset, clock.now())))
    clock.advance(timedelta(hours=1))
    clock.advance(timedelta(days=1))
    assert seen == [(timedelta(hours=1, minutes=5), T + timedelta(hours=1, minutes=5)),
                    (timedelta(days=1, hours=1, minutes=5), T + timedelta(days=1, hours=1, minutes=5))]


def test_moves_from_many_threads_are_reported_in_the_order_they_happened():
    clock = OffsetClock(real=FakeClock(T))
    seen: list[timedelta] = []
    clock.when_advanced(seen.append)
    threads = [threading.Thread(target=clock.advance, args=(timedelta(seconds=1),)) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert seen == [timedelta(seconds=n) for n in range(1, 21)]


def test_reading_the_clock_does_not_wait_for_a_slow_listener():
    clock = OffsetClock(real=FakeClock(T))
    listening, release = threading.Event(), threading.Event()

    def slow(offset: timedelta) -> None:  # e.g. a database write waiting for another writer
        listening.set()
        release.wait(10)

    clock.when_advanced(slow)
    mover = threading.Thread(target=clock.advance, args=(timedelta(hours=1),))
    mover.start()
    assert listening.wait(10)
    assert clock.now() == T + timedelta(hours=1)  # would deadlock if the listener held the clock's lock
    release.set()
    mover.join(10)
