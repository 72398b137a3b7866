"""The background loops: the deadline sweeper and the WAL checkpointer (one APScheduler job each), and
the outbox worker (a task on the event loop that serves Slack: it talks HTTP, and a commit wakes it
there without a thread hop).

Deadlines live in the tickets table (`next_due_at`), not in one scheduler job per ticket: one job
sweeps whatever is due, then sleeps until the earliest deadline — capped, so a deadline written by
another replica is noticed within `cap` — or until something `wake()`s it (a new ticket, the
sandbox's clock moving). A restart finds everything overdue on its first run, and several replicas
can run it side by side because claiming a ticket is a row lock, not a job lookup.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import logging
import threading
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta

from apscheduler.jobstores.base import JobLookupError
from apscheduler.schedulers import SchedulerNotRunningError
from apscheduler.schedulers.background import BackgroundScheduler

from bot.clock import Clock

log = logging.getLogger(__name__)


class _Runs:
    """What every loop has: its work, the clock it reads, its longest sleep, and its health."""

    def __init__(self, name: str, work: Callable, clock: Clock, cap: timedelta):
        self.name = name
        self._work = work
        self._clock = clock
        self._cap = cap
        self.last_run: float | None = None  # monotonic seconds; /healthz checks it
        self.last_error: str | None = None

    def alive(self, now_monotonic: float | None = None) -> bool:
        now_monotonic = time.monotonic() if now_monotonic is None else now_monotonic
        limit = 2 * self._cap.total_seconds() + 5
        return self.last_run is not None and now_monotonic - self.last_run <= limit

    def _ran(self, error: Exception | None) -> None:
        """Note a finished run; a failed one is logged and kept for /healthz, and the next run retries."""
        if error is not None:
            log.error("%s failed", self.name, exc_info=error)
        self.last_error = None if error is None else repr(error)
        self.last_run = time.monotonic()


class Loop(_Runs):
    """One job that runs `work(now)`; `work` returns when it next has something to do."""

    def __init__(self, name: str, work: Callable[[datetime], datetime | None], clock: Clock,
                 cap: timedelta = timedelta(seconds=30)):
        super().__init__(name, work, clock, cap)
        self._scheduler: BackgroundScheduler | None = None
        self._lock = threading.Lock()  # one run at a time
        self._schedule_lock = threading.Lock()
        self._pending_at: datetime | None = None  # real time of the next run
        self._running = False
        self._again = False  # woken while running: run again right after

    def attach(self, scheduler: BackgroundScheduler) -> None:
        # One job for the loop's whole life, on an interval of `cap` (the longest sleep), whose next
        # run is moved earlier when there is work. Never a one-shot job per run: APScheduler deletes
        # those itself as it submits them, and that races with anything else touching the job.
        self._scheduler = scheduler
        self._pending_at = datetime.now(UTC)
        scheduler.add_job(self.run_once, trigger="interval", seconds=self._cap.total_seconds(), id=self.name,
                          name=self.name, next_run_time=self._pending_at, misfire_grace_time=None,
                          coalesce=True, max_instances=2)  # 2: a run may move the next one to "now"

    def wake(self, due: datetime | None = None) -> None:
        """Something new is due at `due` (clock time; None: now): make sure a run happens by then.

        Cheap when nothing changes — a busy server wakes the outbox worker on every commit, and a run
        already planned in time is left alone.
        """
        if self._scheduler is None or not self._scheduler.running:
            return
        wait = timedelta(0) if due is None else max(due - self._clock.now(), timedelta(0))
        with self._schedule_lock:
            if self._running and wait == timedelta(0):
                self._again = True
                return
            if self._pending_at is not None and self._pending_at <= datetime.now(UTC) + wait:
                return
        self._plan(wait)

    def wait_idle(self) -> None:
        with self._lock:
            pass

    def run_once(self) -> None:
        with self._lock:  # a wake() while running must not run the work twice at once
            with self._schedule_lock:
                self._running, self._again = True, False
                self._pending_at = datetime.now(UTC) + self._cap  # the interval's own next run
            next_due, error = None, None
            try:
                next_due = self._work(self._clock.now())
            except Exception as failure:  # keep the loop alive
                error = failure
            self._ran(error)
            with self._schedule_lock:
                self._running, again = False, self._again
        if again:
            self._plan(timedelta(0))
        elif next_due is not None and next_due - self._clock.now() < self._cap:
            self._plan(max(next_due - self._clock.now(), timedelta(0)))

    def _plan(self, wait: timedelta) -> None:
        with self._schedule_lock:
            self._pending_at = datetime.now(UTC) + wait
            with contextlib.suppress(JobLookupError, SchedulerNotRunningError):  # shutting down
                self._scheduler.modify_job(self.name, next_run_time=self._pending_at)


class AsyncLoop(_Runs):
    """A loop like `Loop` whose work is a coroutine, run as a task on an asyncio event loop.

    The outbox worker is one: its deliveries await Slack on the loop that answers requests, and the
    commits that wake it run on that loop too — waking it is setting an asyncio.Event, where a job
    on APScheduler's threads cost two thread switches per commit, each waiting for the interpreter.
    """

    def __init__(self, name: str, work: Callable[[datetime], Awaitable[datetime | None]], clock: Clock,
                 cap: timedelta = timedelta(seconds=30)):
        super().__init__(name, work, clock, cap)
        self._event_loop: asyncio.AbstractEventLoop | None = None
        self._thread: int | None = None  # the event loop's thread
        self._task: asyncio.Task | None = None
        self._wakeup: asyncio.Event | None = None
        self._planned = 0.0  # monotonic time of the next run
        self._stopping = False

    def attach(self, event_loop: asyncio.AbstractEventLoop) -> None:
        """Start on `event_loop` (which runs, in this thread or another)."""
        self._event_loop = event_loop
        event_loop.call_soon_threadsafe(self._start)

    def _start(self) -> None:
        self._thread = threading.get_ident()
        self._wakeup = asyncio.Event()
        self._task = asyncio.get_running_loop().create_task(self._run(), name=self.name)

    async def _run(self) -> None:
        while not self._stopping:
            self._wakeup.clear()
            next_due, error = None, None
            try:
                next_due = await self._work(self._clock.now())
            except Exception as failure:  # keep the loop alive
                error = failure
            self._ran(error)
            wait = self._cap if next_due is None else min(max(next_due - self._clock.now(), timedelta(0)), self._cap)
            self._planned = time.monotonic() + wait.total_seconds()
            if wait > timedelta(0) and not self._stopping:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wakeup.wait(), wait.total_seconds())

    def wake(self, due: datetime | None = None) -> None:
        """Run by `due` (None: now); from the event loop's thread or any other."""
        if self._wakeup is None or self._stopping:
            return
        wait = 0.0 if due is None else max((due - self._clock.now()).total_seconds(), 0.0)
        if wait > 0 and self._planned <= time.monotonic() + wait:
            return  # already planned in time
        if threading.get_ident() == self._thread:
            if wait == 0:
                self._wakeup.set()
            else:
                self._event_loop.call_later(wait, self._wakeup.set)
        else:
            self._event_loop.call_soon_threadsafe(self.wake, due)

    def wait_idle(self) -> None:
        """Stop after the run in progress (its transaction) ends. From a thread other than the loop's."""
        self._stopping = True
        event_loop, task = self._event_loop, self._task
        if event_loop is None or task is None or not event_loop.is_running():
            return
        event_loop.call_soon_threadsafe(self._wakeup.set)

        async def finished() -> None:
            await asyncio.wait({task})

        with contextlib.suppress(concurrent.futures.TimeoutError, RuntimeError):
            asyncio.run_coroutine_threadsafe(finished(), event_loop).result(timeout=30)


