"""`upline decisions` on a database whose decisions were made through DecisionService: md, json, table, filters."""

import json
from datetime import UTC, datetime, timedelta

import pytest

from bot.config import load_config_text
from bot.domain.tally import Choice
from bot.services.decisions import DecisionService
from bot.services.tickets import TicketService

T = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
NOW = T + timedelta(days=2)
APP_YAML = """\
project: Acme
lead: lead
core: {maintainers: [core1, core2, core3]}
sla:
  question: {ack: 1d, resolve: 7d}
  reminders: [0.5]
decisions: {duration: 2d, rationale_within: 1d, veto_window: 3d, core: {duration: 1d}}
areas:
  - {key: nn, maintainers: [nn1, nn2, nn3], aliases: [torch.nn]}
  - {key: jit, maintainers: [nn1, jit1]}
people:
  lead: {slack: U0LEAD, name: Lea Lead}
  core1: {slack: U0CORE1, name: Cora One}
  core2: {slack: U0CORE2, name: Cole Two}
  core3: {slack: U0CORE3}
  nn1: {slack: U0NN1, name: Nina}
  nn2: {slack: U0NN2, name: Ned}
  nn3: {slack: U0NN3}
  jit1: {slack: U0JIT1, name: Jo}
"""
RATIONALE = "# Why\nIt is *unused*, see `nn.Module`. <!channel>"


def at(hours: float) -> datetime:
    return T + timedelta(hours=hours)


@pytest.fixture
def app_yaml(tmp_path) -> str:
    path = tmp_path / "app.yaml"
    path.write_text(APP_YAML)
    return str(path)


@pytest.fixture
def filled(make_uow, database_url) -> dict[str, int]:
    """Five decisions: one from months ago, a disputed one upheld, a tie the lead settled, a veto, an open
    core vote; returns their numbers by name."""
    config = load_config_text(APP_YAML).config
    service = DecisionService(config, make_uow, TicketService(config, make_uow))

    def passed(proposal: str, now: datetime, rationale: str) -> int:
        number = service.call(by="U0NN1", area="nn", proposal=proposal, now=now).decision.number
        service.cast(number, by="U0NN1", choice=Choice.FOR, now=now)
        service.cast(number, by="U0NN2", choice=Choice.FOR, now=now)  # 2 of 3: passed at once
        service.write_rationale(number, by="U0NN2", text=rationale, now=now)
        return number

    old = passed("Rename the old hooks", T - timedelta(days=120), "Long agreed.")
    disputed = passed("Deprecate nn.Container\nIt has been superseded by nn.Sequential.", at(1), RATIONALE)
    service.dispute(disputed, by="U0JIT1", reason="TorchScript still uses it.", now=at(2))
    service.answer_dispute(disputed, by="U0NN1", uphold=True, explanation="Scripting moved on.", now=at(3))
    tie = service.call(by="U0JIT1", area="jit", proposal="Merge the frontends", now=at(4)).decision.number
    service.cast(tie, by="U0NN1", choice=Choice.FOR, now=at(4))
    service.cast(tie, by="U0JIT1", choice=Choice.AGAINST, now=at(4))  # a tie: up to the core
    service.cast(tie, by="U0CORE1", choice=Choice.FOR, now=at(5))
    service.cast(tie, by="U0CORE2", choice=Choice.AGAINST, now=at(5))
    service.recuse(tie, by="U0CORE3", now=at(5))  # the core ties too: up to the lead
    service.lead_decides(tie, by="U0LEAD", approve=False, rationale="Not this year.", now=at(6))
    vetoed = passed("Drop Python 3.10", at(7), "Nobody objected.")
    service.veto(vetoed, by="U0CORE1", reason="Too early for downstream.", now=at(8))
    service.cast(vetoed, by="U0CORE1", choice=Choice.FOR, now=at(8))
    service.cast(vetoed, by="U0CORE2", choice=Choice.FOR, now=at(8))  # 2 of 3 core for: vetoed
    open_vote = service.call(by="U0CORE1", area=None, proposal="Adopt a code of conduct", now=at(9)).decision.number
    service.cast(open_vote, by="U0CORE1", choice=Choice.FOR, now=at(9))
    return {"old": old, "disputed": disputed, "tie": tie, "vetoed": vetoed, "open": open_vote,
            "url": database_url}


