"""The deadline sweeper at scale, against the approach people reach for first (one APScheduler job each).

    python benchmarks/sweeper.py [--open 100000] [--database-url postgresql+psycopg://postgres@127.0.0.1:5432/test]

Each database runs in a subprocess of its own (so its peak RSS is its own): a fresh SQLite file in a
temp dir, and with `--database-url` also a fresh PostgreSQL schema, dropped afterwards.

1. Seeding, in two steps: `--small` (10,000) open tickets, then up to `--open` (100,000). Each step is
   background tickets (next deadline 1 h to 12 h away) plus `--burst` (1,000) "hot" tickets whose ack
   deadline falls at one moment T, 2-3 s (`--lead`) after they are written. Rows have the real shape:
   each (area, kind) template is opened by `bot.domain.actions.open_ticket` (a hot one then reminded
   twice by `bot.domain.clocks.due`, so the next thing due is its escalation), mapped by
   `storage.mapping.ticket_to_row` and bound by the columns' own SQLAlchemy bind processors; a seeded
   ticket is its template shifted in time (what `open_ticket` gives under this 24/7 SLA); every 997th
   row is rebuilt the slow way and must be identical, and after each step the last such ticket must
   read back through `TicketRepository.get` equal to what `open_ticket` made. Written 5,000 rows per
   transaction: on SQLite with the compiled Core INSERT of the tickets table (executemany), on
   PostgreSQL with COPY of the same bound values. Only the tickets table is seeded (the created events
   and ping outbox rows `ask` also writes are never read by the sweeper).
2. The real sweeper loop: `bot.scheduler.Loop` + `Background`, `SystemClock`, cap 30 s, running
   `TicketService.sweep_due`, with `on_commit=background.wake` as `bot.app` wires it. A unit of work
   that notes the ids `claim_due` returned and the moment its `commit()` returned gives, per hot
   ticket, lag = commit time of its escalation - T (each escalation event is then counted in the db).
3. `--idle-calls` (200) calls of `sweep_due(now)` with nothing due. RSS (/proc VmRSS) is read before
   step 2 and after step 3, and the peak in between (ru_maxrss, reset after seeding): the growth
   must not depend on how many tickets are open.
4. On another fresh database, `--asks` (2,000) calls of `TicketService.ask`, one transaction each.

The baseline, in a subprocess: an APScheduler 3 `BackgroundScheduler`, `SQLAlchemyJobStore` on an
SQLite file, one `date` job per ticket added while it runs (`--baseline-open`, 20,000, jobs 1 h to
12 h away), then `--burst` jobs due together at T, first with APScheduler's defaults (a job more than
1 s late is dropped: counted), then again with `misfire_grace_time=None` for an uncensored lag. Its
job only notes the time (no ticket work, which favours the baseline). Every wait is bounded.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import deque
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from textwrap import dedent

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script from anywhere
    sys.path.insert(0, str(ROOT))

CHUNK = 5_000
CONFIG_TEXT = dedent("""\
    project: Bench
    lead: lead
    core: {maintainers: [core1, core2, core3]}
    sla:
      question:   {ack: 1d, resolve: 7d}
      escalation: {ack: 4h, resolve: 2d}
      reminders: [0.5, 0.9]
    areas:
      - {key: nn, maintainers: [nn1, nn2]}
      - {key: cuda, maintainers: [cuda1, cuda2]}
      - {key: build, maintainers: [build1]}
      - {key: dist, maintainers: [dist1, dist2]}
      - {key: fsdp, maintainers: [fsdp1], parent: dist}
      - {key: docs, maintainers: [docs1]}
    people:
      lead: {slack: U0LEAD}
      core1: {slack: U0CORE1}
      core2: {slack: U0CORE2}
      core3: {slack: U0CORE3}
      nn1: {slack: U0NN1}
      nn2: {slack: U0NN2}
      cuda1: {slack: U0CUDA1}
      cuda2: {slack: U0CUDA2}
      build1: {slack: U0BUILD1}
      dist1: {slack: U0DIST1}
      dist2: {slack: U0DIST2}
      fsdp1: {slack: U0FSDP1}
      docs1: {slack: U0DOCS1}
    """)


# -- measuring ------------------------------------------------------------------------------------


def rss_mb() -> float:
    """Resident set size now (Linux /proc), in MB."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KB on Linux


