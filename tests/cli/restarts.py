"""Starting Upline after downtime as real `upline run` processes: two replicas on one PostgreSQL (one
process on SQLite, whose file has one writer), each with a Slack Web API stand-in of its own, kept up
until what the test waits for has been posted and a moment more, so a second copy would show.

`due_module_votes` writes module votes as though called eight days ago (the demo votes run 7d), with
no `upline run` up; `core_votes` reads back the core votes their no decisions opened in #core."""

from __future__ import annotations

import contextlib
import re
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.config import load_config_file
from bot.domain.decision_record import State
from bot.sandbox.slack_api import SlackApiServer
from bot.sandbox.workspace import Workspace
from bot.services.decisions import DecisionService
from bot.services.tickets import TicketService
from storage.engine import make_engine, make_session_factory
from storage.migrate import upgrade
from storage.unit_of_work import SqlUnitOfWork
from tests.cli.test_replicas import workspace
from tests.cli.test_run import APP_YAML, Running, environment, free_port, start, stop, wait_until_healthy

SETTLE = 1.0  # seconds kept up after the awaited posts, long enough for a duplicate to arrive
CORE = "C0CORE"
CORE_VOTE = re.compile(r"Vote #(\d+) \(core maintainers\)")  # the vote's own message, not its thread


def start_replica(server: SlackApiServer, database_url: str, tmp_path: Path, **env: str) -> Running:
    """One `upline run` on a port of its own, talking to `server`, unpaced."""
    port = free_port()
    variables = environment(server, database_url, UPLINE_SLACK_PACING="0", **env)
    return Running(start(variables, tmp_path, "--port", str(port)), f"http://127.0.0.1:{port}")


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
            running.append(start_replica(server, database_url, tmp_path, **env))
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


@contextlib.contextmanager
def due_module_votes(database_url: str, count: int) -> Iterator[tuple[DecisionService, list[int]]]:
    """`count` votes in nn, called eight days ago and never swept: the decisions service and their numbers."""
    upgrade(database_url)
    config = load_config_file(APP_YAML).config
    engine = make_engine(database_url)
    factory = make_session_factory(engine)

    def unit_of_work(**options):
        return SqlUnitOfWork(factory, **options)

    decisions = DecisionService(config, unit_of_work, TicketService(config, unit_of_work))
    called_at = datetime.now(UTC) - timedelta(days=8)
    try:
        yield decisions, [decisions.call(by="mikaylagawarecki", area="nn", proposal=f"Proposal {index}",
                                         now=called_at).decision.number for index in range(count)]
    finally:
        engine.dispose()


def assert_closed_once_into_core(decisions: DecisionService, numbers: list[int]) -> None:
    """Each vote closed once, marked late, and its no decision opened a second round, with the core."""
    for number in numbers:
        decision, history = decisions.get(number)
        closed = [event for event in history if event.kind == "closed"]
        assert len(closed) == 1 and closed[0].data.get("late") is True, (number, history)
        assert decision.level == "core" and decision.state is State.VOTING and len(decision.rounds) == 2


def core_votes(slacks: list[Workspace]) -> list[int]:
    """The number of each core vote posted to #core, one per top-level vote message (repeats included)."""
    numbers = []
    for slack in slacks:
        for message in slack.history(CORE):
            found = CORE_VOTE.match(message.text)
            if found:
                numbers.append(int(found.group(1)))
    return numbers
