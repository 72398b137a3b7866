"""A storm of breaches under Slack's real rate limits: the code before delivery was shaped to Slack's
limits (the baseline) against the code now, in the same run.

    python benchmarks/storm.py [--tickets 300] [--horizon 180] [--baseline-commit add8c43]

For each version, in turn:
- a fresh SQLite database, migrated by that version (`python -m bot db upgrade`);
- `--tickets` questions in nn, opened by that version's own `TicketService` so that their ack
  deadline falls `--lead` seconds from now, all at once; their pings are already in #nn (posted into
  the stand-in directly, and their outbox rows marked sent), so the storm is the only traffic;
- the Web API stand-in of this checkout, run by this process, enforcing Slack's rate limits
  (bot/sandbox/rate_limits.py: one post a second per channel with a burst of three, a workspace
  ceiling, per-method tiers, 429 with Retry-After) on the real clock;
- `python -m bot run` of that version against it, until `--horizon` seconds after the deadline.

The baseline is the commit given (default: the last one before this work), checked out with
`git worktree` into a temporary folder. Measured, per version: for each ticket, the time from its
deadline to the first Slack message naming it, other than its ping (p50, p99, max, and how many were
named at all within the horizon); messages Slack took (posts and updates); 429s Slack answered; outbox
rows parked and still pending at the end. Prints one markdown table.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, text  # noqa: E402

from bot.config import load_config_file  # noqa: E402
from bot.sandbox.populate import populate  # noqa: E402
from bot.sandbox.rate_limits import RateLimiter, SlackRateLimits  # noqa: E402
from bot.sandbox.slack_api import SlackApiServer  # noqa: E402
from bot.sandbox.workspace import Workspace  # noqa: E402

BOT_TOKEN, SIGNING_SECRET, ASKER = "xoxb-storm", "storm-signing-secret", "U0ASKER"
NN, CORE = "C0NN", "C0CORE"

# Run by each version's interpreter (PYTHONPATH = that version's tree): open the tickets so that their
# ack deadline is `lead` seconds away, mark their outbox rows sent, print the ids and deadlines.
SEED = """
import json, sys
from datetime import UTC, datetime, timedelta
from bot.config import load_config_file
from bot.domain.ticket import Kind
from bot.services.tickets import NewTicket, TicketService
from storage.engine import make_engine, make_session_factory
from storage.unit_of_work import SqlUnitOfWork
url, config_path, count, lead = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4])
config = load_config_file(config_path).config
factory = make_session_factory(make_engine(url))
service = TicketService(config, lambda **options: SqlUnitOfWork(factory, **options))
ack = service.policy("nn", Kind.QUESTION).ack
opened_at = datetime.now(UTC) - ack + timedelta(seconds=lead)
results = service.open_many([NewTicket("U0ASKER", Kind.QUESTION, "nn", f"Storm question {n}: hooks?")
                             for n in range(count)], opened_at)
print(json.dumps([[r.ticket.id, r.ticket.ack_due_at.timestamp()] for r in results]))
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tickets", type=int, default=300)
    parser.add_argument("--horizon", type=float, default=180, help="seconds after the deadline to watch")
    parser.add_argument("--lead", type=float, default=20, help="seconds from start-up to the deadline")
    parser.add_argument("--baseline-commit", default="add8c43")
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory(prefix="upline-storm-") as scratch:
        baseline = Path(scratch) / "baseline"
        subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", str(baseline), args.baseline_commit],
                       check=True, capture_output=True)
        try:
            for name, tree in ((f"baseline ({args.baseline_commit})", baseline), ("now", ROOT)):
                print(f"== {name}", file=sys.stderr, flush=True)
                rows.append((name, run_storm(tree, Path(scratch) / f"run-{name.split()[0]}", args)))
        finally:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(baseline)],
                           capture_output=True)
    print_table(rows, args)
    return 0


