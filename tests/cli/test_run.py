"""`upline run` as operators run it: `python -m bot run` in its own process, against a Slack stand-in.

It answers signed Slack requests, reports healthy once its background loops have run, exposes
`upline_` metrics, delivers pings from its outbox, and stops with exit 0 on SIGTERM or Ctrl+C. On
first start it creates the schema (and later migrates it), once however many replicas start together.
It refuses to start — exit 1 and one line saying what to do — without tokens, with a broken app.yaml,
on a schema ahead of it, or, with `--no-migrate`, on one that is behind.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from sqlalchemy import text

from bot.config import load_config_file
from bot.sandbox.populate import populate
from bot.sandbox.signed_requests import SlackRequests
from bot.sandbox.slack_api import SlackApiServer
from bot.sandbox.workspace import Workspace
from storage.engine import make_engine
from storage.migrate import head_revision, upgrade
from tests.slack.test_socket_mode import APP_TOKEN, SlackSocket, slash_command

REPO = Path(__file__).resolve().parents[2]
APP_YAML = REPO / "app.yaml"
BOT_TOKEN = "xoxb-upline-run-test"
SIGNING_SECRET = "run-test-signing-secret"
ASKER = "U0ASKER"
STARTUP_DEADLINE = 30  # seconds: a cold interpreter importing everything on a busy CI machine


@dataclass
class Running:
    process: subprocess.Popen
    url: str
    _output: str | None = None

    def output(self) -> str:
        """Everything it printed, once it has exited (read once, then kept)."""
        if self._output is None:
            out, err = self.process.communicate(timeout=10)
            self._output = out + err
        return self._output


@pytest.fixture
def slack() -> Iterator[SlackApiServer]:
    workspace = Workspace(bot_token=BOT_TOKEN)
    populate(workspace, load_config_file(APP_YAML).config, extra_users={ASKER: "asker"})
    with SlackApiServer(workspace) as server:
        yield server


@pytest.fixture
def database(tmp_path) -> str:
    url = f"sqlite:///{tmp_path / 'upline.db'}"
    upgrade(url)
    return url


def environment(slack: SlackApiServer | None, database: str, **overrides: str) -> dict[str, str]:
    env = {name: value for name, value in os.environ.items()
           if not name.startswith(("SLACK_", "UPLINE_")) and name not in ("DATABASE_URL", "PORT")}
    env |= {"SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_SIGNING_SECRET": SIGNING_SECRET, "DATABASE_URL": database,
            "UPLINE_CONFIG": str(APP_YAML), "PYTHONUNBUFFERED": "1"}
    if slack is not None:
        env["SLACK_API_URL"] = slack.base_url
    return {name: value for name, value in (env | overrides).items() if value}


def start(env: dict[str, str], cwd: Path, *argv: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "bot", "run", *argv], env=env, cwd=cwd, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


@pytest.fixture
def running(slack, database, tmp_path) -> Iterator[Running]:
    port = free_port()
    process = start(environment(slack, database), tmp_path, "--port", str(port))
    try:
        yield Running(process, f"http://127.0.0.1:{port}")
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()


def test_run_serves_slack_reports_healthy_and_stops_cleanly_on_sigterm(running, slack):
    wait_until_healthy(running)
    metrics = httpx.get(f"{running.url}/metrics")
    assert metrics.status_code == 200 and "upline_tickets_opened" in metrics.text

    request = SlackRequests(SIGNING_SECRET).command("/ask", "nn How do I register a forward hook?", user=ASKER)
    answer = httpx.post(f"{running.url}/slack/events", content=request.body, headers=request.headers, timeout=10)
    assert answer.status_code == 200 and "#1" in answer.text
    wait_for(lambda: any(call.method == "chat.postMessage" and call.params.get("channel") == "C0NN"
                         for call in slack.calls), "the outbox worker to post the ping in #nn", running)
    assert 'upline_tickets_opened_total{area="nn",kind="question"} 1.0' in httpx.get(f"{running.url}/metrics").text

    running.process.send_signal(signal.SIGTERM)
    assert running.process.wait(timeout=10) == 0, running.output()
    assert "Traceback" not in running.output()


def test_ctrl_c_stops_it_cleanly_too(running):
    wait_until_healthy(running)
    running.process.send_signal(signal.SIGINT)
    assert running.process.wait(timeout=10) == 0, running.output()


def test_socket_mode_answers_over_the_socket_serves_health_and_stops_cleanly(slack, database, tmp_path):
    port = free_port()
    with slack_socket() as (socket, call):
        slack.workspace.app_token, slack.workspace.socket_mode_url = APP_TOKEN, socket.url
        env = environment(slack, database, SLACK_APP_TOKEN=APP_TOKEN, SLACK_SIGNING_SECRET="")
        running = Running(start(env, tmp_path, "--port", str(port)), f"http://127.0.0.1:{port}")
        try:
            wait_until_healthy(running)  # loops ran and the socket is up
            ack = call(socket.send(slash_command("nn How do I register a forward hook?")))
            assert "#1" in ack["payload"]["text"]
            assert httpx.post(f"{running.url}/slack/events").status_code == 404  # Slack never posts here now
            running.process.send_signal(signal.SIGTERM)
            assert running.process.wait(timeout=10) == 0, running.output()
        finally:
            if running.process.poll() is None:
                running.process.kill()
    assert "Traceback" not in running.output()


def test_socket_mode_with_a_refused_app_token_says_so(slack, database, tmp_path):
    slack.workspace.app_token = APP_TOKEN
    env = environment(slack, database, SLACK_APP_TOKEN="xapp-not-this-app", SLACK_SIGNING_SECRET="")
    process = start(env, tmp_path, "--port", str(free_port()))
    _, err = process.communicate(timeout=STARTUP_DEADLINE)
    assert process.returncode == 1
    assert "error: Slack would not open a Socket Mode connection: invalid_auth (SLACK_APP_TOKEN must" in err


@pytest.mark.parametrize("missing", ["SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET"])
def test_missing_tokens_refuse_to_start(database, tmp_path, missing):
    process = start(environment(None, database, **{missing: ""}), tmp_path)
    out, err = process.communicate(timeout=STARTUP_DEADLINE)
    assert process.returncode == 1
    assert err.strip().splitlines() == [f"error: set {missing} in the environment to run Upline in HTTP mode "
                                        "(or SLACK_APP_TOKEN for Socket Mode)"]


def test_socket_mode_needs_only_the_bot_and_app_tokens_to_get_past_the_check(database, tmp_path):
    env = environment(None, database, SLACK_SIGNING_SECRET="", SLACK_APP_TOKEN="xapp-1", SLACK_BOT_TOKEN="")
    process = start(env, tmp_path)
    _, err = process.communicate(timeout=STARTUP_DEADLINE)
    assert process.returncode == 1
    assert err.strip() == "error: set SLACK_BOT_TOKEN in the environment to run Upline in Socket Mode"


def test_from_a_fresh_clone_run_starts_on_a_new_sqlite_file_with_no_other_step(slack, tmp_path):
    """`pip install -e . && upline run` with the tokens set: the default ./upline.db and ./app.yaml."""
    (tmp_path / "app.yaml").write_text(APP_YAML.read_text(encoding="utf-8"), encoding="utf-8")
    port = free_port()
    running = Running(start(environment(slack, "", UPLINE_CONFIG=""), tmp_path, "--port", str(port)),
                      f"http://127.0.0.1:{port}")
    try:
        wait_until_healthy(running)
        assert schema_rows(f"sqlite:///{tmp_path / 'upline.db'}") == [(head_revision(),)]
    finally:
        stop(running)
    assert f"database upgraded from empty to {head_revision()} (head)" in running.output()


def test_an_older_schema_is_migrated_on_start_and_the_log_says_so(slack, tmp_path):
    url = f"sqlite:///{tmp_path / 'old.db'}"
    upgrade(url, "0001")
    port = free_port()
    running = Running(start(environment(slack, url), tmp_path, "--port", str(port)), f"http://127.0.0.1:{port}")
    try:
        wait_until_healthy(running)
    finally:
        stop(running)
    assert f"INFO bot.cli.db: database upgraded from 0001 to {head_revision()} (head)" in running.output()
    assert schema_rows(url) == [(head_revision(),)]


def test_two_replicas_starting_together_on_a_fresh_database_migrate_once(slack, database_url, tmp_path):
    ports = [free_port(), free_port()]
    replicas = [Running(start(environment(slack, database_url), tmp_path, "--port", str(port)),
                        f"http://127.0.0.1:{port}") for port in ports]
    try:
        for replica in replicas:
            wait_until_healthy(replica)
        assert schema_rows(database_url) == [(head_revision(),)]
    finally:
        for replica in replicas:
            stop(replica)
    outputs = [replica.output() for replica in replicas]
    assert sorted("database upgraded from empty" in output for output in outputs) == [False, True], outputs
    assert all(f"database at {head_revision()} (head)" in output or "upgraded" in output for output in outputs)
    assert not any("Traceback" in output or " ERROR " in output for output in outputs), outputs


def test_a_schema_ahead_of_this_upline_is_refused_even_when_migrating(database, tmp_path):
    engine = make_engine(database)
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    engine.dispose()
    process = start(environment(None, database), tmp_path)
    _, err = process.communicate(timeout=STARTUP_DEADLINE)
    assert process.returncode == 1
    assert err.strip().splitlines()[-1].startswith("error: the database schema is at 9999, which this Upline")
    assert schema_rows(database) == [("9999",)]


NO_MIGRATE = pytest.mark.parametrize("no_migrate", [{"argv": ["--no-migrate"]}, {"env": {"UPLINE_AUTO_MIGRATE": "0"}}],
                                     ids=["--no-migrate", "UPLINE_AUTO_MIGRATE=0"])


@NO_MIGRATE
def test_without_migrating_an_empty_database_refuses_to_start_with_the_fix(tmp_path, no_migrate):
    empty = tmp_path / "empty.db"
    empty.touch()
    process = start(environment(None, f"sqlite:///{empty}", **no_migrate.get("env", {})), tmp_path,
                    *no_migrate.get("argv", []))
    _, err = process.communicate(timeout=STARTUP_DEADLINE)
    assert process.returncode == 1
    assert err.strip().splitlines() == ["error: the database has no Upline tables yet: run `upline db upgrade`"]


@NO_MIGRATE
def test_without_migrating_a_missing_database_file_is_not_created_by_refusing(tmp_path, no_migrate):
    absent = tmp_path / "absent.db"
    process = start(environment(None, f"sqlite:///{absent}", **no_migrate.get("env", {})), tmp_path,
                    *no_migrate.get("argv", []))
    _, err = process.communicate(timeout=STARTUP_DEADLINE)
    assert process.returncode == 1 and "run `upline db upgrade`" in err
    assert not absent.exists()


def test_without_migrating_an_older_schema_refuses_to_start(tmp_path):
    url = f"sqlite:///{tmp_path / 'old.db'}"
    upgrade(url, "0001")
    process = start(environment(None, url), tmp_path, "--no-migrate")
    _, err = process.communicate(timeout=STARTUP_DEADLINE)
    assert process.returncode == 1
    assert err.strip().splitlines() == [f"error: the database schema is at 0001 but this Upline needs "
                                        f"{head_revision()}: run `upline db upgrade`"]
    assert schema_rows(url) == [("0001",)]


def test_a_port_already_taken_refuses_to_start(database, tmp_path):
    with socket.socket() as taken:
        taken.bind(("0.0.0.0", 0))
        taken.listen()
        process = start(environment(None, database), tmp_path, "--port", str(taken.getsockname()[1]))
        _, err = process.communicate(timeout=STARTUP_DEADLINE)
    assert process.returncode == 1
    assert "address already in use" in err


def test_an_invalid_config_is_reported_with_locations(database, tmp_path):
    broken = tmp_path / "app.yaml"
    broken.write_text("project: Acme\nlead: U0LEAD\ncore: {maintainers: []}\nareas: [{key: nn, maintainers: [U0NN]}]\n")
    process = start(environment(None, database), tmp_path, "--config", str(broken))
    _, err = process.communicate(timeout=STARTUP_DEADLINE)
    assert process.returncode == 1
    assert f"error: {broken}:3 core.maintainers: " in err


def test_port_and_config_flags_win_over_the_environment(slack, database, tmp_path):
    port = free_port()
    env = environment(slack, database, PORT="1", UPLINE_CONFIG=str(tmp_path / "nowhere.yaml"))
    process = start(env, tmp_path, "--port", str(port), "--config", str(APP_YAML))
    running = Running(process, f"http://127.0.0.1:{port}")
    try:
        wait_until_healthy(running)
    finally:
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=10) == 0


# -- helpers ---------------------------------------------------------------------------------------


@contextlib.contextmanager
def slack_socket():
    """Slack's websocket end (tests/slack/test_socket_mode.py) on an event loop of its own, in a thread."""
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, name="slack-socket", daemon=True)
    thread.start()

    def call(coroutine, timeout: float = 10):
        return asyncio.run_coroutine_threadsafe(coroutine, loop).result(timeout)

    socket = call(SlackSocket().__aenter__())
    try:
        yield socket, call
    finally:
        call(socket.__aexit__(None, None, None))
        loop.call_soon_threadsafe(loop.stop)
        thread.join(5)
        loop.close()


