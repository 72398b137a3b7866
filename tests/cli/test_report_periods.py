"""`upline report --since DATE --until DATE --compare previous`: a past period as it stood at its end, and
each row beside the period before. The history is test_report.py's `filled` (Monday 2026-11-23)."""

import json
from datetime import timedelta

import pytest

from bot.domain.ticket import Kind
from tests.cli.test_report import NOW, T, filled  # noqa: F401  (the fixture)


def records(ran) -> dict:
    assert ran.code == 0, ran.err
    return {(record["area"], record["kind"]): record for record in json.loads(ran.out)}


def test_until_ends_the_period_and_later_events_are_not_counted(filled, upline):  # noqa: F811
    # At 15:00 only the first question was acknowledged, and no deadline had passed yet.
    ran = upline("report", "--since", "2026-11-23", "--until", "2026-11-23T15:00", "--format", "json",
                 "--database-url", filled, now=NOW)
    total = records(ran)[("*", "*")]
    assert (total["opened"], total["acknowledged"], total["resolved"]) == (3, 1, 1)
    assert (total["ack_breaches"], total["compliance_percent"]) == (0, 100.0)


def test_a_deadline_passed_by_the_end_but_acted_on_later_is_a_breach_then(filled, upline):  # noqa: F811
    # The dispute's window at core ran out at 15:30; the sweeper climbed at 18:00, after the 17:00 end.
    ran = upline("report", "--since", "2026-11-23", "--until", "2026-11-23T17:00", "--format", "json",
                 "--database-url", filled, now=NOW)
    dispute = records(ran)[("cuda", "escalation")]
    assert (dispute["ack_breaches"], dispute["compliance_percent"]) == (0, 0.0)


def test_a_date_as_until_is_the_whole_day_and_the_title_says_the_length(filled, upline):  # noqa: F811
    ran = upline("report", "--since", "2026-11-23", "--until", "2026-11-23", "--database-url", filled, now=NOW)
    assert ran.out.startswith("Tickets opened from 2026-11-23T00:00:00Z to 2026-11-24T00:00:00Z (1d)\n")
    assert next(line for line in ran.out.splitlines() if line.startswith("total")).split()[1] == "3"


def test_a_duration_since_counts_back_from_until(filled, upline):  # noqa: F811
    ran = upline("report", "--since", "1d", "--until", "2026-11-23", "--format", "json", "--database-url", filled,
                 now=NOW)
    assert records(ran)[("*", "*")]["opened"] == 3


def test_the_default_period_is_unchanged(filled, upline):  # noqa: F811
    plain = upline("report", "--database-url", filled, now=NOW)
    until_now = upline("report", "--until", "2026-11-25T09:00", "--database-url", filled, now=NOW)
    assert plain.out.splitlines()[2:] == until_now.out.splitlines()[2:]
    assert plain.out.startswith("Tickets opened from 2026-10-26T09:00:00Z to 2026-11-25T09:00:00Z (the last 30d)")


def test_an_until_in_the_future_ends_the_period_now(filled, upline):  # noqa: F811
    ran = upline("report", "--since", "2026-11-23", "--until", "2027-01-01", "--database-url", filled, now=NOW)
    assert ran.out.startswith("Tickets opened from 2026-11-23T00:00:00Z to 2026-11-25T09:00:00Z")


def test_until_before_since_is_an_error(filled, upline):  # noqa: F811
    ran = upline("report", "--since", "2026-11-01", "--until", "2026-10-01", "--database-url", filled, now=NOW)
    assert (ran.code, ran.out, ran.err) == (1, "", "error: --until 2026-10-01 comes before --since 2026-11-01\n")
    later = upline("report", "--since", "2026-12-01", "--database-url", filled, now=NOW)
    assert later.code == 1 and later.err == "error: --since 2026-12-01 is later than now (2026-11-25T09:00:00Z)\n"


@pytest.mark.parametrize(("argv", "said"), [
    (["--until", "soon"], "argument --until: not a date (2026-11-30) or a moment (2026-11-30T12:00): 'soon'"),
    (["--until", "2026-13-01"], "argument --until: not a date"),
    (["--since", "2026-13-01"], "argument --since: not a date (2026-11-01)"),
    (["--compare", "last"], "argument --compare: invalid choice"),
])
def test_unparseable_periods_are_usage_errors(argv, said, upline, capsys):
    with pytest.raises(SystemExit) as exited:
        upline("report", *argv)
    assert exited.value.code == 2 and said in capsys.readouterr().err


def test_people_refuses_the_ticket_reports_periods(filled, upline):  # noqa: F811
    ran = upline("report", "--people", "--until", "2026-11-23", "--database-url", filled, now=NOW)
    assert ran.code == 2 and "--until, --compare and -o are for the ticket report" in ran.err