def run_storm(tree: Path, folder: Path, args) -> dict:
    folder.mkdir(parents=True)
    url = f"sqlite:///{folder / 'upline.db'}"
    config_path = ROOT / "app.yaml"
    env = {name: value for name, value in os.environ.items() if not name.startswith(("SLACK_", "UPLINE_"))}
    env |= {"PYTHONPATH": str(tree), "DATABASE_URL": url, "PYTHONUNBUFFERED": "1"}
    subprocess.run([sys.executable, "-m", "bot", "db", "upgrade"], env=env, cwd=tree, check=True,
                   capture_output=True)
    seeded = subprocess.run([sys.executable, "-c", SEED, url, str(config_path), str(args.tickets), str(args.lead)],
                            env=env, cwd=tree, check=True, capture_output=True, text=True)
    deadlines = dict(json.loads(seeded.stdout.strip().splitlines()[-1]))
    workspace = Workspace(bot_token=BOT_TOKEN)
    populate(workspace, load_config_file(config_path).config, extra_users={ASKER: "asker"})
    pre_ping(workspace, url, deadlines)
    seen: dict[int, float] = {}
    pings = {ts for ts in ping_ts(url)}

    def watch(change) -> None:
        if change.kind != "message_posted" or change.ts in pings:
            return
        message = workspace.message(change.channel, change.ts)
        for number in re.findall(r"#(\d+)\b", (message.text or "") + json.dumps(message.blocks or [])):
            seen.setdefault(int(number), time.time())

    workspace.subscribe(watch)
    workspace.rate_limiter = RateLimiter(SlackRateLimits(), time.monotonic)  # Slack's limits, from now on
    with SlackApiServer(workspace) as slack:
        port = free_port()
        env |= {"SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_SIGNING_SECRET": SIGNING_SECRET,
                "SLACK_API_URL": slack.base_url, "UPLINE_CONFIG": str(config_path), "PORT": str(port)}
        process = subprocess.Popen([sys.executable, "-m", "bot", "run"], env=env, cwd=tree, text=True,
                                   stdout=subprocess.DEVNULL, stderr=open(folder / "upline.log", "w"))  # noqa: SIM115
        try:
            wait_healthy(port)
            end = max(deadlines.values()) + args.horizon
            while time.time() < end and process.poll() is None:
                time.sleep(0.5)
        finally:
            process.terminate()
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=15)
            if process.poll() is None:
                process.kill()
        calls = [call for call in workspace.calls if call.method in ("chat.postMessage", "chat.update")]
        limited = sum(1 for call in workspace.calls if call.status == 429)
    waits = sorted(seen[number] - due for number, due in deadlines.items() if number in seen)
    engine = create_engine(url)
    with engine.connect() as connection:
        statuses = dict(connection.execute(text("select status, count(*) from outbox group by status")).all())
    engine.dispose()
    return {"named": len(waits), "waits": waits, "taken": sum(1 for call in calls if call.status == 200),
            "limited": limited, "parked": statuses.get("parked", 0), "pending": statuses.get("pending", 0)}


def pre_ping(workspace: Workspace, url: str, deadlines: dict[int, float]) -> None:
    """Each ticket's ping already in #nn, its reminders sent, its outbox rows sent: only the storm is
    left to deliver."""
    engine = create_engine(url)
    with engine.begin() as connection:
        for number in deadlines:
            message = workspace.post_message(NN, workspace.bot_user_id, text=f"#{number} · question · nn")
            connection.execute(text("update tickets set ping_channel = :channel, ping_ts = :ts where id = :id"),
                               {"channel": NN, "ts": message.ts, "id": number})
        connection.execute(text("update outbox set status = 'sent'"))
        # The reminders went out over the morning too: what is left is the deadline itself.
        connection.execute(text("update tickets set reminders_sent = 2, next_due_at = ack_due_at"))
    engine.dispose()


def ping_ts(url: str) -> list[str]:
    engine = create_engine(url)
    with engine.connect() as connection:
        found = [row[0] for row in connection.execute(text("select ping_ts from tickets"))]
    engine.dispose()
    return found


def wait_healthy(port: int, deadline: float = 60) -> None:
    stop = time.monotonic() + deadline
    while time.monotonic() < stop:
        with contextlib.suppress(OSError), urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz",
                                                                  timeout=2) as answer:
            if answer.status == 200:
                return
        time.sleep(0.3)
    raise SystemExit(f"upline run did not become healthy on port {port}")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def percentile(values: list[float], fraction: float) -> float:
    if not values:
        return float("nan")
    return values[min(len(values) - 1, max(0, round(fraction * (len(values) - 1))))]


def print_table(rows, args) -> None:
    print(f"\n{args.tickets} tickets breaching together; watched {args.horizon:.0f} s after the deadline\n")
    print("| version | named in time | p50 s | p99 s | max s | messages Slack took | 429s | parked | pending |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for name, row in rows:
        waits = row["waits"]
        print(f"| {name} | {row['named']}/{args.tickets} | {percentile(waits, 0.5):.1f} | "
              f"{percentile(waits, 0.99):.1f} | {max(waits, default=float('nan')):.1f} | {row['taken']} | "
              f"{row['limited']} | {row['parked']} | {row['pending']} |")


if __name__ == "__main__":
    sys.exit(main())
