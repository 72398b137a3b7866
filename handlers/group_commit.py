"""Group commit: the asks that arrive together are written in one transaction.

Every `/ask` must be committed before Slack gets its answer, and a transaction's fixed cost is several
times that of one more row. So a request does not commit alone: it joins the batch being gathered,
and the batch is written as soon as no other request can be expected to join it (or after
`max_wait`, for requests that never do). One request alone waits for nothing; ten arriving together
share one transaction. Who is expected is the caller's call (`others_coming`; see `handlers.deps`).

The batch is written on the event loop itself: on SQLite about 1.5 ms for ten asks, most of it Python
that holds the interpreter. Written by a worker thread instead, so that the next batch could gather
meanwhile, it answered no faster (benchmarks/http_ack.py), on SQLite or PostgreSQL.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from typing import Generic, TypeVar

Request = TypeVar("Request")
Result = TypeVar("Result")


class GroupCommit(Generic[Request, Result]):
    """Gathers requests for `write_many`, which takes a batch and returns one result per request.

    A result that is an exception is raised to its own request only; `write_many` raising fails the
    whole batch, and every request in it gets that error (nothing of the batch was committed).
    `others_coming(n)` says whether requests other than the n waiting may still join the batch.
    """

    def __init__(self, write_many: Callable[[Sequence[Request]], list[Result | BaseException]],
                 others_coming: Callable[[int], bool] = lambda waiting: False, max_wait: float = 0.004) -> None:
        self._write_many = write_many
        self._others_coming = others_coming
        self._max_wait = max_wait
        self._waiting: list[tuple[Request, asyncio.Future]] = []
        self._deadline: asyncio.TimerHandle | None = None

    async def submit(self, request: Request) -> Result:
        loop = asyncio.get_running_loop()
        future = loop.create_future()
        self._waiting.append((request, future))
        if not self._others_coming(len(self._waiting)):
            loop.call_soon(self._flush)
        elif self._deadline is None:
            self._deadline = loop.call_later(self._max_wait, self._flush)
        return await future

    def _flush(self) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
            self._deadline = None
        batch, self._waiting = self._waiting, []
        if not batch:  # an earlier flush took them
            return
        try:
            results: list = self._write_many([request for request, _ in batch])
        except Exception as error:  # noqa: BLE001 - handed to every request of the batch
            results = [error] * len(batch)
        for (_, future), result in zip(batch, results, strict=True):
            if future.done():  # its request was cancelled (the client went away)
                continue
            if isinstance(result, BaseException):
                future.set_exception(result)
            else:
                future.set_result(result)
