"""Which of Slack's requests are being answered right now, so other work can fit around them.

Slack gives a request three seconds; a ping delivered a few milliseconds later costs nobody anything.
So while requests keep coming the outbox worker, which shares their event loop, pauses between
messages (`yield_to_requests`) instead of taking turns with them. And a batch of new tickets waits
for the requests still on their way to it (`uncommitted`) before it commits (see
`handlers.group_commit`). Touched only on the event loop: no lock.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable, Iterator
from contextvars import ContextVar

# While requests keep coming, at most one delivery per pause: 10 messages a second, still more than Slack
# takes in one channel (about one a second, with short bursts). At 50 a second, the deliveries made
# during a burst of asks (and the Web API's answers to them) put a third on their p99 in
# benchmarks/http_ack.py; once the burst is over the backlog goes out at full speed.
BUSY_PAUSE_SECONDS = 0.1
# Requests keep coming while the last one ended this recently: one client asking in turn is never in
# flight at the instant the worker looks, and without this it got a delivery between every two asks.
QUIET_SECONDS = 0.05
PEAK_WINDOW_SECONDS = 10.0


class InFlight:
    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.count = 0  # requests being answered
        self._committed = 0  # ... of which have had their writes committed, and are only answering
        self._request: ContextVar[list[bool] | None] = ContextVar("upline_request", default=None)
        self._clock = clock
        self._peak, self._peak_at = 0, 0.0
        self._last_ended = -QUIET_SECONDS  # a moment before the first request

    @contextlib.contextmanager
    def request(self) -> Iterator[None]:
        """Around the handling of one request."""
        state = [False]  # committed yet?
        token = self._request.set(state)
        self.count += 1
        now = self._clock()
        if self.count >= self._peak or now - self._peak_at > PEAK_WINDOW_SECONDS:
            self._peak, self._peak_at = self.count, now
        try:
            yield
        finally:
            self.count -= 1
            self._committed -= state[0]
            self._request.reset(token)
            self._last_ended = self._clock()

    def committed(self) -> None:
        """The current request's writes are committed: nothing more of it will join a batch."""
        state = self._request.get()
        if state is not None and not state[0]:
            state[0] = True
            self._committed += 1

    @property
    def recent_peak(self) -> int:
        """The most requests in flight at once lately (it is forgotten after PEAK_WINDOW_SECONDS
        without a new high): how many tend to come together now."""
        return self._peak

    @property
    def uncommitted(self) -> int:
        """Requests in flight that may still have something to commit."""
        return self.count - self._committed

    @property
    def busy(self) -> bool:
        """Requests are in flight, or one ended a moment ago (more are likely on their way)."""
        return self.count > 0 or self._clock() - self._last_ended < QUIET_SECONDS

    async def yield_to_requests(self) -> None:
        """Between two background steps: wait a little while requests keep coming, else just yield."""
        await asyncio.sleep(BUSY_PAUSE_SECONDS if self.busy else 0)
