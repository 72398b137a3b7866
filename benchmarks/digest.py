"""Sending Monday's digests and drawing the core's triage agenda, against `upline report`'s own reads.

    python benchmarks/digest.py [--count 5000] [--database-url postgresql+psycopg://postgres@127.0.0.1:5432/test]

On a fresh SQLite file (and, with `--database-url`, a fresh PostgreSQL schema, dropped afterwards), a
history of `--count` questions opened over four weeks in three areas (in batches, as `/ask`s that
arrive together are written), a third acknowledged, the rest swept past their deadlines so they climb
and breach; then, at Monday 09:00:
1. the baseline: what `upline report --since 7d` does — read the week's tickets and events and
   compute `metrics.report`;
2. `DigestService.sweep_due`: the core's digest and each area's, computed and written to the outbox
   (one sweep, every scope due);
3. `read_agenda`: App Home's triage agenda for a core maintainer, against the
   baseline of `TicketService.overview` (what App Home read before it).
Reported: seconds for each, best of `--repeat`, and the ratio to its baseline.
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from tempfile import TemporaryDirectory
from textwrap import dedent

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from sqlalchemy import text  # noqa: E402

from benchmarks.scratch_schema import scratch_schema  # noqa: E402
from bot.config import load_config_text  # noqa: E402
from bot.domain.ticket import Kind  # noqa: E402
from bot.reporting.metrics import report  # noqa: E402
from bot.services.agenda import read_agenda  # noqa: E402
from bot.services.decisions import DecisionService  # noqa: E402
from bot.services.digests import DigestService  # noqa: E402
from bot.services.tickets import NewTicket, TicketService  # noqa: E402
from storage.engine import make_engine, make_session_factory  # noqa: E402
from storage.migrate import upgrade  # noqa: E402
from storage.unit_of_work import SqlUnitOfWork  # noqa: E402

MONDAY = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)  # 09:00 in London in winter
AREAS = ("nn", "jit", "optim")
CONFIG = load_config_text(dedent("""\
    project: Bench
    lead: lead
    core: {maintainers: [core1, core2, core3], channel: C0CORE}
    sla: {question: {ack: 1d, resolve: 7d}, reminders: []}
    digest: {every: "mon 09:00", tz: Europe/London}
    areas:
      - {key: nn, maintainers: [nn1, nn2], channel: C0NN}
      - {key: jit, maintainers: [jit1], channel: C0JIT}
      - {key: optim, maintainers: [optim1], channel: C0OPTIM}
    people:
      lead: {slack: U0LEAD}
      core1: {slack: U0CORE1}
      core2: {slack: U0CORE2}
      core3: {slack: U0CORE3}
      nn1: {slack: U0NN1}
      nn2: {slack: U0NN2}
      jit1: {slack: U0JIT1}
      optim1: {slack: U0OPTIM1}
    """)).config
MAINTAINER = {"nn": "nn1", "jit": "jit1", "optim": "optim1"}


def seeded(url: str, count: int):
    engine = make_engine(url)
    upgrade(engine)
    factory = make_session_factory(engine)

    def unit_of_work(**options):
        return SqlUnitOfWork(factory, **options)

    tickets = TicketService(CONFIG, unit_of_work)
    decisions = DecisionService(CONFIG, unit_of_work, tickets)
    start, days, batch = MONDAY - timedelta(weeks=4), 28, 100
    per_day = max(1, count // days)
    opened = 0
    for day in range(days):
        at = start + timedelta(days=day, hours=10)
        for first in range(0, per_day, batch):
            size = min(batch, per_day - first)
            asks = [NewTicket("U0ASKER", Kind.QUESTION, AREAS[(opened + i) % 3], f"question {opened + i}")
                    for i in range(size)]
            outcomes = tickets.open_many(asks, at)
            for index, outcome in enumerate(outcomes):
                if (opened + index) % 3 == 0:
                    ticket = outcome.ticket
                    tickets.acknowledge(ticket.id, by=MAINTAINER[ticket.area], now=at + timedelta(hours=2))
            opened += size
        tickets.sweep_due(at + timedelta(days=1, hours=1))  # yesterday's unacknowledged climb, and breach
    tickets.sweep_due(MONDAY)
    digests = DigestService(CONFIG, unit_of_work, decisions)
    digests.sweep_due(MONDAY - timedelta(days=1))  # schedules this Monday's digests, as the last sweep did
    return engine, unit_of_work, tickets, digests, opened


def best(work, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return min(times)


def run(url: str, count: int, repeat: int) -> tuple[dict[str, float], int]:
    engine, unit_of_work, tickets, digests, opened = seeded(url, count)
    try:
        def weekly_report():
            with unit_of_work(read_only=True) as uow:
                since = MONDAY - timedelta(days=7)
                report(uow.tickets.opened_since(since), uow.events.for_tickets_opened_since(since),
                       since=since, now=MONDAY)

        def send_digests():
            with unit_of_work() as uow:  # due again each time: the benchmark sends Monday's digests anew
                uow.digests.ensure({scope: (key, MONDAY) for scope, key in schedule_keys(digests)})
                uow.session.execute(text("UPDATE digests SET next_due_at = :at"), {"at": MONDAY})
                uow.commit()
            digests.sweep_due(MONDAY + timedelta(seconds=5))

        results = {
            "report --since 7d": best(weekly_report, repeat),
            "digests sweep": best(send_digests, repeat),
            "App Home overview": best(lambda: tickets.overview("U0CORE1", MONDAY), repeat),
            "triage agenda": best(lambda: read_agenda(unit_of_work, MONDAY), repeat),
        }
        return results, opened
    finally:
        engine.dispose()


def schedule_keys(digests: DigestService):
    from bot.domain import digest_schedule as schedules
    from bot.services.digests import scopes

    return [(scope, schedules.key(schedule)) for scope, schedule in scopes(digests.config).items()]


def show(name: str, results: dict[str, float], opened: int) -> None:
    print(f"\n{name}: {opened} tickets over four weeks")
    print(f"{'step':<20}{'seconds':>10}{'ratio':>8}")
    baselines = {"digests sweep": "report --since 7d", "triage agenda": "App Home overview"}
    for step, seconds in results.items():
        base = baselines.get(step)
        ratio = f"{seconds / results[base]:.2f}" if base else "1.00"
        print(f"{step:<20}{seconds:>10.3f}{ratio:>8}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--database-url")
    args = parser.parse_args()
    with TemporaryDirectory() as folder:
        show("SQLite", *run(f"sqlite:///{folder}/bench.db", args.count, args.repeat))
    if args.database_url:
        with scratch_schema(args.database_url) as url:
            show("PostgreSQL", *run(url, args.count, args.repeat))


if __name__ == "__main__":
    main()
