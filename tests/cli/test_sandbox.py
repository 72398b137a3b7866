"""`upline sandbox` says which `--database-url` the CLI takes to read its tickets, and `upline report`
and `upline status` there read the sandbox's clock: a report shows what the page shows."""

from __future__ import annotations

import json
import re
import socket
from datetime import datetime, timedelta
from pathlib import Path

import httpx

from bot.cli import build_parser
from bot.cli import sandbox as sandbox_command

REPO = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_the_cli_on_the_printed_database_url_reads_the_sandbox_clock(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)  # the default database, ./upline-sandbox.db, is relative to here
    port = free_port()
    page = f"http://127.0.0.1:{port}"
    args = build_parser().parse_args(["sandbox", "--fresh", "--port", str(port), "--config", str(REPO / "app.yaml")])
    seen = {}

    def visit() -> None:  # a visitor asks, moves the clock a day on, then runs the CLI the sandbox suggested
        printed = capsys.readouterr().out
        seen["url"] = re.search(r"the CLI on them: upline report --database-url (\S+)", printed).group(1)
        httpx.post(f"{page}/sandbox/send", json={"as": "U0ASKER", "channel": "C0GENERAL",
                                                 "text": "/ask nn How do I register a forward hook?"}, timeout=15)
        seen["clock"] = httpx.post(f"{page}/sandbox/clock", json={"seconds": 86400}, timeout=15).json()
        monkeypatch.chdir(tmp_path.parent)  # the printed URL works from anywhere
        for command in (["report", "--format", "json"], ["report"], ["status", "1"]):
            parsed = build_parser().parse_args([*command, "--database-url", seen["url"]])
            seen[" ".join(command)] = (parsed.func(parsed), capsys.readouterr())

    assert sandbox_command.run(args, wait=visit) == 0
    assert seen["url"] == f"sqlite:///{tmp_path / 'upline-sandbox.db'}"

    code, report_json = seen["report --format json"]
    assert code == 0 and json.loads(report_json.out)[-1]["opened"] == 1
    assert report_json.err == "note: the sandbox's clock, 1d ahead of real time, as its page shows\n"
    code, table = seen["report"]
    ends = re.match(r"Tickets opened from \S+ to (\S+) ", table.out).group(1)
    page_now = datetime.fromisoformat(seen["clock"]["now"])
    assert abs(datetime.fromisoformat(ends.replace("Z", "+00:00")) - page_now) < timedelta(seconds=5)
    code, status = seen["status 1"]
    assert code == 0 and status.out.startswith("#1  question in nn")
