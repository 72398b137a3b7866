"""Two `upline run` replicas on one PostgreSQL, one killed with SIGKILL while it posts the core votes a
backlog of overdue module votes opened.

Sixty votes in nn are written as though called eight days ago, with nothing running; then two replicas
start, each talking to a Web API stand-in of its own (what Slack received is their sum, and the test
knows who sent what). Each vote closes as no decision and opens a core vote in #core. The first replica
to have a few core votes out — A — is killed when it sends the next one, before the stand-in takes it:
every vote still closed exactly once, every core vote reached #core exactly once (what A got out is not
posted again; the one in flight and what A held are posted by the survivor), nothing is parked, and what
A held came back within its short lease, not minutes later. (#nn is not counted: the outbox allows a
crash to repeat the message each of A's other lanes had in flight, and a module vote sometimes is.)
"""

from __future__ import annotations

import os
import signal
import threading
import time
from dataclasses import dataclass

import pytest

from bot.sandbox.slack_api import SlackApiServer
from bot.services.outbox_worker import LEASE
from tests.cli.restarts import (
    CORE,
    CORE_VOTE,
    SETTLE,
    assert_closed_once_into_core,
    core_votes,
    due_module_votes,
    start_replica,
)
from tests.cli.test_replicas import outbox_statuses, workspace
from tests.cli.test_run import Running, stop
from tests.storage.conftest import database_url  # noqa: F401  (fixture)

VOTES = 60
KILL_AFTER = 5  # core votes a replica has out before it is killed as it sends the next


@dataclass(frozen=True)
class Kill:
    replica: str
    vote: int  # the core vote it was posting, which Slack never got
    out: int  # core votes Slack had taken from both replicas by then
    at: float  # time.monotonic()


def test_a_replica_killed_while_posting_core_votes_posts_each_exactly_once(database_url, tmp_path):  # noqa: F811
    if not database_url.startswith("postgresql"):
        pytest.skip("replicas share a database: PostgreSQL (on SQLite, run one process)")
    slacks = {name: workspace() for name in ("1", "2")}
    replicas: dict[str, Running] = {}
    kills: list[Kill] = []
    lock = threading.Lock()  # the two stand-ins answer on threads of their own

    def kill_on_core_vote(name: str):
        # Whichever replica first has KILL_AFTER core votes out is A: which one sweeps and leases what
        # is up to the race, but with sixty to post one of them always gets there, mid-way.
        def before_call(method: str, params: dict) -> None:
            if method != "chat.postMessage" or params.get("channel") != CORE:
                return
            found = CORE_VOTE.match(str(params.get("text", "")))
            with lock:
                if found is None or kills or len(core_votes([slacks[name]])) < KILL_AFTER:
                    return
                kills.append(Kill(name, int(found.group(1)), len(core_votes(list(slacks.values()))), time.monotonic()))
                os.kill(replicas[name].process.pid, signal.SIGKILL)  # recorded first: its exit is expected
            raise RuntimeError("replica A is gone: this core vote never reaches Slack")

        return before_call

    with due_module_votes(database_url, VOTES) as (decisions, numbers):  # due before anything runs
        for name, slack in slacks.items():
            slack.before_call = kill_on_core_vote(name)
        with SlackApiServer(slacks["1"]) as server_1, SlackApiServer(slacks["2"]) as server_2:
            for name, server in (("1", server_1), ("2", server_2)):
                replicas[name] = start_replica(server, database_url, tmp_path)
            try:
                deadline = time.monotonic() + 60
                while time.monotonic() < deadline and set(core_votes(list(slacks.values()))) != set(numbers):
                    for name, replica in replicas.items():
                        if replica.process.poll() is not None and not any(kill.replica == name for kill in kills):
                            pytest.fail(f"replica {name} exited on its own:\n{replica.output()}")
                    time.sleep(0.1)
                done_at = time.monotonic()
                time.sleep(SETTLE)  # long enough for a second copy to arrive
            finally:
                for name, replica in replicas.items():
                    try:
                        if not any(kill.replica == name for kill in kills):
                            stop(replica)  # the survivor stops cleanly
                    finally:
                        if replica.process.poll() is None:
                            replica.process.kill()
                        replica.process.wait(timeout=10)
        assert_closed_once_into_core(decisions, numbers)

    assert kills, "a replica was killed while it was posting the core votes"
    kill = kills[0]
    survivor = next(name for name in slacks if name != kill.replica)
    assert replicas[kill.replica].process.returncode == -signal.SIGKILL
    assert KILL_AFTER <= kill.out < VOTES, "killed mid-way: some core votes out, more to come"
    posted = core_votes(list(slacks.values()))
    assert sorted(set(posted)) == numbers, "no core vote lost"
    assert len(posted) == len(set(posted)), "no core vote Slack took before the kill was posted again"
    assert core_votes([slacks[survivor]]).count(kill.vote) == 1, "the one in flight was posted by the survivor"
    assert done_at - kill.at < LEASE.total_seconds() + 5, "what A held came back within its short lease"
    assert outbox_statuses(database_url).get("parked", 0) == 0