def test_markdown_is_a_document_newest_first_with_names_votes_and_escaped_rationale(filled, upline, app_yaml):
    ran = upline("decisions", "--config", app_yaml, "--database-url", filled["url"], now=NOW)
    assert ran.code == 0 and ran.err == ""
    lines = ran.out.splitlines()
    assert lines[:3] == ["# Acme decision log", "",
                         "Decisions opened or published from 2026-08-27 to 2026-11-25, newest first."]
    headings = [line for line in lines if line.startswith("## ")]
    assert headings == [f"## #{filled['open']} — Adopt a code of conduct", f"## #{filled['vetoed']} — Drop Python 3.10",
                        f"## #{filled['tie']} — Merge the frontends",
                        f"## #{filled['disputed']} — Deprecate nn.Container"]
    disputed = ran.out[ran.out.index(headings[-1]):]
    assert "- Area: nn\n- Opened: 2026-11-23, by Nina\n- Published: 2026-11-23\n" in disputed
    assert "- Outcome: **passed**, open to dispute and veto until 2026-11-26 (upheld after a dispute)" in disputed
    assert "> Deprecate nn.Container\\\n> It has been superseded by nn.Sequential.\n" in disputed  # all of it
    assert "- For: Nina, Ned\n- Against: —\n- Abstain: —\n- Did not vote: nn3\n" in disputed
    assert ("Rationale, by Ned on 2026-11-23:\n\n> \\# Why\\\n"
            "> It is \\*unused\\*, see \\`nn.Module\\`. \\<!channel\\>\n") in disputed
    assert "Disputed by **Jo** on 2026-11-23:\n\n> TorchScript still uses it.\n\nAnswered Uphold, by Nina:\n\n" \
           "> Scripting moved on.\n\nResolution: outcome upheld by the nn maintainers." in disputed
    tie = ran.out[ran.out.index(headings[2]):ran.out.index(headings[3])]
    assert "- Area: jit" in tie and "- Outcome: **rejected by the lead**, final" in tie
    assert "### Round 2: the core maintainers on the proposal — no decision (a tie), so it went up" in tie
    assert "- Recused: core3" in tie and "### Round 3: the lead on the proposal — rejected" in tie
    vetoed = ran.out[ran.out.index(headings[1]):ran.out.index(headings[2])]
    assert "- Outcome: **vetoed**" in vetoed and "Resolution: vetoed by the core maintainers." in vetoed
    assert "Veto asked by **Cora One** on 2026-11-23:\n\n> Too early for downstream." in vetoed
    assert "- Area: core\n" in ran.out and "- Outcome: no decision yet: the core maintainers are voting" in ran.out
    assert "- Not voted yet: Cole Two, core3" in ran.out


def test_json_has_every_field_and_round_trips(filled, upline, app_yaml):
    ran = upline("decisions", "--format", "json", "--config", app_yaml, "--database-url", filled["url"], now=NOW)
    records = json.loads(ran.out)
    assert [record["number"] for record in records] == [filled[name] for name in ("open", "vetoed", "tie", "disputed")]
    tie = records[2]
    assert (tie["kind"], tie["area"], tie["state"], tie["outcome"], tie["rationale"]) == (
        "module", "jit", "final", "rejected", "Not this year.")
    assert [(r["level"], r["result"]) for r in tie["rounds"]] == [
        ("area:jit", "no_decision"), ("core", "no_decision"), ("lead", "rejected")]
    assert tie["rounds"][0]["ballots"] == [{"voter": "nn1", "choice": "for", "at": "2026-11-23T13:00:00Z"},
                                           {"voter": "jit1", "choice": "against", "at": "2026-11-23T13:00:00Z"}]
    disputed = records[3]
    assert disputed["opened_at"] == "2026-11-23T10:00:00Z" and disputed["published_at"] == "2026-11-23T10:00:00Z"
    assert disputed["disputes"][0] | {"at": None, "answer_due_at": None} == {
        "by": "jit1", "reason": "TorchScript still uses it.", "at": None, "answer_due_at": None, "answer": "uphold",
        "answered_by": "nn1", "explanation": "Scripting moved on.", "escalated": None, "resolution": "upheld",
        "resolved_by": "area:nn"}
    assert disputed["proposal"].startswith("Deprecate nn.Container\n") and disputed["rationale"] == RATIONALE
    assert records[1]["vetoes"][0]["resolution"] == "vetoed" and records[1]["state"] == "vetoed"
    assert "called" in [event["kind"] for event in disputed["history"]]


