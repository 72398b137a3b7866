"""The weekly digests against a real database, on a fake clock: one per period, once after downtime
(marked late), once across two sweepers, a switched-off scope skipped, a new scope not sent at once."""

import threading
from datetime import UTC, datetime, timedelta
from textwrap import dedent

from sqlalchemy import select

from bot.config import load_config_text
from bot.domain.ticket import Kind
from bot.services.decisions import DecisionService
from bot.services.digests import DigestService
from bot.services.tickets import TicketService
from storage.engine import make_engine, make_session_factory
from storage.tables import OutboxRow
from storage.unit_of_work import SqlUnitOfWork

# Wednesday 25 November 2026, noon; Monday 09:00 London is 09:00 UTC in winter
NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
MONDAY = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
WEEK = timedelta(weeks=1)
YAML = dedent("""\
    project: Acme
    lead: lead
    core: {maintainers: [core1, core2]}
    sla:
      question: {ack: 1d, resolve: 7d}
    digest: {every: "mon 09:00", tz: Europe/London}
    areas:
      - key: nn
        maintainers: [nn1, nn2]
      - key: jit
        maintainers: [jit1]
        digest: {every: "fri 17:00"}
    people:
      lead: {slack: U0LEAD}
      core1: {slack: U0CORE1}
      core2: {slack: U0CORE2}
      nn1: {slack: U0NN1}
      nn2: {slack: U0NN2}
      jit1: {slack: U0JIT1}
    """)
CONFIG = load_config_text(YAML).config


def build(make_uow, config=CONFIG):
    tickets = TicketService(config, make_uow)
    decisions = DecisionService(config, make_uow, tickets)
    return DigestService(config, make_uow, decisions), tickets


def digests(make_uow):
    with make_uow() as uow:
        rows = uow.session.scalars(select(OutboxRow).where(OutboxRow.kind.startswith("digest.")).order_by(OutboxRow.id))
        return [(row.kind, row.payload) for row in rows]


def scopes_sent(make_uow):
    return [payload["scope"] for _, payload in digests(make_uow)]


def test_a_new_scope_waits_for_its_next_occurrence(make_uow):
    service, _ = build(make_uow)
    assert service.sweep_due(NOW) == datetime(2026, 11, 27, 17, 0, tzinfo=UTC)  # jit's Friday comes first
    assert digests(make_uow) == []
    with make_uow() as uow:
        assert {s.scope: s.next_due_at for s in uow.digests.all()} == {
            "core": MONDAY, "area:nn": MONDAY, "area:jit": datetime(2026, 11, 27, 17, 0, tzinfo=UTC)}


def test_one_digest_per_period_on_a_fake_clock(make_uow):
    service, _ = build(make_uow)
    moment = NOW
    while moment < NOW + 3 * WEEK:
        service.sweep_due(moment)
        moment += timedelta(hours=1)
    sent = scopes_sent(make_uow)
    assert sent.count("core") == 3 and sent.count("area:nn") == 3 and sent.count("area:jit") == 3
    core = [payload for kind, payload in digests(make_uow) if kind == "digest.core"]
    assert [p["until"] for p in core] == [(MONDAY + n * WEEK).isoformat() for n in range(3)]
    assert [p["since"] for p in core] == [(MONDAY + (n - 1) * WEEK).isoformat() for n in range(3)]
    assert not any(p["late"] for p in core)


def test_a_digest_missed_while_down_is_sent_once_marked_late(make_uow):
    service, _ = build(make_uow)
    service.sweep_due(NOW)
    back = MONDAY + 2 * WEEK + timedelta(hours=5)  # down across three Mondays
    assert service.sweep_due(back) == datetime(2026, 12, 18, 17, 0, tzinfo=UTC)  # jit's next Friday
    service.sweep_due(back + timedelta(minutes=1))
    sent = digests(make_uow)
    core = [payload for kind, payload in sent if kind == "digest.core"]
    assert len(core) == 1 and core[0]["late"] is True
    assert core[0]["until"] == (MONDAY + 2 * WEEK).isoformat()  # the week up to the moment it missed
    assert core[0]["due_at"] == MONDAY.isoformat()
    assert scopes_sent(make_uow).count("area:nn") == 1 and scopes_sent(make_uow).count("area:jit") == 1


