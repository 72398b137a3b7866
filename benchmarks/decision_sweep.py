"""Closing votes at their deadline, against the sweeper's own baseline: escalating tickets at theirs.

    python benchmarks/decision_sweep.py [--count 1000] [--database-url postgresql+psycopg://postgres@127.0.0.1:5432/test]

On a fresh SQLite file (and, with `--database-url`, a fresh PostgreSQL schema, dropped afterwards):
1. `--count` questions opened in nn with `TicketService.ask`, then one `sweep_due` at their ack
   deadline: each ticket escalates (the baseline: the work the sweeper was built for); another
   `--count`/2 are acknowledged first, one transaction each;
2. `--count` nn votes called with `DecisionService.call`, one ballot each, then one `sweep_due` at
   their deadline: each closes (quorum missed: no decision) and opens a core vote;
3. `--count`/2 ballots cast one transaction each, against as many acknowledgements.
Reported: seconds and milliseconds per item for each, and the ratio to the ticket baseline.
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


from benchmarks.scratch_schema import scratch_schema  # noqa: E402
from bot.config import load_config_text  # noqa: E402
from bot.domain.tally import Choice  # noqa: E402
from bot.domain.ticket import Kind  # noqa: E402
from bot.services.decisions import DecisionService  # noqa: E402
from bot.services.tickets import TicketService  # noqa: E402
from storage.engine import make_engine, make_session_factory  # noqa: E402
from storage.migrate import upgrade  # noqa: E402
from storage.unit_of_work import SqlUnitOfWork  # noqa: E402

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
CONFIG = load_config_text(dedent("""\
    project: Bench
    lead: lead
    core: {maintainers: [core1, core2, core3]}
    sla: {question: {ack: 1d, resolve: 7d}, reminders: []}
    decisions: {duration: 1d}
    areas:
      - {key: nn, maintainers: [nn1, nn2, nn3]}
    people:
      lead: {slack: U0LEAD}
      core1: {slack: U0CORE1}
      core2: {slack: U0CORE2}
      core3: {slack: U0CORE3}
      nn1: {slack: U0NN1}
      nn2: {slack: U0NN2}
      nn3: {slack: U0NN3}
    """)).config


def services(url: str):
    engine = make_engine(url)
    upgrade(engine)
    factory = make_session_factory(engine)

    def unit_of_work(**options):
        return SqlUnitOfWork(factory, **options)

    tickets = TicketService(CONFIG, unit_of_work)
    return engine, tickets, DecisionService(CONFIG, unit_of_work, tickets)


def timed(work) -> float:
    started = time.perf_counter()
    work()
    return time.perf_counter() - started


def run(url: str, count: int) -> dict[str, float]:
    engine, tickets, decisions = services(url)
    try:
        ids = [tickets.ask(asker="U0ASKER", kind=Kind.QUESTION, area="nn", text=f"q {i}", now=NOW).id
               for i in range(count + count // 2)]  # the last half acknowledged, the rest swept
        numbers = [decisions.call(by="nn1", area="nn", proposal=f"p {i}", now=NOW).decision.number
                   for i in range(count)]
        results = {
            "acknowledge": timed(lambda: [tickets.acknowledge(i, by="nn1", now=NOW) for i in ids[count:]]),
            "cast": timed(lambda: [decisions.cast(n, by="nn1", choice=Choice.FOR, now=NOW)
                                   for n in numbers[: count // 2]]),
        }
        due = NOW + timedelta(days=1, minutes=1)
        results["tickets sweep"] = timed(lambda: tickets.sweep_due(due))
        results["decisions sweep"] = timed(lambda: decisions.sweep_due(due))
        return results
    finally:
        engine.dispose()


def report(name: str, results: dict[str, float], count: int) -> None:
    print(f"\n{name}: {count} items")
    print(f"{'step':<18}{'seconds':>10}{'ms/item':>10}{'ratio':>8}")
    baselines = {"cast": "acknowledge", "decisions sweep": "tickets sweep"}
    for step, seconds in results.items():
        per = count // 2 if step in ("acknowledge", "cast") else count
        base = baselines.get(step)
        ratio = f"{seconds / results[base]:.2f}" if base else "1.00"
        print(f"{step:<18}{seconds:>10.2f}{seconds / per * 1000:>10.2f}{ratio:>8}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--database-url")
    args = parser.parse_args()
    with TemporaryDirectory() as folder:
        report("SQLite", run(f"sqlite:///{folder}/bench.db", args.count), args.count)
    if args.database_url:
        with scratch_schema(args.database_url) as url:
            report("PostgreSQL", run(url, args.count), args.count)


if __name__ == "__main__":
    main()
