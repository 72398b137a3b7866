"""`upline report --format html`: one self-contained page from a seeded database, its four charts, the
summary table, nothing fetched from the network, and every name escaped."""

from datetime import timedelta
from html.parser import HTMLParser

import pytest

from bot.config import load_config_text
from bot.domain.tally import Choice
from bot.domain.ticket import Kind
from bot.services.decisions import DecisionService
from bot.services.tickets import TicketService
from tests.cli.test_decisions import APP_YAML, T

NAUGHTY = "Nina <img src=x onerror=alert(1)> & \"Co\""
CONFIG_TEXT = APP_YAML.replace("name: Nina}", "name: '" + NAUGHTY.replace("'", "''") + "'}").replace(
    "sla:\n  question: {ack: 1d, resolve: 7d}", "sla:\n  question: {ack: 8h, resolve: 7d}")
NOW = T + timedelta(days=16)


def at(hours: float):
    return T + timedelta(hours=hours)


@pytest.fixture
def app_yaml(tmp_path) -> str:
    path = tmp_path / "app.yaml"
    path.write_text(CONFIG_TEXT)
    return str(path)


@pytest.fixture
def seeded(make_uow, database_url) -> str:
    """Three weeks of questions in nn and jit (some breached), and decisions passed, rejected and open."""
    config = load_config_text(CONFIG_TEXT).config
    tickets = TicketService(config, make_uow)
    for week in range(3):
        start = at(24 * 7 * week)
        quick = tickets.ask(asker="U0A", kind=Kind.QUESTION, area="nn", text="Hooks?", now=start)
        tickets.acknowledge(quick.id, by="nn1", now=start + timedelta(minutes=20 + 30 * week))
        tickets.resolve(quick.id, by="nn1", now=start + timedelta(hours=3))
        slow = tickets.ask(asker="U0B", kind=Kind.QUESTION, area="jit", text="Scripting?", now=start)
        if week != 1:
            tickets.sweep_due(start + timedelta(hours=9))  # 8h without an ack: up to core
        tickets.acknowledge(slow.id, by="core1" if week != 1 else "jit1", now=start + timedelta(hours=6 + 2 * week))
    tickets.ask(asker="U0C", kind=Kind.QUESTION, area="nn", text="Open?", now=at(24 * 15))
    decisions = DecisionService(config, make_uow, tickets)
    passed = decisions.call(by="U0NN1", area="nn", proposal="Deprecate nn.Container", now=at(30)).decision.number
    decisions.cast(passed, by="U0NN1", choice=Choice.FOR, now=at(30))
    decisions.cast(passed, by="U0NN2", choice=Choice.FOR, now=at(30))
    rejected = decisions.call(by="U0NN1", area="nn", proposal="Drop nn.Module", now=at(31)).decision.number
    decisions.cast(rejected, by="U0NN2", choice=Choice.AGAINST, now=at(31))
    decisions.cast(rejected, by="U0NN3", choice=Choice.AGAINST, now=at(31))
    decisions.call(by="U0JIT1", area="jit", proposal="Merge the frontends", now=at(200))
    return database_url


class Page(HTMLParser):
    """The page's svgs (each with its text), its tags, and every src and href."""

    def __init__(self, text: str):
        super().__init__()
        self.svgs: list[list[str]] = []
        self.depth = 0
        self.tags: list[str] = []
        self.links: list[str] = []
        self.text: list[str] = []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.links += [value or "" for name, value in attrs if name in ("src", "href", "xlink:href")]
        if tag == "svg":
            if self.depth == 0:
                self.svgs.append([])
            self.depth += 1

    def handle_endtag(self, tag):
        if tag == "svg":
            self.depth -= 1

    def handle_data(self, data):
        self.text.append(data)
        if self.depth:
            self.svgs[-1].append(data.strip())


def html_report(upline, database_url, app_yaml, *argv) -> str:
    ran = upline("report", "--format", "html", "--since", "3w", "--config", app_yaml, "--database-url", database_url,
                 *argv, now=NOW)
    assert ran.code == 0, ran.err
    return ran.out


def test_the_page_has_four_charts_with_their_series(seeded, upline, app_yaml):
    page = Page(html_report(upline, seeded, app_yaml))
    assert len(page.svgs) == 4
    ack, compliance, load, decided = page.svgs
    assert "Time to acknowledge, per area (hours)" in ack and {"jit (3)", "nn (3)"} <= set(ack)  # acknowledged ones
    assert "SLA compliance per week, per area (%)" in compliance and {"jit", "nn"} <= set(compliance)
    assert {"acknowledged", "resolved", "open held now", "Cora One", "Jo", NAUGHTY} <= set(load)
    assert {"passed", "rejected", "no decision yet", "nn", "jit"} <= set(decided)


def test_the_summary_table_is_the_reports_rows(seeded, upline, app_yaml):
    page = Page(html_report(upline, seeded, app_yaml))
    text = [piece.strip() for piece in page.text if piece.strip()]
    total = text.index("total")
    assert text[total:total + 2] == ["total", "7"]  # 3 in jit, 4 in nn
    assert "Tickets opened from 2026-11-18T09:00:00Z to 2026-12-09T09:00:00Z (the last 3w)" in text


def test_nothing_is_fetched_no_script_and_no_external_reference(seeded, upline, app_yaml):
    out = html_report(upline, seeded, app_yaml, "--compare", "previous")
    page = Page(out)
    assert not {"script", "link", "img", "iframe", "object"} & set(page.tags)
    assert [link for link in page.links if "//" in link] == []
    assert "url(http" not in out and "@import" not in out
    assert "default-src 'none'" in out  # and the browser is told so


def test_names_are_escaped(seeded, upline, app_yaml):
    out = html_report(upline, seeded, app_yaml)
    assert "<img" not in out
    assert "Nina &lt;img src=x onerror=alert(1)&gt; &amp;" in out


def test_compare_previous_adds_the_period_before(seeded, upline, app_yaml):
    page = Page(html_report(upline, seeded, app_yaml, "--since", "1w", "--compare", "previous"))
    text = [piece.strip() for piece in page.text if piece.strip()]
    assert "before" in text and "change" in text
    assert any(piece.startswith("; beside the period before") or "beside the period before" in piece for piece in text)


def test_o_writes_the_page_and_stdout_stays_empty(seeded, upline, app_yaml, tmp_path):
    target = tmp_path / "report.html"
    ran = upline("report", "--format", "html", "-o", str(target), "--config", app_yaml, "--database-url", seeded,
                 now=NOW)
    assert (ran.code, ran.out) == (0, "")
    assert target.read_text().startswith("<!DOCTYPE html>")


def test_an_empty_period_still_renders_every_chart(seeded, upline, app_yaml):
    page = Page(html_report(upline, seeded, app_yaml, "--since", "1h"))
    assert len(page.svgs) == 4
    assert "No ticket was opened in the period." in "".join(page.text)
