"""`upline status N`: a real ticket's header and history, an unknown number, a database not ready."""

from datetime import UTC, datetime, timedelta

import pytest

from bot.clock import OFFSET_SETTING
from bot.domain.ticket import Kind
from bot.services.decisions import DecisionService
from bot.services.elections import ElectionService

T = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)  # a Monday


def at(hours: float) -> datetime:
    return T + timedelta(hours=hours)


def test_status_shows_the_header_deadlines_policy_and_every_event(service, database_url, upline):
    ticket = service.ask(asker="U0ASKER", kind=Kind.QUESTION, area="nn", text="Why does LayerNorm differ?", now=T)
    service.sweep_due(at(4))  # the reminder at half of nn's 8h
    service.sweep_due(at(8))  # no ack within 8h: up to core
    service.acknowledge(ticket.id, by="U0CORE1", now=at(9))
    ran = upline("status", str(ticket.id), "--database-url", database_url, now=at(12))
    assert ran.code == 0 and ran.err == ""
    lines = ran.out.splitlines()
    assert lines[:8] == [
        "#1  question in nn: acknowledged",
        "  rung          core",
        "  asked by      U0ASKER at 2026-11-23T09:00:00Z",
        "  acknowledged  core1 at 2026-11-23T18:00:00Z",
        "  ack due       — (acknowledged)",
        "  resolve due   2026-11-30T09:00:00Z (in 6d12h)",
        "  SLA           ack 8h per rung, resolve 1w from creation, reminders at 50% "
        "(question defaults; area nn: ack 8h)",
        "  text          Why does LayerNorm differ?",
    ]
    assert lines[9:] == [
        "  2026-11-23T09:00:00Z  created       U0ASKER  area:nn",
        "  2026-11-23T13:00:00Z  reminded      upline   area:nn  at 50% of the ack window",
        "  2026-11-23T17:00:00Z  escalated     upline   core     no acknowledgement within 8h (from area:nn)",
        "  2026-11-23T18:00:00Z  acknowledged  core1    core",
    ]


def test_an_open_ticket_shows_its_ack_deadline_relative_to_now(service, database_url, upline):
    service.ask(asker="U0ASKER", kind=Kind.ESCALATION, area="cuda", text="Allocator default?", now=T)
    early = upline("status", "#1", "--database-url", database_url, now=at(1))
    assert "  ack due       2026-11-23T13:00:00Z (in 3h)" in early.out
    late = upline("status", "1", "--database-url", database_url, now=at(6))
    assert "  ack due       2026-11-23T13:00:00Z (overdue by 2h)" in late.out


def test_an_unknown_ticket_exits_1(migrated_engine, database_url, upline):
    ran = upline("status", "5", "--database-url", database_url, now=T)
    assert (ran.code, ran.out, ran.err) == (1, "", "There is no ticket or decision #5.\n")


def test_a_decision_number_shows_the_decision(service, database_url, upline):
    decisions = DecisionService(service.config, service.unit_of_work, service)
    number = decisions.call(by="U0CORE1", area="nn", proposal="Deprecate nn.Container", now=T).decision.number
    ran = upline("status", f"#{number}", "--database-url", database_url, now=at(1))
    assert ran.code == 0 and ran.err == ""
    assert ran.out.startswith(f"## #{number} — Deprecate nn.Container\n")
    assert "- Outcome: no decision yet: the nn maintainers are voting" in ran.out


def test_an_election_number_shows_the_election(service, database_url, upline):
    decisions = DecisionService(service.config, service.unit_of_work, service)
    elections = ElectionService(service.config, service.unit_of_work, decisions, service)
    number = elections.open(by="U0LEAD", now=T).election.number
    elections.stand(number, by="U0CORE1", stands=True, now=at(1))
    ran = upline("status", f"#{number}", "--database-url", database_url, now=at(2))
    assert ran.code == 0 and ran.err == ""
    assert ran.out.splitlines() == [
        f"#{number}  election of the lead (stepped down): standing",
        "  voters        core1, core2",
        "  candidates    core1",
        "  2026-11-23T09:00:00Z  election_opened  lead",
        "  2026-11-23T10:00:00Z  stands           core1",
    ]


