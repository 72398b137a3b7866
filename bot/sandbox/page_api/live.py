"""Live updates for the open pages: every change in the workspace (a ping posted, a ping updated by
`chat.update`, an App Home published, a modal opened) reaches each page as a server-sent event.

The workspace tells its listeners on whatever thread made the change (the Web API's event loop, the
outbox worker's thread); each page's stream lives on the page server's event loop, so a change is
handed over with `loop.call_soon_threadsafe` and never touches a queue from the wrong thread.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import threading
from collections.abc import AsyncIterator
from typing import Any

HEARTBEAT_SECONDS = 15.0  # a comment line now and then, so proxies and browsers keep the stream open


class ChangeFeed:
    def __init__(self) -> None:
        self._subscribers: list[tuple[asyncio.AbstractEventLoop, asyncio.Queue]] = []
        self._lock = threading.Lock()
        self._closed = False

    def publish(self, change: dict[str, Any] | None) -> None:
        """Safe from any thread; `None` ends every stream (the sandbox is stopping)."""
        with self._lock:
            subscribers = list(self._subscribers)
        for loop, queue in subscribers:
            with contextlib.suppress(RuntimeError):  # that page's loop already closed
                loop.call_soon_threadsafe(queue.put_nowait, change)

    def close(self) -> None:
        """End the streams, so the server can stop: uvicorn waits for open responses to finish."""
        self._closed = True
        self.publish(None)

    async def stream(self) -> AsyncIterator[str]:
        queue: asyncio.Queue = asyncio.Queue()
        entry = (asyncio.get_running_loop(), queue)
        with self._lock:
            self._subscribers.append(entry)
        try:
            yield "retry: 1000\n: connected\n\n"
            while not self._closed:
                try:
                    change = await asyncio.wait_for(queue.get(), HEARTBEAT_SECONDS)
                except TimeoutError:
                    yield ": keep-alive\n\n"
                    continue
                if change is None:
                    break
                yield f"data: {json.dumps(change)}\n\n"
        finally:
            with self._lock:
                self._subscribers.remove(entry)
