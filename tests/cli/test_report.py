"""`upline report` on a database filled the way the bot fills it: the table, csv, json and filters."""

import csv
import io
import json
from datetime import UTC, datetime, timedelta

import pytest

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