def test_the_table_has_a_line_per_decision(filled, upline, app_yaml):
    ran = upline("decisions", "--format", "table", "--config", app_yaml, "--database-url", filled["url"], now=NOW)
    assert ran.code == 0
    assert [filled[name] for name in ("open", "vetoed", "tie", "disputed")] == [5, 4, 3, 2]  # a fresh database
    assert ran.out.splitlines() == [
        "Decisions opened or published from 2026-08-27T09:00:00Z to 2026-11-25T09:00:00Z (the last 90d)",
        "",
        " #  area  state      outcome   opened      published   proposal",
        "#5  core  voting     —         2026-11-23  —           Adopt a code of conduct",
        "#4  nn    vetoed     vetoed    2026-11-23  2026-11-23  Drop Python 3.10",
        "#3  jit   final      rejected  2026-11-23  2026-11-23  Merge the frontends",
        "#2  nn    published  passed    2026-11-23  2026-11-23  Deprecate nn.Container",
    ]


def test_area_and_since_filter(filled, upline, app_yaml):
    def numbers(*argv):
        ran = upline("decisions", "--format", "json", *argv, "--config", app_yaml, "--database-url", filled["url"],
                     now=NOW)
        assert ran.code == 0, ran.err
        return [record["number"] for record in json.loads(ran.out)]

    assert numbers("--area", "nn") == [filled["vetoed"], filled["disputed"]]
    assert numbers("--area", "torch.nn", "--since", "26w") == [filled["vetoed"], filled["disputed"], filled["old"]]
    assert numbers("--area", "core") == [filled["open"]]
    assert numbers("--since", "40h") == [filled["open"], filled["vetoed"]]  # opened before, published since


def test_an_empty_log_says_so(filled, upline, app_yaml):
    def run(*argv):
        return upline("decisions", *argv, "--since", "1h", "--config", app_yaml, "--database-url", filled["url"],
                      now=NOW + timedelta(days=30)).out

    assert run() == "No decisions since 2026-12-25.\n"
    assert run("--format", "table") == "No decisions since 2026-12-25.\n"
    assert run("--format", "json") == "[]\n"
    assert run("--area", "jit") == "No decisions in jit since 2026-12-25.\n"


def test_an_unknown_area_is_an_error_naming_the_closest(filled, upline, app_yaml):
    ran = upline("decisions", "--area", "nnn", "--config", app_yaml, "--database-url", filled["url"], now=NOW)
    assert (ran.code, ran.out, ran.err) == (1, "", "error: unknown area 'nnn': did you mean nn?\n")
    ran = upline("decisions", "--area", "zzz", "--config", app_yaml, "--database-url", filled["url"], now=NOW)
    assert (ran.code, ran.err) == (1, "error: unknown area 'zzz'; the areas are jit, nn\n")


def test_without_app_yaml_areas_come_from_the_decisions_and_people_stay_keys(filled, upline, tmp_path, monkeypatch):
    (tmp_path / "elsewhere").mkdir()
    monkeypatch.chdir(tmp_path / "elsewhere")
    monkeypatch.delenv("UPLINE_CONFIG", raising=False)
    ran = upline("decisions", "--area", "jit", "--database-url", filled["url"], now=NOW)
    assert ran.code == 0 and ran.out.startswith("# Decision log\n") and "- For: nn1" in ran.out


@pytest.mark.parametrize("argv", [["--since", "soon"], ["--since", "0d"], ["--format", "csv"]])
def test_bad_options_are_usage_errors(argv, upline, capsys):
    with pytest.raises(SystemExit) as exited:
        upline("decisions", *argv)
    assert exited.value.code == 2
    assert "upline decisions: error:" in capsys.readouterr().err
