"""`upline report` on a database filled the way the bot fills it: the table, csv, json and filters."""

import csv
import io
import json
from datetime import UTC, datetime, timedelta

import pytest

from bot.clock import OFFSET_SETTING
from bot.domain.ticket import Kind

T = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)  # a Monday
NOW = T + timedelta(days=2)


def at(hours: float) -> datetime:
    return T + timedelta(hours=hours)


@pytest.fixture
def filled(service, database_url) -> str:
    """Four tickets this week and one from last month; returns the database URL."""
    old = service.ask(asker="U0OLD", kind=Kind.QUESTION, area="nn", text="Old?", now=T - timedelta(days=40))
    service.resolve(old.id, by="U0OLD", now=T - timedelta(days=40) + timedelta(hours=1))
    quick = service.ask(asker="U0ASKER", kind=Kind.QUESTION, area="nn", text="Hooks?", now=T)
    service.acknowledge(quick.id, by="nn1", now=at(0.25))
    service.resolve(quick.id, by="nn1", now=at(3.2))
    slow = service.ask(asker="U0BOB", kind=Kind.QUESTION, area="nn", text="LayerNorm?", now=at(1))
    dispute = service.ask(asker="U0CAROL", kind=Kind.ESCALATION, area="cuda", text="Allocator?", now=at(2))
    service.escalate(dispute.id, by="cu1", now=at(2.5), reason="needs core")  # by hand: no breach
    service.sweep_due(at(5))  # slow: reminded
    service.sweep_due(at(9))  # slow: 8h without ack, up to core; dispute: 4h at core, up to the lead
    service.acknowledge(slow.id, by="core1", now=at(11))
    service.sweep_due(at(13.5))  # dispute: 4h at the lead without ack, the lead is reminded as overdue
    reopened = service.ask(asker="U0DAN", kind=Kind.QUESTION, area="cuda", text="sm_120?", now=at(20))
    service.acknowledge(reopened.id, by="cu1", now=at(21))
    service.resolve(reopened.id, by="cu1", now=at(22))
    service.reopen(reopened.id, by="U0DAN", now=at(23))
    service.resolve(reopened.id, by="cu1", now=at(30))
    return database_url


def test_the_table_has_a_row_per_area_and_kind_a_total_and_footnotes(filled, upline):
    ran = upline("report", "--database-url", filled, now=NOW)
    assert ran.code == 0 and ran.err == ""
    lines = ran.out.splitlines()
    assert lines[:7] == [
        "Tickets opened from 2026-10-26T09:00:00Z to 2026-11-25T09:00:00Z (the last 30d)",
        "",
        "area   kind        opened  ack p50  ack p90  resolve p50  resolve p90  ack breaches  resolve breaches"
        "  compliant",
        "cuda   escalation       1        —        —            —            —             2                 0"
        "         0%",
        "cuda   question         1       1h       1h           2h           2h             0                 0"
        "       100%",
        "nn     question         2     5h8m      10h        3h12m        3h12m             1                 0"
        "        50%",
        "total                   4       1h      10h        2h36m        3h12m             3                 0"
        "        50%",
    ]
    assert "a ticket still open and not yet overdue counts" in ran.out
    assert "as compliant so far." in ran.out


def test_csv_is_a_header_and_rows_with_seconds(filled, upline):
    ran = upline("report", "--format", "csv", "--database-url", filled, now=NOW)
    assert ran.code == 0
    rows = list(csv.DictReader(io.StringIO(ran.out)))
    assert [(row["area"], row["kind"]) for row in rows] == [
        ("cuda", "escalation"), ("cuda", "question"), ("nn", "question"), ("*", "*")]
    nn = rows[2]
    assert (nn["ack_p50_seconds"], nn["ack_p90_seconds"], nn["resolve_p50_seconds"]) == ("18450", "36000", "11520")
    assert (nn["ack_breaches"], nn["compliance_percent"]) == ("1", "50.0")
    assert rows[0]["ack_p50_seconds"] == ""  # nobody acknowledged the dispute


def test_json_is_a_list_of_objects_with_seconds(filled, upline):
    ran = upline("report", "--format", "json", "--database-url", filled, now=NOW)
    records = json.loads(ran.out)
    total = records[-1]
    assert (total["area"], total["kind"], total["opened"], total["acknowledged"], total["resolved"]) == (
        "*", "*", 4, 3, 2)
    assert total["resolve_p50_seconds"] == 9360 and total["ack_breaches"] == 3
    assert records[0]["ack_p50_seconds"] is None and records[0]["compliance_percent"] == 0.0


def test_filters_by_area_and_kind(filled, upline):
    ran = upline("report", "--area", "cuda", "--kind", "question", "--format", "json", "--database-url", filled,
                 now=NOW)
    assert [(record["area"], record["kind"], record["opened"]) for record in json.loads(ran.out)] == [
        ("cuda", "question", 1), ("*", "*", 1)]


def test_since_reaches_further_back(filled, upline):
    ran = upline("report", "--since", "8w", "--format", "json", "--database-url", filled, now=NOW)
    assert json.loads(ran.out)[-1]["opened"] == 5


def test_a_period_without_tickets(filled, upline):
    table = upline("report", "--since", "1h", "--database-url", filled, now=NOW)
    assert table.out == "Tickets opened from 2026-11-25T08:00:00Z to 2026-11-25T09:00:00Z (the last 1h): none.\n"
    assert upline("report", "--since", "1h", "--format", "json", "--database-url", filled, now=NOW).out == "[]\n"
    empty_csv = upline("report", "--since", "1h", "--format", "csv", "--database-url", filled, now=NOW).out
    assert empty_csv.splitlines() == [empty_csv.splitlines()[0]] and empty_csv.startswith("area,kind,opened,")


