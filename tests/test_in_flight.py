"""Counting the requests being answered, and what background work does about them."""

import asyncio

from bot.in_flight import BUSY_PAUSE_SECONDS, PEAK_WINDOW_SECONDS, QUIET_SECONDS, InFlight


def test_requests_are_counted_while_they_are_answered_and_after_an_error():
    in_flight = InFlight()
    with in_flight.request():
        with in_flight.request():
            assert in_flight.count == 2
        try:
            with in_flight.request():
                raise RuntimeError("handler failed")
        except RuntimeError:
            pass
        assert in_flight.count == 1
    assert in_flight.count == 0


def test_a_request_whose_writes_are_committed_no_longer_counts_as_uncommitted():
    in_flight = InFlight()

    async def request(commit_first: bool, ready: asyncio.Event, done: asyncio.Event):
        with in_flight.request():
            if commit_first:
                in_flight.committed()
                in_flight.committed()  # twice is once
            ready.set()
            await done.wait()

    async def scenario():
        done = asyncio.Event()
        ready = [asyncio.Event(), asyncio.Event()]
        tasks = [asyncio.create_task(request(flag, event, done))
                 for flag, event in zip((True, False), ready, strict=True)]
        await asyncio.gather(*(event.wait() for event in ready))
        seen = (in_flight.count, in_flight.uncommitted)
        done.set()
        await asyncio.gather(*tasks)
        return seen, (in_flight.count, in_flight.uncommitted)

    assert asyncio.run(scenario()) == ((2, 1), (0, 0))


def test_committed_outside_a_request_changes_nothing():
    in_flight = InFlight()
    in_flight.committed()
    assert (in_flight.count, in_flight.uncommitted) == (0, 0)


def test_background_work_pauses_between_steps_only_while_requests_wait():
    in_flight = InFlight()

    async def pause_length() -> float:
        loop = asyncio.get_running_loop()
        started = loop.time()
        await in_flight.yield_to_requests()
        return loop.time() - started

    assert asyncio.run(pause_length()) < BUSY_PAUSE_SECONDS
    with in_flight.request():
        assert asyncio.run(pause_length()) >= BUSY_PAUSE_SECONDS * 0.9


def test_requests_one_after_another_keep_background_work_waiting_between_them():
    now = [100.0]
    in_flight = InFlight(clock=lambda: now[0])
    assert not in_flight.busy  # nothing asked yet
    with in_flight.request():
        assert in_flight.busy
    assert in_flight.busy  # the next ask of someone asking in turn is a moment away
    now[0] += QUIET_SECONDS / 2
    assert in_flight.busy
    now[0] += QUIET_SECONDS
    assert not in_flight.busy


def test_the_recent_peak_remembers_a_crowd_for_a_while_then_follows_the_load_down():
    now = [0.0]
    in_flight = InFlight(clock=lambda: now[0])
    with in_flight.request(), in_flight.request(), in_flight.request():
        pass
    assert in_flight.recent_peak == 3
    now[0] = PEAK_WINDOW_SECONDS / 2
    with in_flight.request():
        pass
    assert in_flight.recent_peak == 3  # one request alone does not forget the crowd at once
    now[0] = PEAK_WINDOW_SECONDS * 1.6
    with in_flight.request():
        pass
    assert in_flight.recent_peak == 1  # no crowd for longer than the window: one at a time again
