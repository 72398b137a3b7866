"""Time to HTTP 200 for signed `/ask nn <question>`: Upline (ticket committed before the answer) vs a bare Bolt app.

    python benchmarks/http_ack.py [--clients 1,10,50] [--requests N] [--rounds N] [--database-url URL]

Processes, all on 127.0.0.1:
- this one: migrates a fresh database (a SQLite file in a temp dir, or with `--database-url` a fresh
  PostgreSQL schema, dropped afterwards), runs the Slack Web API stand-in (`SlackApiServer`, its
  workspace filled from app.yaml) so Upline's outbox deliveries succeed, and checks the results;
- the bare app (benchmarks/http_bare_app.py): Bolt AsyncApp + Starlette adapter + uvicorn,
  `process_before_response=True`, a `/ask` listener that only acks;
- Upline: `python -m bot run` (HTTP mode) with SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET, SLACK_API_URL,
  DATABASE_URL, UPLINE_CONFIG (the repository's app.yaml), PORT and UPLINE_SLACK_PACING=0 (the stand-in
  enforces no rate limits here);
- the load generator (this file with `--load-spec`, one process per round): asyncio + aiohttp, one
  keep-alive connection per client; `--warmup` unmeasured requests, then the round's measured ones, each
  signed beforehand exactly as Slack signs them (`SlackRequests.command`). Requests time out after 10 s;
  a round stops issuing requests after `--level-seconds`.

Both servers are up from the start, each in a process of its own, and they take turns: per concurrency
level (1, 10, 50 clients), `--rounds` rounds of the bare app, then Upline, with `--requests` measured
requests per level split between the rounds; the table pools each server's rounds. A shared machine's
speed drifts by a third within minutes, and one server measured after the other compared two machines;
taking turns spreads the drift over both. Before each of the bare app's rounds, Upline's outbox is given
time to deliver the previous round's pings (at most `--drain-seconds`), so Upline's deferred work never
runs during the baseline's measurements; and while one server is measured the other is stopped
(SIGSTOP, then SIGCONT), so not even an idle server's timers take turns on the CPU.

After the last round: the number of tickets in the database must equal the number of 200 answers (each
answer says "#N opened", and the ticket is committed before it), every answer must be well inside
Slack's 3 s, and every ping must have reached the stand-in.

Targets (from the issue): at 10 clients, Upline's p99 within 2x of the bare app's, and >= 1,500 req/s
on SQLite. Prints one markdown table and a PASS/FAIL line per check; exits 1 when a correctness check
fails (a non-200 answer, tickets != answers, an answer over 1 s), whatever the targets say.

Profiling: `--profile FILE [--profile-mode active|gil|idle|perf]` records Upline's server process from
its first round to its last (collapsed stacks); `--clients 10` runs one level only.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import math
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script from anywhere
    sys.path.insert(0, str(ROOT))

LEVELS = (1, 10, 50)
SIGNING_SECRET = "http-ack-bench-signing-secret"
BOT_TOKEN = "xoxb-upline-bench"
ASKERS = [f"U0ASKER{i:02d}" for i in range(20)]
REQUEST_TIMEOUT = 10.0
SLACK_WINDOW = 3.0
TARGET_P99_RATIO = 2.0
TARGET_RPS = 1500.0


# -- the load generator (its own process) ----------------------------------------------------------

def percentile(values: list[float], fraction: float) -> float:
    """Nearest-rank percentile of a non-empty list."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


async def _run_level(session, url: str, requests: list, concurrency: int, expect: str | None,
                     deadline: float) -> dict:
    results: list[tuple[float, object, bool] | None] = [None] * len(requests)
    indexes = iter(range(len(requests)))

    async def client() -> None:
        for index in indexes:  # shared: each request is taken by exactly one client
            if time.monotonic() > deadline:
                return
            request = requests[index]
            started = time.perf_counter()
            try:
                async with session.post(url, data=request.body, headers=request.headers) as response:
                    body = await response.read()
                    status: object = response.status
            except Exception as error:  # a timeout or a dropped connection is a result, not a crash
                body, status = b"", type(error).__name__
            elapsed = time.perf_counter() - started
            results[index] = (elapsed, status, expect is None or expect.encode() in body)

    started = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(concurrency)))
    wall = time.perf_counter() - started
    done = [result for result in results if result is not None]
    ok = [latency for latency, status, _ in done if status == 200]
    statuses: dict[str, int] = {}
    for _, status, _ in done:
        statuses[str(status)] = statuses.get(str(status), 0) + 1
    return {
        "sent": len(done), "ok": len(ok), "expected_body": sum(1 for _, status, good in done if status == 200 and good),
        "statuses": statuses, "wall": wall, "latencies": ok,
        "max": max((latency for latency, _, _ in done), default=0.0),
    }


