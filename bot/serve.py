"""Serving an ASGI app with uvicorn: in the foreground for `upline run`, or in a thread for the
sandbox, the tests and the benchmarks — the same production server either way."""

from __future__ import annotations

import asyncio
import contextlib
import signal
import socket
import threading
import time
from collections.abc import Callable, Iterator

import uvicorn


@contextlib.contextmanager
def on_stop_signals(callback: Callable[[], None]) -> Iterator[None]:
    """While inside, SIGTERM and SIGINT call `callback`; the previous handlers come back afterwards."""
    previous = {sig: signal.signal(sig, lambda signum, frame: callback()) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


class ServerThread:
    """uvicorn on 127.0.0.1 and a free port (or the one given), in a daemon thread."""

    def __init__(self, app, *, host: str = "127.0.0.1", port: int = 0, log_level: str = "warning"):
        self._socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._socket.bind((host, port))
        self.host, self.port = self._socket.getsockname()
        self.url = f"http://{host}:{self.port}"
        config = uvicorn.Config(app, log_level=log_level, lifespan="off", access_log=False)
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._run, name=f"uvicorn:{self.port}", daemon=True)
        self._error: BaseException | None = None
        self.loop: asyncio.AbstractEventLoop | None = None  # the server's event loop, once it runs

    def _run(self) -> None:
        async def serve() -> None:
            self.loop = asyncio.get_running_loop()
            await self._server.serve(sockets=[self._socket])

        try:
            with asyncio.Runner(loop_factory=self._server.config.get_loop_factory()) as runner:
                runner.run(serve())
        except BaseException as error:  # surfaced by start()
            self._error = error

    def call(self, work, timeout: float | None = 30):
        """Run coroutine `work` on the server's event loop (from another thread) and return its result."""
        return asyncio.run_coroutine_threadsafe(work, self.loop).result(timeout)

    def start(self, timeout: float = 10) -> ServerThread:
        self._thread.start()
        deadline = time.monotonic() + timeout
        while not self._server.started and self._thread.is_alive() and time.monotonic() < deadline:
            self._thread.join(0.01)  # wait for uvicorn's own "started" flag, not a fixed sleep
        if not self._server.started:
            raise RuntimeError(f"the server did not start: {self._error!r}")
        return self

    def stop(self) -> None:
        self._server.should_exit = True
        self._thread.join(10)
        self._socket.close()

    def __enter__(self) -> ServerThread:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