class Background:
    """Owns the APScheduler instance and the loops: `Loop`s on it, `AsyncLoop`s on the event loop."""

    def __init__(self, loops: list[Loop | AsyncLoop]):
        self.loops = {loop.name: loop for loop in loops}
        self._scheduler = BackgroundScheduler(timezone=UTC)
        self._event_loop: asyncio.AbstractEventLoop | None = None

    def add(self, loop: Loop | AsyncLoop) -> None:
        self.loops[loop.name] = loop
        if self._scheduler.running:
            self._attach(loop)

    def _attach(self, loop: Loop | AsyncLoop) -> None:
        if isinstance(loop, AsyncLoop):
            if self._event_loop is None:
                raise RuntimeError(f"the {loop.name} runs on an event loop: start(event_loop) takes it")
            loop.attach(self._event_loop)
        else:
            loop.attach(self._scheduler)

    def problems(self) -> list[str]:
        """Why the loops are not healthy, for /healthz: empty when every loop ran recently."""
        return [f"the {name} has not run recently" + (f" (last error: {loop.last_error})" if loop.last_error else "")
                for name, loop in self.loops.items() if not loop.alive()]

    def start(self, event_loop: asyncio.AbstractEventLoop | None = None) -> None:
        if event_loop is None and (needs := [name for name, loop in self.loops.items() if isinstance(loop, AsyncLoop)]):
            raise RuntimeError(f"the {', '.join(needs)} runs on an event loop: start(event_loop) takes it")
        self._event_loop = event_loop
        self._scheduler.start()
        for loop in self.loops.values():
            self._attach(loop)

    def stop(self) -> None:
        """Stop scheduling, then wait for any run in progress to finish its transaction."""
        if self._scheduler.running:
            # Not wait=True: it holds the job store lock while it waits, and a run that is
            # rescheduling itself needs that lock — the two would wait for each other forever.
            self._scheduler.shutdown(wait=False)
        for loop in self.loops.values():
            loop.wait_idle()

    def wake(self, due: datetime | None = None) -> None:
        """After a commit: the outbox has work now; the sweeper has work at `due`. Other loops keep
        their own pace."""
        if "sweeper" in self.loops:
            self.loops["sweeper"].wake(due)
        if "outbox" in self.loops:
            self.loops["outbox"].wake(None)
