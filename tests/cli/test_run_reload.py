"""SIGHUP reloads app.yaml in a running `upline run`: the next /ask pings the hierarchy as edited;
a broken edit is refused, logged with its errors, and the config loaded before keeps serving."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace

import httpx
import pytest

from bot.cli.run import ReloadOnHangup
from bot.sandbox.signed_requests import SlackRequests
from tests.cli.test_run import (  # noqa: F401  (fixtures)
    APP_YAML,
    ASKER,
    SIGNING_SECRET,
    Running,
    database,
    environment,
    free_port,
    slack,
    stop,
    wait_for,
    wait_until_healthy,
)

NN_MAINTAINERS = "maintainers: [mikaylagawarecki, albanD, jbschlosser]"
NEWCOMER = "U0NEWNN"  # a bare Slack ID: a person of their own


@dataclass
class Logged(Running):
    """`upline run` with everything it prints going to `log`, readable while it runs."""

    log: Path | None = None

    def output(self) -> str:
        if self.process.poll() is None:
            self.process.wait(timeout=10)
        return self.log.read_text(encoding="utf-8")


@pytest.fixture
def config_file(tmp_path) -> Path:
    path = tmp_path / "app.yaml"
    text = APP_YAML.read_text(encoding="utf-8")
    assert text.count(NN_MAINTAINERS) == 1
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def running(slack, database, tmp_path, config_file):  # noqa: F811  (fixtures)
    port, log = free_port(), tmp_path / "upline.log"
    with log.open("w", encoding="utf-8") as written:
        process = subprocess.Popen([sys.executable, "-m", "bot", "run", "--port", str(port)],
                                   env=environment(slack, database, UPLINE_CONFIG=str(config_file)), cwd=tmp_path,
                                   text=True, stdout=written, stderr=subprocess.STDOUT)
    try:
        yield Logged(process, f"http://127.0.0.1:{port}", log=log)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def edit_nn(config_file: Path, *added: str) -> None:
    text = APP_YAML.read_text(encoding="utf-8")
    config_file.write_text(text.replace(NN_MAINTAINERS, NN_MAINTAINERS[:-1] + "".join(f", {a}" for a in added) + "]"),
                           encoding="utf-8")


def ask_nn(running: Running, slack, number: int) -> str:  # noqa: F811
    """/ask nn …, and the text of ping #number once the outbox worker has posted it in #nn."""
    request = SlackRequests(SIGNING_SECRET).command("/ask", "nn How do I register a forward hook?", user=ASKER)
    answer = httpx.post(f"{running.url}/slack/events", content=request.body, headers=request.headers, timeout=10)
    assert answer.status_code == 200 and f"#{number}" in answer.text, answer.text

    def ping() -> str | None:
        return next((call.params.get("text", "") for call in slack.calls
                     if call.method == "chat.postMessage" and call.params.get("channel") == "C0NN"
                     and call.params.get("text", "").startswith(f"#{number} ")), None)

    wait_for(lambda: ping() is not None, f"the ping of #{number} in #nn", running)
    return ping()


def hang_up(running: Logged, says: str, times: int) -> None:
    running.process.send_signal(signal.SIGHUP)
    wait_for(lambda: running.log.read_text(encoding="utf-8").count(says) == times, f"the log to say {says!r}",
             running)


def test_sighup_serves_the_edited_app_yaml_and_refuses_a_broken_one(running, slack, config_file):  # noqa: F811
    slack.workspace.add_user(NEWCOMER, "newcomer", real_name="New Comer")
    wait_until_healthy(running)
    assert NEWCOMER not in ask_nn(running, slack, 1)

    edit_nn(config_file, NEWCOMER)
    hang_up(running, f"INFO bot.cli.run: reloaded {config_file}: 7 areas, 6 core maintainers", times=1)
    assert f"<@{NEWCOMER}>" in ask_nn(running, slack, 2)

    edit_nn(config_file, NEWCOMER, "nobody")
    hang_up(running, f"ERROR bot.cli.run: {config_file} not reloaded: {config_file}:", times=1)
    [refused] = [line for line in running.log.read_text(encoding="utf-8").splitlines() if "not reloaded" in line]
    assert "areas[0].maintainers[4]: unknown person 'nobody'" in refused
    assert "; keeping the config loaded at 20" in refused
    assert f"<@{NEWCOMER}>" in ask_nn(running, slack, 3)  # the config reloaded before still serves

    stop(running)
    assert "Traceback" not in running.output()


# -- the handler itself, in this process -----------------------------------------------------------


class FakeUpline:
    """What ReloadOnHangup needs of an Upline: `reload_config`, answering as told."""

    def __init__(self, problems: list[str]):
        self.problems, self.reloaded = problems, []
        self.config = SimpleNamespace(areas=["nn", "optim", "jit"], core=SimpleNamespace(maintainers=["a"] * 6))
        self.config_loaded_at = None

    def reload_config(self, path):
        self.reloaded.append(path)
        return self.problems


def test_a_sighup_that_comes_while_upline_starts_is_answered_once_it_serves(caplog):
    upline = FakeUpline([])

    async def serve(hangups: ReloadOnHangup) -> None:
        with hangups.answered_by(upline, asyncio.get_running_loop()):
            await asyncio.sleep(0)  # the reload kept for this moment runs here

    with caplog.at_level("INFO", logger="bot.cli.run"), ReloadOnHangup("app.yaml") as hangups:
        os.kill(os.getpid(), signal.SIGHUP)  # still starting: nothing to reload yet, and nothing killed
        assert upline.reloaded == []
        asyncio.run(serve(hangups))
    assert upline.reloaded == ["app.yaml"]
    assert caplog.messages == ["reloaded app.yaml: 3 areas, 6 core maintainers"]
    assert signal.getsignal(signal.SIGHUP) is signal.SIG_DFL


def test_a_sighup_while_upline_stops_is_ignored():
    upline = FakeUpline([])

    async def serve(hangups: ReloadOnHangup) -> None:
        with hangups.answered_by(upline, asyncio.get_running_loop()):
            pass

    with ReloadOnHangup("app.yaml") as hangups:
        asyncio.run(serve(hangups))
        os.kill(os.getpid(), signal.SIGHUP)
    assert upline.reloaded == []
