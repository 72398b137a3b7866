"""The one place Upline reads the time. Everything else is handed `now`.

`SystemClock` is the real one; `FakeClock` is moved by hand by tests; `OffsetClock` is real time
plus an offset that the sandbox's "+1h" buttons grow, so a reminder or a breach can be watched
without waiting for it. The sandbox keeps that offset with its data (`OFFSET_SETTING`), so that
`upline status` and `upline report` on its database read the time its page shows.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Protocol

# The runtime setting (storage's `runtime_settings`) that holds a sandbox clock's offset, in seconds.
OFFSET_SETTING = "sandbox.clock_offset_seconds"


class Clock(Protocol):
    def now(self) -> datetime: ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class FakeClock:
    def __init__(self, start: datetime):
        if start.tzinfo is None:
            raise ValueError("FakeClock needs a timezone-aware start")
        self._now = start.astimezone(UTC)
        self._lock = threading.Lock()

    def now(self) -> datetime:
        with self._lock:
            return self._now

    def advance(self, by: timedelta) -> datetime:
        if by < timedelta(0):
            raise ValueError("time only moves forward")
        with self._lock:
            self._now += by
            return self._now


class OffsetClock:
    """Real time plus an offset that only grows: the sandbox's clock.

    Time keeps flowing as it does for everyone, so deadlines approach on their own; the sandbox's
    "+1h" and "+1d" buttons grow the offset, so a reminder or a breach a day away can be watched now.
    """

    def __init__(self, offset: timedelta = timedelta(0), *, real: Clock | None = None):
        if offset < timedelta(0):
            raise ValueError("the offset only moves forward")
        self._real = real if real is not None else SystemClock()
        self._offset = offset
        self._lock = threading.Lock()
        # One advance at a time, with its callback, so that callbacks see the offsets in order. Not
        # `_lock`: a callback that writes to the database may wait for a writer that reads the clock.
        self._advancing = threading.Lock()
        self._on_advance: Callable[[timedelta], None] | None = None

    @property
    def offset(self) -> timedelta:
        with self._lock:
            return self._offset

    def now(self) -> datetime:
        return self._real.now() + self.offset

    def advance(self, by: timedelta) -> datetime:
        if by < timedelta(0):
            raise ValueError("time only moves forward")
        with self._advancing:
            with self._lock:
                self._offset += by
                offset = self._offset
            if self._on_advance is not None:
                self._on_advance(offset)
        return self.now()

    def when_advanced(self, callback: Callable[[timedelta], None]) -> None:
        """Call `callback(offset)` with the new offset after every `advance`, one at a time."""
        with self._advancing:
            self._on_advance = callback