def test_an_unmigrated_database_is_refused_with_the_fix(engine, database_url, upline):
    with engine.connect():
        pass
    ran = upline("report", "--database-url", database_url, now=NOW)
    assert (ran.code, ran.err) == (1, "error: the database has no Upline tables yet: run `upline db upgrade`\n")


@pytest.mark.parametrize("argv", [["--since", "soon"], ["--since", "0d"], ["--kind", "rant"], ["--format", "xml"]])
def test_bad_options_are_usage_errors(argv, upline, capsys):
    with pytest.raises(SystemExit) as exited:
        upline("report", *argv)
    assert exited.value.code == 2
    assert "upline report: error:" in capsys.readouterr().err


# -- --area: a key or alias of app.yaml's areas or the tickets'; anything else is an error -----------------

AREAS_YAML = """\
project: Acme
lead: lead
core: {maintainers: [core1]}
areas:
  - {key: nn, maintainers: [nn1], aliases: [torch.nn]}
  - {key: cuda, maintainers: [cu1]}
  - {key: quantization, maintainers: [q1]}
people:
  lead: {slack: U0LEAD}
  core1: {slack: U0CORE1}
  nn1: {slack: U0NN1}
  cu1: {slack: U0CU1}
  q1: {slack: U0Q1}
"""


@pytest.fixture
def elsewhere(tmp_path, monkeypatch):
    """A working directory without an app.yaml: the areas known are the tickets' only."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("UPLINE_CONFIG", raising=False)


def test_an_unknown_area_is_an_error_naming_the_closest(filled, upline, elsewhere):
    ran = upline("report", "--area", "nnn", "--database-url", filled, now=NOW)
    assert (ran.code, ran.out, ran.err) == (1, "", "error: unknown area 'nnn': did you mean nn?\n")


def test_an_area_like_none_is_an_error_naming_every_area(filled, upline, elsewhere):
    ran = upline("report", "--area", "zzz", "--database-url", filled, now=NOW)
    assert (ran.code, ran.out, ran.err) == (1, "", "error: unknown area 'zzz'; the areas are cuda, nn\n")


def test_the_areas_of_app_yaml_count_and_an_alias_names_its_area(filled, upline, tmp_path):
    config = tmp_path / "app.yaml"
    config.write_text(AREAS_YAML)
    quiet = upline("report", "--area", "quantization", "--config", str(config), "--database-url", filled, now=NOW)
    assert quiet.code == 0 and quiet.out.endswith(": none.\n")  # an area of app.yaml without tickets
    alias = upline("report", "--area", "torch.nn", "--format", "json", "--config", str(config),
                   "--database-url", filled, now=NOW)
    assert [(record["area"], record["opened"]) for record in json.loads(alias.out)] == [("nn", 2), ("*", 2)]
    typo = upline("report", "--area", "quantisation", "--config", str(config), "--database-url", filled, now=NOW)
    assert typo.code == 1 and typo.err == "error: unknown area 'quantisation': did you mean quantization?\n"


def test_an_area_whose_tickets_are_all_older_than_the_period_is_known(filled, upline, elsewhere):
    ran = upline("report", "--area", "NN", "--since", "1h", "--database-url", filled, now=NOW)
    assert ran.code == 0 and ran.out.endswith(": none.\n")


def test_a_config_named_but_unreadable_is_an_error(filled, upline, tmp_path):
    ran = upline("report", "--config", str(tmp_path / "missing.yaml"), "--database-url", filled, now=NOW)
    assert ran.code == 1 and ran.out == "" and "cannot read the config" in ran.err


# -- time: seconds under a minute, and the sandbox's clock ------------------------------------------------


def test_an_acknowledgement_within_a_minute_shows_its_seconds_not_0m(service, database_url, upline):
    ticket = service.ask(asker="U0ASKER", kind=Kind.QUESTION, area="nn", text="Hooks?", now=T)
    service.acknowledge(ticket.id, by="nn1", now=T + timedelta(seconds=20))
    ran = upline("report", "--database-url", database_url, now=NOW)
    nn = next(line for line in ran.out.splitlines() if line.startswith("nn "))
    assert nn.split()[3:5] == ["20s", "20s"]


def test_on_a_sandbox_database_the_period_ends_at_the_sandbox_clock(service, make_uow, database_url, upline):
    # The sandbox's page moved its clock a day ahead, and a question was asked at its time.
    service.ask(asker="U0ASKER", kind=Kind.QUESTION, area="nn", text="Hooks?", now=NOW + timedelta(days=1))
    with make_uow() as uow:
        uow.settings.put(OFFSET_SETTING, 86400, now=NOW)
        uow.commit()
    ran = upline("report", "--format", "json", "--database-url", database_url, now=NOW + timedelta(minutes=5))
    assert ran.code == 0 and json.loads(ran.out)[-1]["opened"] == 1
    assert ran.err == "note: the sandbox's clock, 1d ahead of real time, as its page shows\n"
    table = upline("report", "--database-url", database_url, now=NOW + timedelta(minutes=5))
    assert table.out.startswith("Tickets opened from 2026-10-27T09:05:00Z to 2026-11-26T09:05:00Z (the last 30d)")