def reset_peak_rss() -> float:
    """The peak RSS so far; then start counting the peak afresh (Linux >= 4.0: clear_refs 5), if allowed."""
    peak = peak_rss_mb()
    try:
        with open("/proc/self/clear_refs", "w") as clear_refs:
            clear_refs.write("5")
    except OSError:
        pass  # the peak stays cumulative; the reader sees it in "peak while sweeping" being the same
    return peak


def quantile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def wait_until(condition, deadline: float, step: float = 0.005) -> bool:
    """Poll `condition` until it holds or the monotonic `deadline` passes (bounded)."""
    while not condition():
        if time.monotonic() >= deadline:
            return False
        time.sleep(step)
    return True


# -- ours: seeding through the domain and the mapping ---------------------------------------------


class _Row:
    """A plain object for `ticket_to_row` to fill: the real mapping, without ORM instrumentation."""


class Seeder:
    """Ticket rows in bulk, in exactly the shape `ask` and the sweeper write them.

    Each (area, kind) template is opened once by `open_ticket` at REFERENCE (and, for a hot ticket,
    reminded by `clocks.due`), mapped by `ticket_to_row` and bound by the columns' own SQLAlchemy bind
    processors. A seeded ticket is its template moved in time: every timestamp shifted by the same
    amount, which is what `open_ticket` gives under this 24/7 SLA. Every CHECK_EVERY-th row is
    rebuilt the slow way (open_ticket -> ticket_to_row -> the processors) and must be identical.
    """

    REFERENCE = datetime(2026, 1, 5, 12, tzinfo=UTC)
    CHECK_EVERY = 997

    def __init__(self, config, engine, rng: random.Random):
        from sqlalchemy import insert

        from bot.config.ladders import ladder_for
        from bot.config.sla import resolve_policy
        from bot.domain.ticket import Kind
        from storage.tables import TicketRow, UtcDateTime

        self.config, self.engine, self.rng = config, engine, rng
        self.pingable = frozenset(key for key, person in config.people.items() if person.slack)
        # (area, kind, ladder, policy): 90% questions, 10% escalations, areas in turn
        self.templates = [
            (area.key, kind, ladder_for(config, area.key), resolve_policy(config, area.key, kind))
            for area in config.areas for kind in [Kind.QUESTION] * 9 + [Kind.ESCALATION]
        ]
        table, dialect = TicketRow.__table__, engine.dialect
        keys = list(self._values(self._open(0, self.REFERENCE)[0]))
        compiled = insert(table).compile(dialect=dialect, column_keys=keys)
        self.sql = str(compiled)
        self.order = list(compiled.positiontup) if compiled.positional else keys
        self.processors = {key: table.c[key].type._cached_bind_processor(dialect) for key in self.order}
        self.times = {key for key in self.order if isinstance(table.c[key].type, UtcDateTime)}
        self.sqlite = dialect.name == "sqlite"
        self.asker_at, self.text_at = self.order.index("asker"), self.order.index("text")
        self.background_bases = [self._base(self._open(i, self.REFERENCE)[0]) for i in range(len(self.templates))]
        self.hot_bases = [self._base(self._hot_ticket(i, self.REFERENCE)) for i in range(len(self.templates))]
        self.seeded = 0
        self._check_next, self._checked = True, None

    # the slow, real path -------------------------------------------------------------------------

    def _open(self, index: int, created: datetime):
        from bot.domain import actions

        area, kind, ladder, policy = self.templates[index % len(self.templates)]
        outcome = actions.open_ticket(kind=kind, area=area, asker=self._asker(index), text=self._text(index),
                                      ladder=ladder, policy=policy, now=created, pingable=self.pingable)
        return outcome.ticket, ladder

    def _hot_ticket(self, index: int, due: datetime):
        """Opened one ack window before `due` and reminded at every reminder point: escalates at `due`."""
        from bot.domain import clocks

        policy = self.templates[index % len(self.templates)][3]
        ticket, ladder = self._open(index, due - policy.ack)
        last_reminder = clocks.reminder_at(ticket, len(policy.reminders) - 1)
        ticket = clocks.due(ticket, ladder, last_reminder, self.pingable).ticket
        assert ticket.next_due_at == due and ticket.reminders_sent == len(policy.reminders)
        return ticket

    @staticmethod
    def _values(ticket) -> dict:
        from storage.mapping import ticket_to_row

        return vars(ticket_to_row(ticket, _Row()))

    def _bind(self, values: dict) -> tuple:
        """The values as SQLAlchemy would send them to the driver, in the statement's column order."""
        return tuple(values[key] if self.processors[key] is None else self.processors[key](values[key])
                     for key in self.order)

    @staticmethod
    def _asker(index: int) -> str:
        return f"U0ASKER{index % 5000}"

    @staticmethod
    def _text(index: int) -> str:
        return f"Question {index}: how do I register a forward hook on a ModuleList?"

    # the fast path -------------------------------------------------------------------------------

    def _base(self, ticket) -> tuple[list, list[tuple[int, datetime]]]:
        """A template's bound values in statement order, and where its timestamps go (shifted per ticket)."""
        values = self._values(ticket)
        bound = list(self._bind(values))
        # SQLite's DATETIME stores naive UTC text; psycopg takes the aware datetime as it is
        times = [(position, values[key].replace(tzinfo=None) if self.sqlite else values[key])
                 for position, key in enumerate(self.order) if key in self.times and values[key] is not None]
        return bound, times

    def _row(self, base, index: int, shift: timedelta) -> tuple:
        bound, times = base
        row = list(bound)
        row[self.asker_at], row[self.text_at] = self._asker(index), self._text(index)
        for position, moment in times:
            row[position] = (moment + shift).isoformat(" ", "microseconds") if self.sqlite else moment + shift
        return tuple(row)

    def background(self, index: int, now: datetime) -> tuple:
        """Opened a while ago; its first reminder is 1 h to 12 h away (never due during the run)."""
        policy = self.templates[index % len(self.templates)][3]
        created = now - (policy.ack * policy.reminders[0] - timedelta(hours=1)) * self.rng.random()
        row = self._row(self.background_bases[index % len(self.templates)], index, created - self.REFERENCE)
        if self._check_next or index % self.CHECK_EVERY == 0:
            self._check(row, self._open(index, created)[0], index)
        return row

    def hot(self, index: int, due: datetime) -> tuple:
        row = self._row(self.hot_bases[index % len(self.templates)], index, due - self.REFERENCE)
        if self._check_next or index % self.CHECK_EVERY == 0:
            self._check(row, self._hot_ticket(index, due), index)
        return row

    def _check(self, row: tuple, ticket, index: int) -> None:
        slow = self._bind(self._values(ticket))
        comparable = lambda bound: [getattr(value, "obj", value) for value in bound]  # noqa: E731  (psycopg's Json)
        if comparable(row) != comparable(slow):
            raise AssertionError(f"the bulk row differs from open_ticket + ticket_to_row:\n{row}\n{slow}")
        self._checked, self._check_next = (index, ticket), False

    def _check_read_back(self) -> None:
        """The last checked ticket, read back by the repository, is the ticket open_ticket made."""
        from sqlalchemy import select
        from sqlalchemy.orm import Session

        from storage.repositories import TicketRepository
        from storage.tables import TicketRow

        index, ticket = self._checked
        with Session(self.engine) as session:
            ticket_id = session.scalar(select(TicketRow.id).where(TicketRow.text == self._text(index)))
            stored = TicketRepository(session).get(ticket_id)
        if stored != replace(ticket, id=ticket_id):
            raise AssertionError(f"ticket #{ticket_id} reads back differently:\n{stored}\n{ticket}")

    def seed(self, count: int, make) -> float:
        """Insert `count` rows made by `make(index)`, CHUNK per transaction; returns seconds.

        Writer threads run the executemany of earlier chunks while this thread builds the next (the
        driver waits on the database without the GIL): one on SQLite, which has one writer at a time;
        two on PostgreSQL, whose server does most of the work and can do two inserts at once.
        """
        started = time.perf_counter()
        self._check_next = True  # the first row of every step, then every CHECK_EVERY-th
        writers = 1 if self.sqlite else 2
        with ThreadPoolExecutor(max_workers=writers) as pool:
            writing: deque = deque()
            for done in range(0, count, CHUNK):
                size = min(CHUNK, count - done)
                rows = [make(self.seeded + i) for i in range(size)]
                self.seeded += size
                if len(writing) >= writers:
                    writing.popleft().result()
                writing.append(pool.submit(self._insert, rows))
            while writing:
                writing.popleft().result()
        seconds = time.perf_counter() - started
        self._check_read_back()
        return seconds

    def _insert(self, rows: list[tuple]) -> None:
        with self.engine.begin() as connection:
            if self.sqlite:
                connection.exec_driver_sql(self.sql, rows)  # the compiled Core INSERT, executemany
                return
            # PostgreSQL: COPY, PostgreSQL's bulk path, with the same bound values (psycopg adapts them
            # as it would the INSERT's parameters); a server-bound executemany ran at ~60-70% of its rate.
            cursor = connection.connection.driver_connection.cursor()
            with cursor.copy(f"COPY tickets ({', '.join(self.order)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)


class Fired:
    """When each ticket's sweep committed: fed by `TimedUnitOfWork`."""

    def __init__(self):
        self.at: dict[int, float] = {}
        self.claims: list[float] = []  # when each claim that returned tickets started
        self.lock = threading.Lock()


def timed_unit_of_work(session_factory, fired: Fired):
    from storage.unit_of_work import SqlUnitOfWork

    class TimedUnitOfWork(SqlUnitOfWork):
        """The real unit of work; notes which tickets `claim_due` handed out and when they committed."""

        def __enter__(self):
            super().__enter__()
            self._claimed: list[int] = []
            claim_due = self.tickets.claim_due

            def claim_and_note(now, limit):
                started = time.time()
                due = claim_due(now, limit)
                self._claimed.extend(ticket.id for ticket in due)
                if due:
                    with fired.lock:
                        fired.claims.append(started)
                return due

            self.tickets.claim_due = claim_and_note
            return self

        def commit(self):
            super().commit()
            committed = time.time()
            with fired.lock:
                for ticket_id in self._claimed:
                    fired.at.setdefault(ticket_id, committed)

    return lambda **options: TimedUnitOfWork(session_factory, **options)


def fire_burst(service_of, seeder: Seeder, burst: int, lead: float, fired: Fired):
    """Seed `burst` tickets due at T = now + lead, run the real loop until all committed.

    Returns (lags, seconds spent seeding, the hot ticket ids, when the first claim started after T and
    how many claims returned tickets)."""
    from bot.clock import SystemClock
    from bot.scheduler import Background, Loop

    due = datetime.fromtimestamp(time.time() + lead, UTC).replace(microsecond=0) + timedelta(seconds=1)
    seed_seconds = seeder.seed(burst, lambda index: seeder.hot(index, due))
    hot_ids = tickets_due_at(seeder.engine, due)
    assert len(hot_ids) == burst, (len(hot_ids), burst)
    background = Background([])  # wired as bot.app wires it: each commit wakes the loops
    service = service_of(background.wake)
    background.add(Loop("sweeper", service.sweep_due, SystemClock(), cap=timedelta(seconds=30)))
    background.start()
    try:
        wait_until(lambda: hot_ids <= fired.at.keys(), time.monotonic() + lead + 1 + 60)
    finally:
        background.stop()
    due_ts = due.timestamp()
    lags = [fired.at[ticket_id] - due_ts for ticket_id in hot_ids if ticket_id in fired.at]
    if len(lags) < burst:
        raise SystemExit(f"only {len(lags)} of {burst} hot tickets were swept within the time limit")
    claims = [started - due_ts for started in fired.claims if started >= due_ts - 0.5]
    return lags, seed_seconds, hot_ids, {"woke": min(claims), "claims": len(claims)}


def tickets_due_at(engine, moment: datetime) -> set[int]:
    from sqlalchemy import select

    from storage.tables import TicketRow

    with engine.connect() as connection:
        return set(connection.scalars(select(TicketRow.id).where(TicketRow.next_due_at == moment)))


def idle_sweeps(service, calls: int) -> list[float]:
    timings = []
    for _ in range(calls):
        now = datetime.now(UTC)
        started = time.perf_counter()
        next_due = service.sweep_due(now)
        timings.append(time.perf_counter() - started)
        assert next_due is not None and next_due > now
    return timings


def escalated_count(session_factory, ids: set[int]) -> int:
    from sqlalchemy import func, select

    from storage.tables import EventRow

    with session_factory() as session:
        return session.scalar(select(func.count()).select_from(EventRow).where(
            EventRow.kind == "escalated", EventRow.ticket_id.in_(sorted(ids))))


def run_ours(args) -> dict:
    from bot.config import load_config_text
    from bot.domain.ticket import Kind
    from bot.services.tickets import TicketService
    from storage.engine import make_engine, make_session_factory
    from storage.migrate import upgrade
    from storage.unit_of_work import SqlUnitOfWork

    config = load_config_text(CONFIG_TEXT).config
    engine = make_engine(args.url)
    upgrade(engine)
    session_factory = make_session_factory(engine)
    fired = Fired()
    uow = timed_unit_of_work(session_factory, fired)
    seeder = Seeder(config, engine, random.Random(42))
    result: dict = {"database": engine.dialect.name, "phases": []}

    def service_of(on_commit=None):
        return TicketService(config, uow, **({} if on_commit is None else {"on_commit": on_commit}))

    def idle_service():  # the plain unit of work: nothing of the timing wrapper in what is timed
        return TicketService(config, lambda **options: SqlUnitOfWork(session_factory, **options))

    # Warm-up (imports, compiled statement caches, the scheduler's thread pool) on a few tickets.
    fire_burst(service_of, seeder, 20, 0.5, fired)
    idle_sweeps(idle_service(), 20)

    seed_seconds, peaks = 0.0, []
    for target in sorted({min(args.small, args.open), args.open}):
        background_count = target - args.burst - seeder.seeded
        now = datetime.now(UTC)
        seed_seconds += seeder.seed(background_count, lambda index, now=now: seeder.background(index, now))
        peaks.append(reset_peak_rss())  # seeding's peak; what follows is the sweeping's own
        rss_before = rss_mb()
        lags, hot_seconds, hot_ids, sweep = fire_burst(service_of, seeder, args.burst, args.lead, fired)
        seed_seconds += hot_seconds
        idle = idle_sweeps(idle_service(), args.idle_calls)
        escalated = escalated_count(session_factory, hot_ids)
        result["phases"].append({
            "open": seeder.seeded, "rss_before": rss_before, "rss_after": rss_mb(), "sweep_peak": peak_rss_mb(),
            "lag_p50": quantile(lags, 0.5), "lag_p99": quantile(lags, 0.99), "lag_max": max(lags),
            "idle_p50_ms": 1000 * quantile(idle, 0.5), "idle_p99_ms": 1000 * quantile(idle, 0.99),
            "escalated": escalated, "woke": sweep["woke"], "claims": sweep["claims"],
        })
    result.update(open=seeder.seeded, seed_s=seed_seconds, seed_rate=(seeder.seeded - 20) / seed_seconds)
    engine.dispose()

    # One transaction per /ask, on a database of its own so that the counts above stay exact.
    ask_engine = make_engine(args.ask_url)
    upgrade(ask_engine)
    ask_sessions = make_session_factory(ask_engine)
    asker = TicketService(config, lambda **options: SqlUnitOfWork(ask_sessions, **options))
    areas = [area.key for area in config.areas]
    started = time.perf_counter()
    for index in range(args.asks):
        asker.ask(asker=f"U0ASKER{index}", kind=Kind.QUESTION, area=areas[index % len(areas)],
                  text=f"Question {index}", now=datetime.now(UTC))
    ask_seconds = time.perf_counter() - started
    ask_engine.dispose()
    result.update(asks=args.asks, ask_s=ask_seconds, ask_rate=args.asks / ask_seconds,
                  peak_rss=max(*peaks, peak_rss_mb()))
    return result


# -- the baseline: one APScheduler date job per ticket --------------------------------------------

_baseline_fired: dict[int, float] = {}


def baseline_job(ticket: int) -> None:
    _baseline_fired[ticket] = time.time()


def run_baseline(args) -> dict:
    from apscheduler.events import EVENT_JOB_MISSED
    from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
    from apscheduler.schedulers.background import BackgroundScheduler

    missed: set[int] = set()
    rng = random.Random(42)
    scheduler = BackgroundScheduler(jobstores={"default": SQLAlchemyJobStore(url=args.url)}, timezone=UTC)
    scheduler.add_listener(lambda event: missed.add(int(event.job_id[1:])), EVENT_JOB_MISSED)
    scheduler.start()

    def add(ticket: int, run_date: datetime, **options) -> None:
        scheduler.add_job(baseline_job, "date", run_date=run_date, args=[ticket], id=f"t{ticket}", **options)

    def burst(first: int, rate: float, **options) -> dict:
        """`args.burst` jobs due together at T, which leaves room to add them at `rate`, plus the lead."""
        due_ts = time.time() + 1.5 * args.burst / rate + args.lead
        due = datetime.fromtimestamp(due_ts, UTC)
        started = time.perf_counter()
        tickets = range(first, first + args.burst)
        for ticket in tickets:
            add(ticket, due, **options)
        seconds = time.perf_counter() - started
        late_adding = time.time() > due_ts
        wait_until(lambda: all(ticket in _baseline_fired or ticket in missed for ticket in tickets),
                   time.monotonic() + max(0.0, due_ts - time.time()) + 60, step=0.02)
        lags = [_baseline_fired[ticket] - due_ts for ticket in tickets if ticket in _baseline_fired]
        return {"seconds": seconds, "late_adding": late_adding, "fired": len(lags),
                "missed": sum(ticket in missed for ticket in tickets),
                "lag_p50": quantile(lags, 0.5) if lags else None, "lag_p99": quantile(lags, 0.99) if lags else None}

    try:
        background = args.baseline_open - args.burst
        now = datetime.now(UTC)
        started = time.perf_counter()
        for ticket in range(background):
            add(ticket, now + timedelta(hours=1) + timedelta(hours=11) * rng.random())
        background_seconds = time.perf_counter() - started
        rate = background / background_seconds
        defaults = burst(background, rate)  # APScheduler's defaults: misfire_grace_time 1 s
        # The same again with misfire_grace_time=None, so that no job is dropped and the lag is uncensored.
        no_grace = burst(args.baseline_open, rate, misfire_grace_time=None)
    finally:
        scheduler.shutdown(wait=False)
    seed_seconds = background_seconds + defaults["seconds"]
    return {"open": args.baseline_open, "seed_s": seed_seconds, "seed_rate": args.baseline_open / seed_seconds,
            "defaults": defaults, "no_grace": no_grace, "peak_rss": peak_rss_mb()}


# -- orchestration --------------------------------------------------------------------------------


def worker(kind: str, url: str, args, extra: list[str]) -> dict:
    command = [sys.executable, __file__, "--worker", kind, "--url", url, "--open", str(args.open),
               "--small", str(args.small), "--burst", str(args.burst), "--lead", str(args.lead),
               "--idle-calls", str(args.idle_calls), "--asks", str(args.asks),
               "--baseline-open", str(args.baseline_open), *extra]
    completed = subprocess.run(command, capture_output=True, text=True, timeout=900)
    if completed.returncode != 0:
        sys.stderr.write(completed.stderr)
        raise SystemExit(f"the {kind} worker failed on {url.split('?')[0]}")
    return json.loads(completed.stdout.strip().splitlines()[-1])


class PostgresSchemas:
    """Fresh schemas on the server, each dropped at the end (as tests/storage/conftest.py does)."""

    def __init__(self, base: str):
        from sqlalchemy.pool import NullPool

        from storage.engine import make_engine, normalize_url

        self.base = normalize_url(base)
        self.admin = make_engine(base, isolation_level="AUTOCOMMIT", poolclass=NullPool)
        self.schemas: list[str] = []

    def new(self) -> str:
        from sqlalchemy import text

        schema = f"bench_{uuid.uuid4().hex[:12]}"
        with self.admin.connect() as connection:
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
        self.schemas.append(schema)
        url = self.base.update_query_dict({"options": f"-c search_path={schema}"})
        return url.render_as_string(hide_password=False)

    def drop_all(self) -> None:
        from sqlalchemy import text

        with self.admin.connect() as connection:
            connection.execute(text("SET lock_timeout = '10s'"))
            for schema in self.schemas:
                connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        self.admin.dispose()


def fmt(value, pattern: str = "{:,.0f}") -> str:
    return "—" if value is None else pattern.format(value)


def report(args, ours: list[dict], baseline: dict) -> None:
    names = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
    print(f"\n## Deadline sweeper: {args.open:,} open tickets (baseline: {args.baseline_open:,} jobs), "
          f"{args.burst:,} due together\n")
    print("| approach / database | open tickets | seed s | seed/s | idle sweep p50 / p99 ms | "
          "lag p50 / p99 s | peak RSS MB |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for result in ours:
        name, big = names[result["database"]], result["phases"][-1]
        method = "Core INSERT executemany" if result["database"] == "sqlite" else "COPY"
        print(f"| sweeper; bulk seed: open_ticket + ticket_to_row rows, {method} / {name} | "
              f"{result['open']:,} | {result['seed_s']:.2f} | {result['seed_rate']:,.0f} | "
              f"{big['idle_p50_ms']:.2f} / {big['idle_p99_ms']:.2f} | {big['lag_p50']:.3f} / {big['lag_p99']:.3f} | "
              f"{result['peak_rss']:.0f} |")
        print(f"| TicketService.ask, one transaction each / {name} | {result['asks']:,} (new db) | "
              f"{result['ask_s']:.2f} | {result['ask_rate']:,.0f} | — | — | (same process) |")
    for label, burst in (("defaults (misfire_grace_time 1 s)", baseline["defaults"]),
                         ("misfire_grace_time=None", baseline["no_grace"])):
        seed = (f"{baseline['seed_s']:.2f} | {baseline['seed_rate']:,.0f}" if burst is baseline["defaults"]
                else "(same) | (same)")
        print(f"| baseline: APScheduler `date` job per ticket, SQLAlchemyJobStore, {label} / SQLite | "
              f"{baseline['open']:,} | {seed} | — | "
              f"{fmt(burst['lag_p50'], '{:.3f}')} / {fmt(burst['lag_p99'], '{:.3f}')} | {baseline['peak_rss']:.0f} |")
    for label, burst in (("defaults", baseline["defaults"]), ("misfire_grace_time=None", baseline["no_grace"])):
        print(f"\nBaseline, {label}: {burst['fired']:,} of {args.burst:,} burst jobs fired, {burst['missed']:,} "
              f"dropped as misfired (lag percentiles are of the fired ones)"
              f"{'; T passed while the burst was still being added' if burst['late_adding'] else ''}.")

    print("\n### Memory while sweeping (RSS before the burst; after the burst and the idle sweeps; the peak "
          "in between, seeding excluded)\n")
    print("| database | open tickets | RSS before MB | RSS after MB | growth MB | peak while sweeping MB | "
          "lag p50 / p99 s | first claim after T s | batches | idle p50 / p99 ms | escalations committed |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for result in ours:
        for phase in result["phases"]:
            print(f"| {names[result['database']]} | {phase['open']:,} | {phase['rss_before']:.1f} | "
                  f"{phase['rss_after']:.1f} | {phase['rss_after'] - phase['rss_before']:+.1f} | "
                  f"{phase['sweep_peak']:.1f} | "
                  f"{phase['lag_p50']:.3f} / {phase['lag_p99']:.3f} | {phase['woke']:.3f} | {phase['claims']} | "
                  f"{phase['idle_p50_ms']:.2f} / {phase['idle_p99_ms']:.2f} | {phase['escalated']:,} |")

    print("\n### Ratios and targets\n")
    for result in ours:
        name, big = names[result["database"]], result["phases"][-1]
        growth = [phase["rss_after"] - phase["rss_before"] for phase in result["phases"]]
        uncensored = baseline["no_grace"]["lag_p99"]
        lag_ratio = fmt(uncensored / big["lag_p99"] if uncensored else None, "{:.2f}×")
        checks = {
            "seed ≥ 20,000 tickets/s": result["seed_rate"] >= 20_000,
            "idle sweep p99 ≤ 5 ms": big["idle_p99_ms"] <= 5,
            "lag p99 ≤ 0.25 s": big["lag_p99"] <= 0.25,
            f"RSS growth at {big['open']:,} open ≤ growth at {result['phases'][0]['open']:,} open + 5 MB":
                growth[-1] <= max(growth[0], 0) + 5,
            f"all {args.burst:,} escalations committed": all(p["escalated"] == args.burst for p in result["phases"]),
        }
        print(f"- {name}: lag p99 baseline (misfire_grace_time=None) / ours = {lag_ratio}; "
              f"seed rate ours/baseline = {result['seed_rate'] / baseline['seed_rate']:.1f}× bulk, "
              f"{result['ask_rate'] / baseline['seed_rate']:.2f}× per-ask")
        for label, met in checks.items():
            print(f"  - {'met' if met else 'NOT met'}: {label}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--open", type=int, default=100_000, help="open tickets at the end (default 100,000)")
    parser.add_argument("--small", type=int, default=10_000, help="the first, smaller step (default 10,000)")
    parser.add_argument("--baseline-open", type=int, default=20_000, help="APScheduler jobs (default 20,000)")
    parser.add_argument("--burst", type=int, default=1_000, help="deadlines due together (default 1,000)")
    parser.add_argument("--lead", type=float, default=2.0, help="seconds from seeding the burst to T")
    parser.add_argument("--idle-calls", type=int, default=200)
    parser.add_argument("--asks", type=int, default=2_000, help="TicketService.ask calls timed (default 2,000)")
    parser.add_argument("--database-url", help="PostgreSQL too, in a fresh schema dropped afterwards")
    parser.add_argument("--worker", choices=["ours", "baseline"], help=argparse.SUPPRESS)
    parser.add_argument("--url", help=argparse.SUPPRESS)
    parser.add_argument("--ask-url", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.burst > min(args.small, args.open, args.baseline_open):
        parser.error("--burst must not exceed --small, --open or --baseline-open")

    if args.worker == "ours":
        print(json.dumps(run_ours(args)))
        return
    if args.worker == "baseline":
        print(json.dumps(run_baseline(args)))
        return

    started, load_before = time.perf_counter(), os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="upline-bench-") as tmp:
        results = []
        print(f"SQLite: seeding {args.open:,} tickets and sweeping...", file=sys.stderr)
        results.append(worker("ours", f"sqlite:///{tmp}/tickets.db", args,
                              ["--ask-url", f"sqlite:///{tmp}/asks.db"]))
        if args.database_url:
            print("PostgreSQL: the same...", file=sys.stderr)
            schemas = PostgresSchemas(args.database_url)
            try:
                results.append(worker("ours", schemas.new(), args, ["--ask-url", schemas.new()]))
            finally:
                schemas.drop_all()
        print(f"Baseline: adding {args.baseline_open:,} APScheduler jobs...", file=sys.stderr)
        baseline = worker("baseline", f"sqlite:///{tmp}/jobs.db", args, [])
    report(args, results, baseline)
    print(f"\n(total run time {time.perf_counter() - started:.0f} s on {os.cpu_count()} CPUs; 1-minute load average "
          f"{load_before:.1f} at the start, {os.getloadavg()[0]:.1f} at the end: other work on the machine "
          "moves these numbers)")


if __name__ == "__main__":
    main()