def test_two_sweepers_send_the_due_digests_once(make_uow, database_url):
    build(make_uow)[0].sweep_due(NOW)
    engines = [make_engine(database_url) for _ in range(2)]
    errors = []
    try:
        sweepers = [build(_units_of(engine))[0] for engine in engines]

        def sweep(sweeper):
            try:
                sweeper.sweep_due(MONDAY + timedelta(seconds=5))
            except Exception as error:  # noqa: BLE001
                errors.append(error)

        threads = [threading.Thread(target=sweep, args=(sweeper,)) for sweeper in sweepers]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        for engine in engines:
            engine.dispose()
    assert errors == []
    assert sorted(scopes_sent(make_uow)) == ["area:jit", "area:nn", "core"]


def test_a_scope_switched_off_is_skipped_and_starts_afresh_when_back(make_uow):
    service, _ = build(make_uow)
    service.sweep_due(NOW)
    without_jit = load_config_text(YAML.replace("  - key: jit", "  - key: jit\n    sunset: true")).config
    service.reload(without_jit)
    service.sweep_due(MONDAY + timedelta(minutes=1))
    assert sorted(scopes_sent(make_uow)) == ["area:nn", "core"]
    service.reload(CONFIG)
    service.sweep_due(MONDAY + timedelta(days=1))  # jit back on Tuesday: its next Friday, not at once
    assert sorted(scopes_sent(make_uow)) == ["area:nn", "core"]
    with make_uow() as uow:
        assert uow.digests.get("area:jit").next_due_at == datetime(2026, 12, 4, 17, 0, tzinfo=UTC)


def test_no_digest_key_means_no_digests(make_uow):
    config = load_config_text(YAML.replace('digest: {every: "mon 09:00", tz: Europe/London}\n', "")
                              .replace('    digest: {every: "fri 17:00"}\n', "")).config
    service, _ = build(make_uow, config)
    assert service.sweep_due(NOW) is None
    service.sweep_due(MONDAY + WEEK)
    assert digests(make_uow) == []


def test_a_changed_schedule_moves_the_next_digest(make_uow):
    service, _ = build(make_uow)
    service.sweep_due(NOW)
    service.reload(load_config_text(YAML.replace('every: "mon 09:00"', 'every: "thu 10:00"')).config)
    service.sweep_due(NOW + timedelta(minutes=1))
    with make_uow() as uow:
        assert uow.digests.get("core").next_due_at == datetime(2026, 11, 26, 10, 0, tzinfo=UTC)


def test_the_digest_carries_the_computed_content(make_uow):
    service, tickets = build(make_uow)
    service.sweep_due(NOW)
    old = tickets.ask(asker="U0ASKER", kind=Kind.QUESTION, area="nn", text="How do I <!channel> hooks?",
                      now=NOW - timedelta(days=1))
    tickets.sweep_due(NOW)  # its ack window ran out: a breach this week
    tickets.acknowledge(old.id, by="U0CORE1", now=NOW + timedelta(hours=1))
    service.sweep_due(MONDAY)
    content = {payload["scope"]: payload for _, payload in digests(make_uow)}
    core, nn = content["core"], content["area:nn"]
    assert [(b["ticket"], b["level"], b["holder"]) for b in core["breached"]["items"]] == [(old.id, "core", "core1")]
    assert [t["ticket"] for t in nn["open"]["items"]] == [old.id]
    assert nn["open"]["items"][0]["text"] == "How do I <!channel> hooks?"  # escaped when drawn, not here
    [nn_row] = [row for row in core["compliance"] if row["area"] == "nn"]
    assert nn_row["this"] == 0.0 and nn_row["last"] is None


def _units_of(engine):
    factory = make_session_factory(engine)
    return lambda **options: SqlUnitOfWork(factory, **options)
