"""The Report panel's backend over real HTTP: `/sandbox/report` is the page `upline report --format html
--compare previous` writes, for the sandbox's database, as of the sandbox's clock."""

from __future__ import annotations

import re
from datetime import timedelta

import httpx
import pytest

from bot.cli import main
from bot.clock import OffsetClock
from bot.reporting import utc_iso
from bot.reporting.html_report import CSP
from tests.sandbox.test_page_api import MIKAYLA, REPO, PageClient, start_sandbox, wait_until


@pytest.fixture
def sandbox(tmp_path):
    running = start_sandbox(tmp_path)
    yield running
    running.stop()


@pytest.fixture
def page(sandbox):
    with httpx.Client(timeout=30) as http:
        yield PageClient(sandbox, http)


def report(page: PageClient, **params) -> httpx.Response:
    return page.http.get(f"{page.sandbox.url}/sandbox/report", params=params)


def table(html: str) -> str:
    return re.search(r"<table>.*?</table>", html, re.DOTALL).group(0)


def test_an_empty_sandbox_has_the_page_with_its_charts_and_nothing_opened(page):
    answer = report(page)
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/html")
    assert answer.headers["content-security-policy"] == CSP  # what the page says of itself, said by the server too
    html = answer.text
    assert "<h1>PyTorch (demo) — SLA report</h1>" in html and "(the last 30d)" in html
    assert "No ticket was opened in the period." in html
    assert html.count("<svg") == 4 and "<script" not in html


def test_the_report_ends_at_the_sandbox_clock_and_compares_with_the_period_before(page, sandbox):
    page.send("/ask nn How do I register a forward hook on a ModuleList?")
    page.send("/ask optim Is Adam's eps applied before or after the square root?")
    page.click(page.ping(1), "ticket_acknowledge", as_=MIKAYLA)
    wait_until(lambda: page.ticket(1).state.value == "acknowledged", what="#1 acknowledged")
    page.post("/sandbox/clock", {"seconds": 2 * 86400})

    html = report(page, since="7d").text

    until = sandbox.clock.now()
    assert re.search(rf"to {utc_iso(until)[:13]}.* \(the last 7d\)", html), "the period ends at the sandbox's now"
    assert "beside the period before" in html and "<th>before</th>" in html and "<th>change</th>" in html
    assert re.search(r"<td>nn</td><td>question</td><td>1</td>", html)
    assert re.search(r"<td>optim</td><td>question</td><td>1</td>", html)
    assert "Mikayla Gawarecki" in html  # the ladder's load names people as app.yaml does
    assert html.count("<svg") == 4


def test_the_table_is_the_one_the_cli_prints_from_the_sandboxs_database(tmp_path, capsys):
    # On real time plus the buttons' offset, which is what the CLI reads from the sandbox's database.
    sandbox = start_sandbox(tmp_path, clock=OffsetClock())
    try:
        with httpx.Client(timeout=30) as http:
            shown, printed = cli_and_page(PageClient(sandbox, http), sandbox, capsys)
    finally:
        sandbox.stop()
    assert table(shown) == table(printed)


def cli_and_page(page: PageClient, sandbox, capsys) -> tuple[str, str]:
    page.send("/ask nn How do I register a forward hook on a ModuleList?")
    wait_until(lambda: page.ticket(1), what="#1")
    page.post("/sandbox/clock", {"seconds": 86400})
    # The sweeper records the breaches in the background: read once they are in.
    wait_until(lambda: page.ticket(1).level == "core", what="#1 to climb to the core")

    shown = report(page, since="7d").text
    assert main(["report", "--format", "html", "--since", "7d", "--compare", "previous",
                 "--config", str(REPO / "app.yaml"), "--database-url", sandbox.database_url]) == 0
    return shown, capsys.readouterr().out


@pytest.mark.parametrize("since", ["90d", "1w"])
def test_any_period_of_a_positive_duration_is_drawn(page, since):
    assert f"(the last {since})" in report(page, since=since).text


def test_without_the_comparison_the_table_has_no_before(page):
    page.send("/ask nn How?")
    wait_until(lambda: page.ticket(1), what="#1")
    html = report(page, compare="none").text
    assert "<th>before</th>" not in html and "beside the period before" not in html


@pytest.mark.parametrize("params", [{"since": "soon"}, {"since": "0d"}, {"since": "2026-11-01"},
                                    {"compare": "yesterday"}])
def test_a_period_the_panel_would_not_ask_for_is_refused(page, params):
    answer = report(page, **params)
    assert answer.status_code == 400 and answer.json()["ok"] is False


def test_the_clock_moved_a_week_on_moves_the_period_with_it(page, sandbox):
    before = sandbox.clock.now()
    page.post("/sandbox/clock", {"seconds": 7 * 86400})
    html = report(page, since="7d").text
    assert f"from {utc_iso(before)[:10]}" in html or f"from {utc_iso(before + timedelta(minutes=1))[:10]}" in html
