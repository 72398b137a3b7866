"""`upline report --people` on a database filled through TicketService and DecisionService: table, csv, json."""

import csv
import io
import json
from datetime import UTC, datetime, timedelta

import pytest

from bot.cli import build_parser
from bot.clock import FakeClock
from bot.config import load_config_text
from bot.domain.tally import Choice
from bot.domain.ticket import Kind
from bot.services.decisions import DecisionService
from bot.services.tickets import TicketService

T = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)  # a Monday
NOW = T + timedelta(days=2)
APP_YAML = """\
project: Acme
lead: lead
core: {maintainers: [core1, core2]}
sla:
  question: {ack: 1d, resolve: 7d}
  escalation: {ack: 4h, resolve: 2d}
  reminders: [0.5]
decisions: {duration: 2d, rationale_within: 1d, veto_window: 3d, core: {duration: 1d}}
governance: {inactive_after: 26w}
areas:
  - {key: nn, maintainers: [nn1, nn2, cu1]}
  - {key: cuda, maintainers: [cu1], governance: {inactive_after: 4w}}
people:
  lead: {slack: U0LEAD, name: Lea Lead}
  core1: {slack: U0CORE1, name: Cora One}
  core2: {slack: U0CORE2, name: Cole Two}
  nn1: {slack: U0NN1, name: Nina}
  nn2: {slack: U0NN2, name: Ned}
  cu1: {slack: U0CU1}
"""


def at(hours: float) -> datetime:
    return T + timedelta(hours=hours)


@pytest.fixture
def app_yaml(tmp_path) -> str:
    path = tmp_path / "app.yaml"
    path.write_text(APP_YAML)
    return str(path)


@pytest.fixture
def filled(make_uow, database_url) -> dict[str, int]:
    """Seven months of history; returns the database URL and the ticket numbers by name."""
    config = load_config_text(APP_YAML).config
    tickets = TicketService(config, make_uow)
    decisions = DecisionService(config, make_uow, tickets)
    first = T - timedelta(days=200)  # the history begins: nn1 answers
    old = tickets.ask(asker="U0ASKER", kind=Kind.QUESTION, area="nn", text="Old?", now=first)
    tickets.acknowledge(old.id, by="U0NN1", now=first + timedelta(hours=1))
    tickets.resolve(old.id, by="U0NN1", now=first + timedelta(hours=2))
    month = T - timedelta(days=40)  # cu1's last part: 40 days is past cuda's 4w, not the project's 26w
    cuda = tickets.ask(asker="U0ASKER", kind=Kind.QUESTION, area="cuda", text="sm_120?", now=month)
    tickets.acknowledge(cuda.id, by="U0CU1", now=month + timedelta(minutes=30))
    tickets.resolve(cuda.id, by="U0CU1", now=month + timedelta(hours=2))
    vote = decisions.call(by="U0CU1", area="cuda", proposal="Drop sm_50", now=month + timedelta(hours=3))
    decisions.cast(vote.decision.number, by="U0CU1", choice=Choice.FOR, now=month + timedelta(hours=3))
    decisions.write_rationale(vote.decision.number, by="U0CU1", text="Unused.", now=month + timedelta(hours=4))

    quick = tickets.ask(asker="U0ASKER", kind=Kind.QUESTION, area="nn", text="Hooks?", now=T)
    tickets.acknowledge(quick.id, by="U0NN1", now=at(0.25))
    tickets.resolve(quick.id, by="U0NN1", now=at(3))
    own = tickets.ask(asker="U0NN1", kind=Kind.QUESTION, area="cuda", text="Streams?", now=at(1))
    tickets.resolve(own.id, by="U0NN1", now=at(1.5))  # closing your own question is not answering one
    climbed = tickets.ask(asker="U0ASKER", kind=Kind.ESCALATION, area="nn", text="Allocator?", now=at(2))
    tickets.sweep_due(at(6.5))  # 4h without an ack at nn: up to the core
    tickets.acknowledge(climbed.id, by="U0CORE1", now=at(7))  # 30m after it reached the core
    handed = tickets.ask(asker="U0ASKER", kind=Kind.QUESTION, area="nn", text="LayerNorm?", now=at(3))
    tickets.reassign(handed.id, by="U0NN1", to_person="nn2", now=at(4))  # nn2 holds it, but has not acted
    module = decisions.call(by="U0NN1", area="nn", proposal="Deprecate nn.Container", now=at(5)).decision.number
    decisions.cast(module, by="U0NN1", choice=Choice.FOR, now=at(5))
    decisions.cast(module, by="U0NN1", choice=Choice.AGAINST, now=at(6))  # a changed vote is one vote
    core = decisions.call(by="U0CORE1", area=None, proposal="Adopt a code of conduct", now=at(8)).decision.number
    decisions.cast(core, by="U0CORE1", choice=Choice.FOR, now=at(8))
    return {"url": database_url, "climbed": climbed.id, "handed": handed.id}


def people(filled, app_yaml, upline, *options):
    return upline("report", "--people", *options, "--config", app_yaml, "--database-url", filled["url"], now=NOW)


def test_the_table_lists_every_maintainer_with_their_part_and_who_is_inactive(filled, app_yaml, upline):
    ran = people(filled, app_yaml, upline)
    assert ran.code == 0 and ran.err == ""
    lines = ran.out.splitlines()
    assert lines[:9] == [
        "Activity from 2026-08-27T09:00:00Z to 2026-11-25T09:00:00Z (the last 90d)",
        "",
        "person    areas     acknowledged  resolved  median ack  open held  votes  last active  note",
        "Cole Two  core                 0         0           —          0      0  never        inactive",
        "Cora One  core                 1         0         30m          1      1  2026-11-23",
        "cu1       nn, cuda             1         1         30m          0      1  2026-10-14   inactive in cuda",
        "Lea Lead  lead                 0         0           —          0      0  never",
        "Ned       nn                   0         0           —          1      0  never        inactive",
        "Nina      nn                   1         1         15m          0      1  2026-11-23",
    ]
    assert lines[-1] == "* Upline's history begins 2026-05-07T09:00:00Z."


