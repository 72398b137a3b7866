"""The background loops: one job each, woken early on demand, alive while they run."""

import asyncio
import threading
import time
from datetime import UTC, datetime, timedelta

import pytest

from bot.clock import FakeClock
from bot.scheduler import AsyncLoop, Background, Loop


class Recorder:
    def __init__(self, next_due=None, fail=False):
        self.calls: list[datetime] = []
        self.ran = threading.Event()
        self.next_due = next_due
        self.fail = fail

    def __call__(self, now):
        self.calls.append(now)
        self.ran.set()
        if self.fail:
            raise RuntimeError("database is down")
        return self.next_due


@pytest.fixture
def clock():
    return FakeClock(datetime(2026, 11, 26, 12, tzinfo=UTC))


def test_loop_runs_at_start_with_the_clocks_time(clock):
    work = Recorder()
    background = Background([Loop("sweeper", work, clock)])
    background.start()
    try:
        assert work.ran.wait(5)
        assert work.calls[0] == clock.now()
        assert background.loops["sweeper"].alive()
    finally:
        background.stop()


def test_wake_runs_again_without_waiting_for_the_cap(clock):
    work = Recorder()
    background = Background([Loop("sweeper", work, clock, cap=timedelta(hours=1))])
    background.start()
    try:
        assert work.ran.wait(5)
        work.ran.clear()
        clock.advance(timedelta(days=1))
        background.wake()
        assert work.ran.wait(5)
        assert work.calls[-1] == datetime(2026, 11, 27, 12, tzinfo=UTC)
    finally:
        background.stop()


def test_a_due_time_already_past_runs_again_at_once(clock):
    work = Recorder(next_due=clock.now() - timedelta(seconds=1))
    background = Background([Loop("sweeper", work, clock, cap=timedelta(hours=1))])
    background.start()
    try:
        for _ in range(3):  # it keeps coming back while something is due
            assert work.ran.wait(5)
            work.ran.clear()
    finally:
        background.stop()


def test_failing_work_keeps_the_loop_and_reports_the_error(clock):
    work = Recorder(fail=True)
    loop = Loop("outbox", work, clock)
    loop.run_once()
    assert loop.last_error == "RuntimeError('database is down')"
    assert loop.alive()


def test_a_loop_that_never_ran_is_not_alive(clock):
    assert not Loop("sweeper", Recorder(), clock).alive()


def test_waking_for_a_later_deadline_keeps_an_earlier_run(clock):
    work = Recorder()
    loop = Loop("sweeper", work, clock, cap=timedelta(hours=1))
    background = Background([loop])
    background.start()
    try:
        assert work.ran.wait(5)
        work.ran.clear()
        deadline = time.monotonic() + 5
        while loop._pending_at is None and time.monotonic() < deadline:  # the run reschedules itself
            time.sleep(0.001)
        pending = loop._pending_at
        assert pending is not None
        background.wake(clock.now() + timedelta(days=1))  # later than the run already planned
        assert loop._pending_at == pending
        background.wake(clock.now())  # due now: run now
        assert work.ran.wait(5)
    finally:
        background.stop()


def test_a_commit_wakes_the_sweeper_and_the_outbox_but_not_a_loop_with_its_own_pace(clock):
    sweeper, outbox, paced = Recorder(), Recorder(), Recorder()
    background = Background([Loop("sweeper", sweeper, clock, cap=timedelta(hours=1)),
                             Loop("outbox", outbox, clock, cap=timedelta(hours=1)),
                             Loop("checkpointer", paced, clock, cap=timedelta(hours=1))])
    background.start()
    try:
        for work in (sweeper, outbox, paced):
            assert work.ran.wait(5)
            work.ran.clear()
        background.wake()
        assert sweeper.ran.wait(5) and outbox.ran.wait(5)
        assert not paced.ran.wait(0.2)  # its next run is an hour away, and stays there
        assert len(paced.calls) == 1
    finally:
        background.stop()


