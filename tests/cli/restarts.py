"""Starting Upline after downtime as real `upline run` processes: two replicas on one PostgreSQL (one
process on SQLite, whose file has one writer), each with a Slack Web API stand-in of its own, kept up
until what the test waits for has been posted and a moment more, so a second copy would show."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from bot.sandbox.slack_api import SlackApiServer
from bot.sandbox.workspace import Workspace
from tests.cli.test_replicas import workspace
from tests.cli.test_run import Running, environment, free_port, start, stop, wait_until_healthy

SETTLE = 1.0  # seconds kept up after the awaited posts, long enough for a duplicate to arrive


def run_replicas_until(database_url: str, tmp_path: Path, done: Callable[[list[Workspace]], bool],
                       timeout: float = 60, **env: str) -> list[Workspace]:
    """Run the replicas until `done(workspaces)` (or `timeout` seconds), stop them, and return what each
    stand-in took."""
    replicas = 2 if database_url.startswith("postgresql") else 1
    slacks = [workspace() for _ in range(replicas)]
    servers = [SlackApiServer(slack) for slack in slacks]
    running: list[Running] = []
    try:
        for server in servers:
            server.__enter__()
            port = free_port()
            variables = environment(server, database_url, UPLINE_SLACK_PACING="0", **env)
            running.append(Running(start(variables, tmp_path, "--port", str(port)), f"http://127.0.0.1:{port}"))
        for replica in running:
            wait_until_healthy(replica)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and not done(slacks):
            time.sleep(0.2)
        time.sleep(SETTLE)
    finally:
        for replica in running:
            try:
                stop(replica)
            finally:
                if replica.process.poll() is None:
                    replica.process.kill()
        for server in servers:
            server.__exit__(None, None, None)
    return slacks
