"""The background loops: one job each, woken early on demand, alive while they run."""

import threading
import time
from datetime import UTC, datetime, timedelta

import pytest

from bot.clock import FakeClock
from bot.scheduler import Background, Loop


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