class EventLoopThread:
    """An asyncio event loop running in a thread of its own, as uvicorn's does."""

    def __init__(self):
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self.loop.run_forever, daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(5)
        self.loop.close()

    def call(self, function):
        """Run `function` on the loop's thread, and return what it returns."""
        async def on_loop():
            return function()
        return asyncio.run_coroutine_threadsafe(on_loop(), self.loop).result(5)


class AsyncRecorder(Recorder):
    def __init__(self, next_due=None, fail=False, seconds=0.0):
        super().__init__(next_due, fail)
        self.threads: list[int] = []
        self.seconds = seconds
        self.finished = 0

    async def __call__(self, now):
        self.threads.append(threading.get_ident())
        await asyncio.sleep(self.seconds)
        self.finished += 1
        return super().__call__(now)


def test_an_async_loop_runs_on_the_event_loop_and_a_wake_from_there_runs_it_again(clock):
    work = AsyncRecorder()
    with EventLoopThread() as event_loop:
        background = Background([AsyncLoop("outbox", work, clock, cap=timedelta(hours=1))])
        background.start(event_loop.loop)
        try:
            assert work.ran.wait(5)
            loop_thread = event_loop.call(threading.get_ident)
            assert work.threads == [loop_thread] and background.loops["outbox"].alive()
            work.ran.clear()
            clock.advance(timedelta(minutes=5))
            event_loop.call(background.wake)  # as a commit on the event loop does
            assert work.ran.wait(5)
            work.ran.clear()
            background.wake()  # from another thread, as the sandbox's clock does
            assert work.ran.wait(5)
            assert work.calls[1] == clock.now() and set(work.threads) == {loop_thread}
        finally:
            background.stop()


def test_an_async_loop_keeps_an_earlier_run_when_woken_for_a_later_deadline(clock):
    work = AsyncRecorder(next_due=clock.now() + timedelta(seconds=0.2))
    with EventLoopThread() as event_loop:
        loop = AsyncLoop("outbox", work, clock, cap=timedelta(hours=1))
        background = Background([loop])
        background.start(event_loop.loop)
        try:
            assert work.ran.wait(5)
            work.ran.clear()
            loop.wake(clock.now() + timedelta(hours=1))  # later than planned: changes nothing
            assert work.ran.wait(5)  # the planned run, 0.2 s after the first
            assert len(work.calls) == 2
        finally:
            background.stop()


def test_a_failing_async_loop_stays_alive_and_says_why(clock):
    work = AsyncRecorder(fail=True)
    with EventLoopThread() as event_loop:
        loop = AsyncLoop("outbox", work, clock)
        background = Background([loop])
        background.start(event_loop.loop)
        try:
            assert work.ran.wait(5)
            deadline = time.monotonic() + 5
            while loop.last_error is None:
                assert time.monotonic() < deadline
                time.sleep(0.01)
            assert "database is down" in loop.last_error and loop.alive()
            assert "the outbox has not run recently" not in " ".join(background.problems())
        finally:
            background.stop()


def test_stopping_lets_the_run_in_progress_finish_then_the_async_loop_ends(clock):
    work = AsyncRecorder(seconds=0.3)
    with EventLoopThread() as event_loop:
        loop = AsyncLoop("outbox", work, clock, cap=timedelta(hours=1))
        background = Background([loop])
        background.start(event_loop.loop)
        time.sleep(0.05)  # the first run is under way
        background.stop()
        assert work.finished == 1  # it was not cut off halfway
        loop.wake()  # after stop: nothing runs any more
        time.sleep(0.1)
        assert len(work.calls) == 1


def test_an_async_loop_needs_the_event_loop_to_start(clock):
    background = Background([AsyncLoop("outbox", AsyncRecorder(), clock)])
    with pytest.raises(RuntimeError, match="start\\(event_loop\\)"):
        background.start()
    background.stop()