async def _load(spec: dict) -> dict:
    import aiohttp

    from bot.sandbox.signed_requests import SlackRequests

    slack = SlackRequests(SIGNING_SECRET)
    url = spec["url"]
    out: dict = {"levels": {}}
    serial = 0

    def batch(count: int) -> list:
        nonlocal serial
        made = []
        for _ in range(count):
            serial += 1
            made.append(slack.command("/ask", f"nn How do I register a forward hook on a ModuleList? ({spec['tag']}"
                                      f" request {serial})", user=ASKERS[serial % len(ASKERS)]))
        return made

    for concurrency in spec["levels"]:
        connector = aiohttp.TCPConnector(limit=concurrency, limit_per_host=concurrency, force_close=False)
        timeout = aiohttp.ClientTimeout(total=REQUEST_TIMEOUT)
        warm_requests, measured_requests = batch(spec["warmup"]), batch(spec["requests"])  # signed up front
        deadline = time.monotonic() + spec["level_seconds"]  # warm-up and measured requests together
        async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:
            warm = await _run_level(session, url, warm_requests, concurrency, spec["expect"], deadline)
            measured = await _run_level(session, url, measured_requests, concurrency, spec["expect"], deadline)
        out["levels"][str(concurrency)] = {"warmup": {k: v for k, v in warm.items() if k != "latencies"},
                                           "measured": measured}
    return out


def load_main(spec_path: str) -> int:
    spec = json.loads(Path(spec_path).read_text())
    result = asyncio.run(_load(spec))
    Path(spec["out"]).write_text(json.dumps(result))
    return 0


# -- servers (subprocesses) -------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """A server subprocess on 127.0.0.1:port, started and stopped by us (SIGINT, then SIGKILL)."""

    def __init__(self, name: str, argv: list[str], env: dict[str, str], workdir: Path):
        self.name, self.port = name, free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = workdir / f"{name}.log"
        self._log = open(self.log_path, "wb")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(argv, env=env | {"PORT": str(self.port)}, cwd=str(ROOT),
                                        stdout=self._log, stderr=subprocess.STDOUT)

    @property
    def pid(self) -> int:
        return self.process.pid

    def wait_ready(self, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited with {self.process.returncode}:\n{self.log_tail()}")
            try:
                with urllib.request.urlopen(self.url + "/healthz", timeout=1):
                    return
            except urllib.error.HTTPError:  # it answers (e.g. 503 until its loops ran once): it is up
                return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError(f"{self.name} did not answer within {timeout:.0f} s:\n{self.log_tail()}")

    def log_tail(self, lines: int = 30) -> str:
        self._log.flush()
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)
        self._log.close()


@contextlib.contextmanager
def paused(server: Server) -> Iterator[None]:
    """Stop the server's process (SIGSTOP) while the other one is measured: its timers and background
    loops must not take turns on the CPU during the other's round. It catches up after SIGCONT."""
    server.process.send_signal(signal.SIGSTOP)
    try:
        yield
    finally:
        server.process.send_signal(signal.SIGCONT)