# -- --compare previous ---------------------------------------------------------------------------------


@pytest.fixture
def two_weeks(service, database_url) -> str:
    """Last week: an nn question acknowledged in 1h and a cuda one never; this week: an nn one that breached."""
    before = T - timedelta(days=7)
    answered = service.ask(asker="U0A", kind=Kind.QUESTION, area="nn", text="Hooks?", now=before)
    service.acknowledge(answered.id, by="nn1", now=before + timedelta(hours=1))
    service.ask(asker="U0B", kind=Kind.QUESTION, area="cuda", text="sm_90?", now=before + timedelta(hours=2))
    breached = service.ask(asker="U0C", kind=Kind.QUESTION, area="nn", text="LayerNorm?", now=T)
    service.sweep_due(T + timedelta(hours=9))  # 8h without an ack: up to core
    service.acknowledge(breached.id, by="core1", now=T + timedelta(hours=10))
    return database_url


def test_compare_previous_in_json_puts_the_week_before_beside(two_weeks, upline):
    ran = upline("report", "--since", "7d", "--until", "2026-11-29", "--compare", "previous", "--format", "json",
                 "--database-url", two_weeks, now=NOW + timedelta(days=5))
    rows = records(ran)
    nn, cuda = rows[("nn", "question")], rows[("cuda", "question")]
    assert (nn["opened"], nn["compliance_percent"], nn["ack_p50_seconds"]) == (1, 0.0, 36000)
    assert (nn["previous_opened"], nn["previous_compliance_percent"], nn["previous_ack_p50_seconds"]) == (
        1, 100.0, 3600)
    # Nobody acknowledged the cuda question: by the end of last week its 1d window had run out.
    assert (cuda["opened"], cuda["previous_opened"], cuda["previous_compliance_percent"]) == (0, 1, 0.0)
    assert list(rows) == [("cuda", "question"), ("nn", "question"), ("*", "*")]


def test_compare_previous_in_csv_has_previous_columns(two_weeks, upline):
    ran = upline("report", "--since", "7d", "--until", "2026-11-29", "--compare", "previous", "--format", "csv",
                 "--database-url", two_weeks, now=NOW + timedelta(days=5))
    header, *lines = ran.out.splitlines()
    assert header.endswith(",compliance_percent,previous_opened,previous_acknowledged,previous_resolved,"
                           "previous_ack_p50_seconds,previous_ack_p90_seconds,previous_resolve_p50_seconds,"
                           "previous_resolve_p90_seconds,previous_ack_breaches,previous_resolve_breaches,"
                           "previous_compliant,previous_compliance_percent")
    assert lines[-1].startswith("*,*,1,1,0,36000,36000,,,1,0,0,0.0,2,1,0,3600,")


def test_compare_previous_in_the_table_has_a_before_line_and_an_arrow(two_weeks, upline):
    ran = upline("report", "--since", "7d", "--until", "2026-11-29", "--compare", "previous",
                 "--database-url", two_weeks, now=NOW + timedelta(days=5))
    lines = ran.out.splitlines()
    assert lines[0] == ("Tickets opened from 2026-11-23T00:00:00Z to 2026-11-30T00:00:00Z (1w), beside the period"
                        " before: 2026-11-16T00:00:00Z to 2026-11-23T00:00:00Z")
    nn = lines.index(next(line for line in lines if line.startswith("nn ")))
    assert lines[nn].endswith(" 0%  ↓ 100 pts")
    assert lines[nn + 1].split()[:2] == ["before", "1"] and lines[nn + 1].split()[-1] == "100%"
    assert next(line for line in lines if line.startswith("total")).endswith("↓ 50 pts")


def test_a_ticket_opened_at_the_boundary_counts_in_one_period_only(service, database_url, upline):
    service.ask(asker="U0A", kind=Kind.QUESTION, area="nn", text="Edge?", now=T)
    ran = upline("report", "--since", T.isoformat(), "--until", (T + timedelta(days=1)).isoformat(), "--compare",
                 "previous", "--format", "json", "--database-url", database_url, now=NOW)
    total = records(ran)[("*", "*")]
    assert (total["opened"], total["previous_opened"]) == (1, 0)


def test_output_goes_to_a_file_in_one_step(filled, upline, tmp_path):  # noqa: F811
    target = tmp_path / "report.json"
    target.write_text("old")
    ran = upline("report", "--format", "json", "-o", str(target), "--database-url", filled, now=NOW)
    assert (ran.code, ran.out, ran.err) == (0, "", f"wrote {target}\n")
    assert json.loads(target.read_text())[-1]["opened"] == 4
    assert not [path for path in tmp_path.iterdir() if path.suffix == ".tmp"]  # no temporary file left
