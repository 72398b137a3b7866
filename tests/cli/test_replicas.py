"""Two `upline run` replicas on one PostgreSQL, one killed with SIGKILL in the middle of a delivery batch.

Each replica talks to its own Web API stand-in (two servers, two workspaces: what Slack received is
their sum), so the test knows which replica made a call. Replica A is killed when it sends a ping,
before the stand-in takes that ping: every ping Slack took before the kill was recorded as sent the
moment Slack answered, and the survivor posts only what Slack never got — each ping exactly once,
none lost, and the rows A held leased back in the running within seconds, not minutes.
"""

from __future__ import annotations

import concurrent.futures
import os
import re
import signal
import threading
import time

import httpx
import pytest
from sqlalchemy import text

from bot.config import load_config_file
from bot.sandbox.populate import populate
from bot.sandbox.signed_requests import SlackRequests
from bot.sandbox.slack_api import SlackApiServer
from bot.sandbox.workspace import Workspace
from bot.services.outbox_worker import LEASE
from storage.engine import make_engine
from storage.migrate import upgrade
from tests.cli.test_run import (
    APP_YAML,
    ASKER,
    BOT_TOKEN,
    SIGNING_SECRET,
    Running,
    environment,
    free_port,
    start,
    stop,
    wait_until_healthy,
)
from tests.storage.conftest import database_url  # noqa: F401  (fixture)

ASKS = 120
NN = "C0NN"


def workspace() -> Workspace:
    made = Workspace(bot_token=BOT_TOKEN)
    populate(made, load_config_file(APP_YAML).config, extra_users={ASKER: "asker"})
    return made


def pinged(*workspaces: Workspace) -> list[int]:
    """The ticket numbers of every ping the stand-ins took in #nn (repeats included)."""
    numbers = []
    for each in workspaces:
        for message in each.history(NN):
            found = re.match(r"#(\d+) · question · nn", message.text)
            if found:
                numbers.append(int(found.group(1)))
    return numbers


def test_a_replica_killed_mid_batch_posts_nothing_twice_and_loses_nothing(database_url, tmp_path):  # noqa: F811
    if not database_url.startswith("postgresql"):
        pytest.skip("replicas share a database: PostgreSQL (on SQLite, run one process)")
    upgrade(database_url)
    slack_a, slack_b = workspace(), workspace()
    killed = threading.Event()
    with SlackApiServer(slack_a) as server_a, SlackApiServer(slack_b) as server_b:
        replicas = {}
        for name, server in (("a", server_a), ("b", server_b)):
            port = free_port()
            env = environment(server, database_url, UPLINE_SLACK_PACING="0")
            replicas[name] = Running(start(env, tmp_path, "--port", str(port)), f"http://127.0.0.1:{port}")
        try:
            for replica in replicas.values():
                wait_until_healthy(replica)
            signer = SlackRequests(SIGNING_SECRET)

            def ask(number: int) -> str:
                replica = replicas["ab"[number % 2]]
                request = signer.command("/ask", f"nn How do I register hook number {number}?", user=ASKER)
                return httpx.post(f"{replica.url}/slack/events", content=request.body, headers=request.headers,
                                  timeout=10).text

            with concurrent.futures.ThreadPoolExecutor(8) as pool:
                answers = list(pool.map(ask, range(ASKS)))
            assert all("opened in *nn*" in answer for answer in answers)

            def kill_a(method: str, params: dict) -> None:
                # A's next ping, before the stand-in takes it: A dies with a batch leased, mid-way.
                if method == "chat.postMessage" and not killed.is_set() and len(slack_a.history(NN)) >= 5:
                    os.kill(replicas["a"].process.pid, signal.SIGKILL)
                    killed.set()
                    killed_at.append(time.monotonic())
                    raise RuntimeError("replica A is gone: this ping never reaches Slack")

            killed_at: list[float] = []
            slack_a.before_call = kill_a
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline and len(set(pinged(slack_a, slack_b))) < ASKS:
                time.sleep(0.1)
            done_at = time.monotonic()
        finally:
            for name, replica in replicas.items():
                try:
                    if name == "b" and replica.process.poll() is None:
                        stop(replica)  # the survivor stops cleanly
                finally:
                    if replica.process.poll() is None:
                        replica.process.kill()
                    replica.process.wait(timeout=10)

    numbers = pinged(slack_a, slack_b)
    assert killed.is_set(), "replica A was killed while it was delivering"
    assert sorted(set(numbers)) == list(range(1, ASKS + 1)), "no ping lost"
    assert len(numbers) == len(set(numbers)), "no ping Slack took before the kill was posted again"
    assert done_at - killed_at[0] < LEASE.total_seconds() + 5, "what A held came back within its short lease"
    assert outbox_statuses(database_url).get("parked", 0) == 0


def outbox_statuses(url: str) -> dict[str, int]:
    """How many outbox rows are in each status (pending, sent, parked)."""
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            return dict(connection.execute(text("select status, count(*) from outbox group by status")).all())
    finally:
        engine.dispose()