def stop(running: Running) -> None:
    """SIGTERM, and it must exit 0 (killed if it does not within 10 s)."""
    if running.process.poll() is None:
        running.process.send_signal(signal.SIGTERM)
    try:
        assert running.process.wait(timeout=10) == 0, running.output()
    finally:
        if running.process.poll() is None:
            running.process.kill()


def schema_rows(url: str) -> list[tuple]:
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            return [tuple(row) for row in connection.execute(text("SELECT version_num FROM alembic_version"))]
    finally:
        engine.dispose()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_healthy(running: Running) -> None:
    def healthy() -> bool:
        try:
            return httpx.get(f"{running.url}/healthz", timeout=2).status_code == 200
        except httpx.TransportError:  # not listening yet
            return False

    wait_for(healthy, "/healthz to answer 200 (the loops have run)", running)


def wait_for(condition, what: str, running: Running, deadline: float = STARTUP_DEADLINE) -> None:
    """Poll `condition` until it holds; fail with the process's output if it exits or time runs out."""
    give_up = time.monotonic() + deadline
    while time.monotonic() < give_up:
        if condition():
            return
        if running.process.poll() is not None:
            pytest.fail(f"upline run exited with {running.process.returncode} waiting for {what}:\n{running.output()}")
        time.sleep(0.1)
    running.process.kill()
    pytest.fail(f"timed out waiting for {what}:\n{running.output()}")