def start_profiler(pid: int, path: str, mode: str = "active") -> subprocess.Popen:
    """py-spy on the server's threads, until stop_profiler; collapsed stacks (`--format raw`) to `path`."""
    if mode == "perf":  # C-level: where the interpreter, SQLite and the kernel spend it (`perf report -i FILE`)
        return subprocess.Popen(["perf", "record", "-F", "499", "-g", "-p", str(pid), "-o", path],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    py_spy = Path(sys.executable).with_name("py-spy")
    which = {"gil": ["--gil"], "idle": ["--idle"]}.get(mode, [])
    return subprocess.Popen([str(py_spy), "record", "--pid", str(pid), "--format", "raw", "--output", path,
                             "--rate", "1000", "--threads", "--nonblocking", *which],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def stop_profiler(profiler: subprocess.Popen) -> None:
    profiler.send_signal(signal.SIGINT)  # py-spy writes its output on Ctrl+C
    try:
        profiler.wait(30)
    except subprocess.TimeoutExpired:
        profiler.kill()
        profiler.wait(5)


def cpu_seconds(pid: int) -> float:
    """User + system CPU time a process has used so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def run_load(server: Server, level: int, requests: int, args: argparse.Namespace, workdir: Path,
             expect: str | None) -> dict:
    """One round: `args.warmup` unmeasured requests, then `requests` measured ones, at `level` clients."""
    spec_path, out_path = workdir / f"load-{server.name}.json", workdir / f"result-{server.name}.json"
    spec_path.write_text(json.dumps({
        "url": server.url + "/slack/events", "levels": [level], "requests": requests,
        "warmup": args.warmup, "level_seconds": args.level_seconds, "expect": expect, "out": str(out_path),
        "tag": server.name,
    }))
    budget = args.level_seconds + 2 * REQUEST_TIMEOUT + 30
    cpu_before = cpu_seconds(server.pid)
    subprocess.run([sys.executable, str(Path(__file__).resolve()), "--load-spec", str(spec_path)],
                   cwd=str(ROOT), check=True, timeout=budget)
    result = json.loads(out_path.read_text())
    result["server_cpu"] = cpu_seconds(server.pid) - cpu_before  # warm-up included
    return result


def pooled(rounds: list[dict]) -> dict:
    """The rounds of one server as one result: per level, every round's latencies, requests and time."""
    out: dict = {"levels": {}, "server_cpu": sum(result["server_cpu"] for result in rounds)}
    for result in rounds:
        for level, data in result["levels"].items():
            into = out["levels"].setdefault(level, {})
            for phase, part in data.items():
                if phase not in into:
                    into[phase] = {key: (list(value) if isinstance(value, list) else
                                         dict(value) if isinstance(value, dict) else value)
                                   for key, value in part.items()}
                    continue
                pool = into[phase]
                for key in ("sent", "ok", "expected_body", "wall"):
                    pool[key] += part[key]
                pool["max"] = max(pool["max"], part["max"])
                pool.get("latencies", []).extend(part.get("latencies", []))
                for status, count in part["statuses"].items():
                    pool["statuses"][status] = pool["statuses"].get(status, 0) + count
    return out


@dataclass
class Drain:
    """How Upline's outbox caught up once a round's load stopped."""

    pending_at_start: int = 0
    delivered: int = 0
    seconds: float = 0.0
    cpu: float = 0.0
    pending_after: int = 0


def drain(database: Database, upline: Server, limit: float) -> Drain:
    """Wait (at most `limit` seconds, with no new requests) for the outbox to deliver what is pending."""
    counts = database.counts()
    result = Drain(pending_at_start=counts.get("outbox pending", 0))
    sent_before, started, cpu_before = counts.get("outbox sent", 0), time.monotonic(), cpu_seconds(upline.pid)
    while counts.get("outbox pending", 0) and time.monotonic() < started + limit:
        time.sleep(0.1)
        counts = database.counts()
    result.seconds, result.cpu = time.monotonic() - started, cpu_seconds(upline.pid) - cpu_before
    result.delivered = counts.get("outbox sent", 0) - sent_before
    result.pending_after = counts.get("outbox pending", 0)
    return result


# -- databases ----------------------------------------------------------------------------------

class Database:
    """A fresh, migrated database: a SQLite file in `workdir`, or a new schema in PostgreSQL."""

    def __init__(self, base_url: str | None, workdir: Path):
        from sqlalchemy import text
        from sqlalchemy.pool import NullPool

        from storage.engine import make_engine, normalize_url
        from storage.migrate import upgrade

        self._admin = None
        self.schema = None
        if base_url is None:
            self.url = f"sqlite:///{workdir / 'upline.db'}"
            self.label = "SQLite"
        else:
            self.schema = f"bench_{uuid.uuid4().hex[:12]}"
            self._admin = make_engine(base_url, isolation_level="AUTOCOMMIT", poolclass=NullPool)
            with self._admin.connect() as connection:
                connection.execute(text(f'CREATE SCHEMA "{self.schema}"'))
            url = normalize_url(base_url).update_query_dict({"options": f"-c search_path={self.schema}"})
            self.url = url.render_as_string(hide_password=False)
            self.label = "PostgreSQL"
        upgrade(self.url)

    def counts(self) -> dict[str, int]:
        from sqlalchemy import text
        from sqlalchemy.pool import NullPool

        from storage.engine import make_engine

        engine = make_engine(self.url, poolclass=NullPool)
        try:
            with engine.connect() as connection:
                counts = {"tickets": connection.execute(text("SELECT count(*) FROM tickets")).scalar_one(),
                          "events": connection.execute(text("SELECT count(*) FROM events")).scalar_one()}
                for status, count in connection.execute(text("SELECT status, count(*) FROM outbox GROUP BY status")):
                    counts[f"outbox {status}"] = count
                return counts
        finally:
            engine.dispose()

    def drop(self) -> None:
        if self._admin is None:
            return
        from sqlalchemy import text

        try:
            with self._admin.connect() as connection:
                connection.execute(text("SET lock_timeout = '10s'"))
                connection.execute(text(f'DROP SCHEMA "{self.schema}" CASCADE'))
        finally:
            self._admin.dispose()


# -- the run ------------------------------------------------------------------------------------

def summarize(result: dict) -> dict[int, dict]:
    rows = {}
    for level, data in result["levels"].items():
        measured = data["measured"]
        latencies = measured["latencies"]
        rows[int(level)] = {
            "p50": percentile(latencies, 0.50) * 1000 if latencies else float("nan"),
            "p99": percentile(latencies, 0.99) * 1000 if latencies else float("nan"),
            "rps": measured["ok"] / measured["wall"] if measured["wall"] else 0.0,
            "ok": measured["ok"], "sent": measured["sent"], "statuses": measured["statuses"],
        }
    return rows


def totals(result: dict) -> dict[str, float]:
    phases = [data[phase] for data in result["levels"].values() for phase in ("warmup", "measured")]
    statuses: dict[str, int] = {}
    for phase in phases:
        for status, count in phase["statuses"].items():
            statuses[status] = statuses.get(status, 0) + count
    return {"sent": sum(p["sent"] for p in phases), "ok": sum(p["ok"] for p in phases),
            "expected_body": sum(p["expected_body"] for p in phases), "max": max(p["max"] for p in phases),
            "statuses": statuses}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=4000, help="measured requests per concurrency level")
    parser.add_argument("--warmup", type=int, default=100, help="unmeasured requests before each round")
    parser.add_argument("--rounds", type=int, default=4,
                        help="per level, the servers take turns this many times; the rounds are pooled")
    parser.add_argument("--level-seconds", type=float, default=40.0,
                        help="stop issuing a round's requests (warm-up included) after this long")
    parser.add_argument("--clients", type=lambda text: [int(part) for part in text.split(",")],
                        default=list(LEVELS), help="concurrency levels, comma-separated (default 1,10,50)")
    parser.add_argument("--database-url", help="run Upline on this PostgreSQL (a fresh schema, dropped after)")
    parser.add_argument("--drain-seconds", type=float, default=40.0,
                        help="after each of Upline's rounds, wait for its outbox to drain, at most")
    parser.add_argument("--profile", metavar="FILE",
                        help="record Upline's server process with py-spy during its run (collapsed stacks to FILE)")
    parser.add_argument("--profile-mode", choices=["active", "gil", "idle", "perf"], default="active",
                        help="with --profile: threads that run (default), only the one holding the GIL "
                             "(py-spy --gil), every thread, waiting ones too (py-spy --idle), "
                             "or C functions (perf record)")
    parser.add_argument("--load-spec", help=argparse.SUPPRESS)  # internal: be the load generator
    args = parser.parse_args(argv)
    if args.load_spec:
        return load_main(args.load_spec)

    from bot.config import load_config_file
    from bot.sandbox.populate import populate
    from bot.sandbox.slack_api import SlackApiServer, Workspace

    config_path = ROOT / "app.yaml"
    config = load_config_file(str(config_path)).config
    workspace = Workspace(bot_token=BOT_TOKEN)
    populate(workspace, config, {user: user.lower() for user in ASKERS})
    load_before = os.getloadavg()[0]  # the machine may be shared: say how busy it was
    with tempfile.TemporaryDirectory(prefix="upline-http-ack-") as tmp, SlackApiServer(workspace) as slack_api:
        workdir = Path(tmp)
        env = {key: value for key, value in os.environ.items() if not key.startswith(("SLACK_", "UPLINE_"))}
        env |= {"SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_SIGNING_SECRET": SIGNING_SECRET,
                "SLACK_API_URL": slack_api.base_url, "UPLINE_CONFIG": str(config_path), "PYTHONUNBUFFERED": "1",
                # This stand-in has no rate limits and every ping goes to #nn: Slack's pace (one post a
                # second per channel) would leave thousands waiting; benchmarks/storm.py measures that side.
                "UPLINE_SLACK_PACING": "0"}

        per_round = math.ceil(args.requests / args.rounds)
        print(f"# per level: {args.rounds} rounds of bare, then Upline; each {args.warmup} warm-up + {per_round} "
              "measured requests", file=sys.stderr)
        database = Database(args.database_url, workdir)
        bare = upline = None
        try:
            bare = Server("bare", [sys.executable, str(ROOT / "benchmarks" / "http_bare_app.py")], env, workdir)
            upline = Server("upline", [sys.executable, "-m", "bot", "run"], env | {"DATABASE_URL": database.url},
                            workdir)
            bare.wait_ready()
            upline.wait_ready()
            bare_rounds, upline_rounds, drains = [], [], []
            profiler = start_profiler(upline.pid, args.profile, args.profile_mode) if args.profile else None
            try:
                for level in args.clients:
                    for round_number in range(args.rounds):
                        print(f"# {level} clients, round {round_number + 1} of {args.rounds}", file=sys.stderr)
                        if upline_rounds:  # Upline's deliveries from its last round must not slow the bare app
                            drains.append(drain(database, upline, args.drain_seconds))
                        with paused(upline):
                            bare_rounds.append(run_load(bare, level, per_round, args, workdir, expect=None))
                        with paused(bare):
                            upline_rounds.append(run_load(upline, level, per_round, args, workdir,
                                                          expect="opened in"))
            finally:
                if profiler is not None:
                    stop_profiler(profiler)
            # The outbox worker delivers the pings after the answers: see how far behind it is at the end,
            # then give it --drain-seconds (no new requests) to catch up.
            at_end = database.counts()
            final = drain(database, upline, args.drain_seconds)
            drains.append(final)
            counts = database.counts()
            server_log = upline.log_tail(10)
        finally:
            for server in (bare, upline):
                if server is not None:
                    server.stop()
            database.drop()
        api_calls = len(slack_api.calls)

    bare_result, upline_result = pooled(bare_rounds), pooled(upline_rounds)
    bare_rows, upline_rows = summarize(bare_result), summarize(upline_result)
    upline_totals, bare_totals = totals(upline_result), totals(bare_result)

    print(f"\n### Signed `/ask` over HTTP: bare Bolt AsyncApp vs Upline on {database.label} "
          f"({per_round * args.rounds} measured requests per level, in {args.rounds} rounds taking turns, each after "
          f"{args.warmup} warm-up; {os.cpu_count()} cores, "
          f"load average {load_before:.1f} before, {os.getloadavg()[0]:.1f} after)\n")
    print("| clients | bare p50 ms | bare p99 ms | bare req/s | Upline p50 ms | Upline p99 ms | Upline req/s "
          "| p99 ratio (Upline/bare) | throughput ratio (Upline/bare) |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for level in args.clients:
        b, u = bare_rows[level], upline_rows[level]
        print(f"| {level} | {b['p50']:.2f} | {b['p99']:.2f} | {b['rps']:,.0f} | {u['p50']:.2f} | {u['p99']:.2f} "
              f"| {u['rps']:,.0f} | {u['p99'] / b['p99']:.2f}x | {u['rps'] / b['rps']:.2f}x |")

    bare_cpu = bare_result["server_cpu"] / max(bare_totals["sent"], 1) * 1000
    upline_cpu = upline_result["server_cpu"] / max(upline_totals["sent"], 1) * 1000
    print(f"\nServer process CPU per request (user + system, every level and warm-up): bare {bare_cpu:.2f} ms, "
          f"Upline {upline_cpu:.2f} ms ({upline_cpu / bare_cpu:.2f}x; Upline's includes the deliveries it made "
          f"during the load).")
    drained = sum(each.delivered for each in drains)
    if drained:
        per_message = sum(each.cpu for each in drains) / drained * 1000
        print(f"Delivering between rounds and after the load: {per_message:.2f} ms of server CPU per message "
              f"({drained:,} messages).")
    if late := [each for each in drains[:-1] if each.pending_after]:
        print(f"NOTE: before {len(late)} bare rounds the outbox had not drained within --drain-seconds "
              f"({', '.join(str(each.pending_after) for each in late)} pending).")

    tickets = counts["tickets"]
    nan = {"p50": float("nan"), "p99": float("nan"), "rps": float("nan")}
    ten_b, ten_u = bare_rows.get(10, nan), upline_rows.get(10, nan)  # the targets are set at 10 clients
    checks = [
        ("every request answered 200 (bare)", bare_totals["ok"] == bare_totals["sent"],
         f"{bare_totals['ok']:,} of {bare_totals['sent']:,} {bare_totals['statuses']}"),
        ("every request answered 200 with \"#N opened\" (Upline)",
         upline_totals["expected_body"] == upline_totals["sent"],
         f"{upline_totals['expected_body']:,} of {upline_totals['sent']:,} {upline_totals['statuses']}"),
        ("tickets in the database == 200 answers", tickets == upline_totals["ok"],
         f"{tickets:,} tickets, {upline_totals['ok']:,} answers"),
        ("every answer well inside Slack's 3 s (max < 1 s)", upline_totals["max"] < 1.0,
         f"max {upline_totals['max'] * 1000:.1f} ms (bare {bare_totals['max'] * 1000:.1f} ms)"),
        ("target: p99 at 10 clients within 2x of bare", ten_u["p99"] <= TARGET_P99_RATIO * ten_b["p99"],
         f"{ten_u['p99']:.2f} ms vs {ten_b['p99']:.2f} ms = {ten_u['p99'] / ten_b['p99']:.2f}x"),
        ("target: >= 1,500 req/s at 10 clients", ten_u["rps"] >= TARGET_RPS, f"{ten_u['rps']:,.0f} req/s"),
        ("every ping delivered to the stand-in, none parked",
         not counts.get("outbox pending", 0) and not counts.get("outbox parked", 0),
         f"when the last round ended {at_end.get('outbox sent', 0):,} sent and {at_end.get('outbox pending', 0):,} "
         f"pending; {final.seconds:.1f} s later {counts.get('outbox sent', 0):,} sent "
         f"({final.delivered / max(final.seconds, 1e-9):,.0f}/s while idle), "
         f"{counts.get('outbox pending', 0):,} pending, {counts.get('outbox parked', 0):,} parked; "
         f"{api_calls:,} Web API calls"),
    ]
    print()
    for name, rows in (("bare", bare_rows), ("Upline", upline_rows)):
        for level, row in rows.items():
            if row["sent"] < per_round * args.rounds:
                print(f"- NOTE {name} at {level} clients: only {row['sent']:,} of {per_round * args.rounds:,} measured "
                      f"requests were sent within --level-seconds {args.level_seconds:g}")
    for name, passed, detail in checks:
        print(f"- {'PASS' if passed else 'FAIL'} {name}: {detail}")
    if server_log.strip():
        print("\nUpline's log (last lines):\n" + "\n".join("    " + line for line in server_log.splitlines()))
    return 0 if all(passed for _, passed, _ in checks[:4]) else 1


if __name__ == "__main__":
    sys.exit(main())
