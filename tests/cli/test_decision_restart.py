"""Votes whose deadline passed while Upline was down close once when it starts — across two replicas.

The decisions are written straight to the database as though called eight days ago (the demo votes
run 7d), with no `upline run` up. Then `upline run` starts — two processes on one PostgreSQL, one on
SQLite — and each vote must close exactly once, marked late, its no decision opening exactly one core
vote, and every message about it delivered once.
"""

from __future__ import annotations

import re
import time
from datetime import UTC, datetime, timedelta

from bot.config import load_config_file
from bot.domain.decision_record import State
from bot.sandbox.slack_api import SlackApiServer
from bot.services.decisions import DecisionService
from bot.services.tickets import TicketService
from storage.engine import make_engine, make_session_factory
from storage.migrate import upgrade
from storage.unit_of_work import SqlUnitOfWork
from tests.cli.test_replicas import workspace
from tests.cli.test_run import APP_YAML, Running, environment, free_port, start, stop, wait_until_healthy
from tests.storage.conftest import database_url  # noqa: F401  (fixture)

VOTES = 40
CORE = "C0CORE"


def test_votes_due_while_down_close_once_on_start(database_url, tmp_path):  # noqa: F811
    upgrade(database_url)
    config = load_config_file(APP_YAML).config
    engine = make_engine(database_url)
    factory = make_session_factory(engine)

    def unit_of_work(**options):
        return SqlUnitOfWork(factory, **options)

    decisions = DecisionService(config, unit_of_work, TicketService(config, unit_of_work))
    called_at = datetime.now(UTC) - timedelta(days=8)
    numbers = [decisions.call(by="mikaylagawarecki", area="nn", proposal=f"Proposal {index}",
                              now=called_at).decision.number for index in range(VOTES)]
    replicas = 2 if database_url.startswith("postgresql") else 1
    slacks = [workspace() for _ in range(replicas)]
    servers = [SlackApiServer(slack) for slack in slacks]
    running: list[Running] = []
    try:
        for server in servers:
            server.__enter__()
            port = free_port()
            env = environment(server, database_url, UPLINE_SLACK_PACING="0")
            running.append(Running(start(env, tmp_path, "--port", str(port)), f"http://127.0.0.1:{port}"))
        for replica in running:
            wait_until_healthy(replica)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and len(core_votes(slacks)) < VOTES:
            time.sleep(0.2)
    finally:
        for replica in running:
            try:
                stop(replica)
            finally:
                if replica.process.poll() is None:
                    replica.process.kill()
        for server in servers:
            server.__exit__(None, None, None)

    try:
        for number in numbers:
            decision, history = decisions.get(number)
            closed = [event for event in history if event.kind == "closed"]
            assert len(closed) == 1 and closed[0].data.get("late") is True, (number, history)
            assert decision.level == "core" and decision.state is State.VOTING and len(decision.rounds) == 2
    finally:
        engine.dispose()
    posted = core_votes(slacks)
    assert sorted(posted) == numbers, "each core vote posted exactly once"


def core_votes(slacks) -> list[int]:
    """The number of each top-level message posted to #core (a core vote names its #N first)."""
    numbers = []
    for slack in slacks:
        for message in slack.history(CORE):
            found = re.search(r"#(\d+)", message.text)
            if found:
                numbers.append(int(found.group(1)))
    return numbers