def test_an_unmigrated_database_is_refused_with_the_fix(engine, database_url, upline):
    with engine.connect():  # the database exists but has no tables
        pass
    ran = upline("status", "1", "--database-url", database_url, now=T)
    assert (ran.code, ran.out) == (1, "")
    assert ran.err == "error: the database has no Upline tables yet: run `upline db upgrade`\n"


def test_a_missing_sqlite_file_is_refused_and_not_created(tmp_path, upline):
    path = tmp_path / "upline.db"
    ran = upline("status", "1", "--database-url", f"sqlite:///{path}", now=T)
    assert ran.code == 1 and ran.err.count("\n") == 1 and "run `upline db upgrade`" in ran.err
    assert not path.exists()


def test_the_database_url_may_come_from_the_environment(service, database_url, monkeypatch, upline):
    service.ask(asker="U0ASKER", kind=Kind.QUESTION, area=None, text="Who decides?", now=T)
    monkeypatch.setenv("DATABASE_URL", database_url)
    ran = upline("status", "1", now=T)
    assert ran.code == 0 and ran.out.startswith("#1  question: open\n")


@pytest.mark.parametrize("number", ["abc", "0", "-3"])
def test_a_bad_ticket_number_is_a_usage_error(number, upline):
    with pytest.raises(SystemExit) as exited:
        upline("status", number)
    assert exited.value.code == 2


NAMED = """\
project: Acme
lead: lead
core: {maintainers: [core1, core2]}
areas:
  - key: nn
    maintainers: [nn1, nn2]
people:
  lead: {slack: U0LEAD}
  core1: {slack: U0CORE1, name: Cora Core}
  core2: {slack: U0CORE2}
  nn1: {slack: U0NN1, name: Nia Neural}
  nn2: {slack: U0NN2}
"""


def test_people_are_named_as_app_yaml_names_them_and_a_late_deadline_says_so(
        service, database_url, upline, tmp_path):
    config = tmp_path / "app.yaml"
    config.write_text(NAMED)
    ticket = service.ask(asker="U0ASKER", kind=Kind.QUESTION, area="nn", text="Why?", now=T)
    service.sweep_due(at(8) + timedelta(minutes=21))  # down all day: nn's 8h went by unwatched
    service.reassign(ticket.id, by="U0CORE1", now=at(9), to_person="U0NN1")
    ran = upline("status", "1", "--config", str(config), "--database-url", database_url, now=at(10))
    assert ran.code == 0 and ran.err == ""
    assert "  assigned to   Nia Neural" in ran.out
    assert "  asked by      U0ASKER at 2026-11-23T09:00:00Z" in ran.out  # unknown to app.yaml: as it is
    assert ("  2026-11-23T18:00:00Z  reassigned        Cora Core  area:nn  from core; to Nia Neural"
            in ran.out.splitlines())
    assert ("  2026-11-23T17:21:00Z  escalated         upline     core     no acknowledgement within 8h "
            "(from area:nn; due 2026-11-23T17:00:00Z, 21m late: Upline was not running)") in ran.out.splitlines()
    assert "reminder_skipped" in ran.out and "nn1" not in ran.out and "core1" not in ran.out


def test_a_config_that_cannot_be_read_is_one_error(service, database_url, upline, tmp_path):
    ran = upline("status", "1", "--config", str(tmp_path / "missing.yaml"), "--database-url", database_url, now=T)
    assert ran.code == 1 and ran.out == "" and "cannot read the config" in ran.err


def test_on_a_sandbox_database_deadlines_are_relative_to_the_sandbox_clock(service, make_uow, database_url,
                                                                          upline):
    service.ask(asker="U0ASKER", kind=Kind.ESCALATION, area="cuda", text="Allocator default?", now=T)
    with make_uow() as uow:  # the sandbox's page moved its clock 5 hours ahead
        uow.settings.put(OFFSET_SETTING, 5 * 3600, now=T)
        uow.commit()
    ran = upline("status", "1", "--database-url", database_url, now=at(1))
    assert ran.code == 0
    assert "  ack due       2026-11-23T13:00:00Z (overdue by 2h)" in ran.out  # 15:00 by the sandbox's clock
    assert ran.err == "note: the sandbox's clock, 5h ahead of real time, as its page shows\n"