def test_csv_has_every_field_with_seconds_and_iso_moments(filled, app_yaml, upline):
    ran = people(filled, app_yaml, upline, "--format", "csv")
    assert ran.code == 0
    rows = {row["person"]: row for row in csv.DictReader(io.StringIO(ran.out))}
    assert list(rows) == ["core2", "core1", "cu1", "lead", "nn2", "nn1"]  # by name, as in the table
    cu1 = rows["cu1"]
    assert (cu1["name"], cu1["areas"], cu1["median_ack_seconds"], cu1["votes"], cu1["rationales"]) == (
        "cu1", "nn cuda", "1800", "1", "1")
    assert (cu1["last_active"], cu1["inactive_in"]) == ("2026-10-14T13:00:00Z", "cuda")
    assert (rows["nn2"]["open_held_tickets"], rows["nn2"]["last_active"]) == (str(filled["handed"]), "")
    assert rows["nn2"]["inactive_since"] == "2026-05-07T09:00:00Z"  # never active: since the history began
    assert rows["lead"]["inactive_in"] == "" and rows["nn1"]["median_ack_seconds"] == "900"


def test_json_is_a_list_of_people_with_lists_and_nulls(filled, app_yaml, upline):
    ran = people(filled, app_yaml, upline, "--format", "json")
    records = {record["person"]: record for record in json.loads(ran.out)}
    assert records["core1"] == {
        "person": "core1", "name": "Cora One", "areas": ["core"], "acknowledged": 1, "resolved": 0,
        "median_ack_seconds": 1800, "open_held": 1, "open_held_tickets": [filled["climbed"]], "votes": 1,
        "rationales": 0, "last_active": "2026-11-23T17:00:00Z", "inactive_since": "2026-11-23T17:00:00Z",
        "inactive_in": [],
    }
    assert records["nn1"]["last_active"] == "2026-11-23T15:00:00Z"  # the changed vote, her latest act
    assert records["lead"]["median_ack_seconds"] is None and records["lead"]["last_active"] is None
    assert records["core2"]["inactive_in"] == ["core"]


def test_since_narrows_the_counts_but_not_last_active(filled, app_yaml, upline):
    ran = people(filled, app_yaml, upline, "--since", "2w", "--format", "json")
    cu1 = next(record for record in json.loads(ran.out) if record["person"] == "cu1")
    assert (cu1["acknowledged"], cu1["resolved"], cu1["votes"], cu1["median_ack_seconds"]) == (0, 0, 0, None)
    assert cu1["last_active"] == "2026-10-14T13:00:00Z" and cu1["inactive_in"] == ["cuda"]
    assert "(the last 2w)" in people(filled, app_yaml, upline, "--since", "2w").out


def test_without_app_yaml_it_lists_whoever_acted_by_key(filled, upline, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("UPLINE_CONFIG", raising=False)
    ran = upline("report", "--people", "--format", "json", "--database-url", filled["url"], now=NOW)
    records = json.loads(ran.out)
    assert [record["person"] for record in records] == ["core1", "cu1", "nn1", "nn2"]  # nn2 holds a ticket
    assert all(record["areas"] == [] and record["inactive_in"] == [] for record in records)


def test_an_empty_database_lists_the_maintainers_as_never_active(make_uow, database_url, app_yaml, upline):
    ran = upline("report", "--people", "--config", app_yaml, "--database-url", database_url, now=NOW)
    assert ran.code == 0
    assert "Lea Lead  lead                 0         0           —          0      0  never" in ran.out
    assert "inactive" not in ran.out.split("\n\n")[1]  # no history: nothing to be inactive against
    assert ran.out.splitlines()[-1] == "* Upline has no history yet."


@pytest.mark.parametrize("argv", [["--area", "nn"], ["--kind", "question"]])
def test_ticket_filters_are_usage_errors_with_people(argv, app_yaml, upline, tmp_path):
    ran = upline("report", "--people", *argv, "--config", app_yaml, "--database-url", f"sqlite:///{tmp_path}/x.db",
                 now=NOW)
    assert (ran.code, ran.out) == (2, "")
    assert ran.err == "upline report: error: --people lists everyone: --area and --kind are for the ticket report\n"


def test_markdown_is_not_a_people_format(upline, capsys):
    with pytest.raises(SystemExit) as exited:  # argparse knows the report's formats
        upline("report", "--people", "--format", "md")
    assert exited.value.code == 2 and "invalid choice: 'md'" in capsys.readouterr().err


def test_a_format_the_ticket_report_may_gain_is_still_refused_for_people(app_yaml, capsys):
    args = build_parser().parse_args(["report", "--people", "--config", app_yaml])
    args.format = "md"
    assert args.func(args, clock=FakeClock(NOW)) == 2
    assert capsys.readouterr().err == "upline report: error: --people prints table, csv or json, not md\n"


def test_a_broken_app_yaml_is_exit_1_with_its_problems(tmp_path, upline):
    broken = tmp_path / "app.yaml"
    broken.write_text("project: Acme\n")
    ran = upline("report", "--people", "--config", str(broken), "--database-url", f"sqlite:///{tmp_path}/x.db",
                 now=NOW)
    assert ran.code == 1 and "lead" in ran.err
