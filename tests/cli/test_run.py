"""`upline run` as operators run it: `python -m bot run` in its own process, against a Slack stand-in.

It answers signed Slack requests, reports healthy once its background loops have run, exposes
`upline_` metrics, delivers pings from its outbox, and stops with exit 0 on SIGTERM or Ctrl+C. It
refuses to start — exit 1 and one line saying what to do — without tokens, with a broken app.yaml,
or on a database whose schema is behind.
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

from bot.config import load_config_file
from bot.sandbox.populate import populate
from bot.sandbox.signed_requests import SlackRequests
from bot.sandbox.slack_api import SlackApiServer
from bot.sandbox.workspace import Workspace
from storage.migrate import upgrade
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

    def output(self) -> str:
        out, err = self.process.communicate(timeout=10)
        return out + err


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


def test_a_database_behind_the_schema_refuses_to_start_with_the_fix(tmp_path):
    empty = tmp_path / "empty.db"
    empty.touch()
    process = start(environment(None, f"sqlite:///{empty}"), tmp_path)
    _, err = process.communicate(timeout=STARTUP_DEADLINE)
    assert process.returncode == 1
    assert err.strip().splitlines() == ["error: the database has no Upline tables yet: run `upline db upgrade`"]


def test_a_missing_database_file_is_not_created_by_refusing(tmp_path):
    absent = tmp_path / "absent.db"
    process = start(environment(None, f"sqlite:///{absent}"), tmp_path)
    _, err = process.communicate(timeout=STARTUP_DEADLINE)
    assert process.returncode == 1 and "run `upline db upgrade`" in err
    assert not absent.exists()


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
