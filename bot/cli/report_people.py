"""`upline report --people [--since 90d] [--format table|csv|json]`: each maintainer's part in the history.

One row per active maintainer of app.yaml (`--config`, else $UPLINE_CONFIG or ./app.yaml when there
is one), even one who never acted, and per anyone else who acted in the period or holds a ticket: the
tickets they acknowledged and resolved in the period, their median time to acknowledge, the open
tickets they hold now, their votes, when they last took part (over all of Upline's history), and
`inactive` where they have been quiet longer than their area's `governance.inactive_after` — a
suggestion for emeritus, for the nominations review to weigh. See `bot.reporting.activity`.

    $ upline report --people
    person    areas     acknowledged  resolved  median ack  open held  votes  last active  note
    Cole Two  core                 0         0           —          0      0  never        inactive
    Cora One  core                 1         0         30m          1      1  2026-11-23
    cu1       nn, cuda             1         1         30m          0      1  2026-10-14   inactive in cuda
    Nina      nn                   1         1         15m          0      1  2026-11-23

`csv` and `json` have every field, people by key and by name, durations in seconds and moments in
ISO 8601 UTC. `--area` and `--kind` are the ticket report's: with `--people` they are usage errors
(exit 2), as is a format other than those three.
"""

from __future__ import annotations

import csv
import json
import os
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import Engine

from bot.cli.check import print_problems
from bot.cli.db import database_now, database_url, with_current_schema
from bot.clock import Clock
from bot.config import ConfigError, load_config_file
from bot.config.schema import Config
from bot.domain.durations import parse_duration
from bot.reporting import NO_DATA, format_span, utc_iso
from bot.reporting.activity import History, PersonActivity, people_activity
from bot.reporting.timeline import display_names
from storage.engine import make_session_factory
from storage.unit_of_work import SqlUnitOfWork

DEFAULT_SINCE = "90d"
FORMATS = ("table", "csv", "json")
USAGE = 2  # argparse's exit code for a usage error
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
RECORD_FIELDS = ("person", "name", "areas", "acknowledged", "resolved", "median_ack_seconds", "open_held",
                 "open_held_tickets", "votes", "rationales", "last_active", "inactive_since", "inactive_in")
_TABLE = (("person", "<"), ("areas", "<"), ("acknowledged", ">"), ("resolved", ">"), ("median ack", ">"),
          ("open held", ">"), ("votes", ">"), ("last active", "<"), ("note", "<"))  # fmt: skip
FOOTNOTES = [
    "* acknowledged, resolved and votes count what each person did in the period; median ack runs from when",
    "  the ticket reached the rung it was acknowledged on (created, climbed, handed over or reopened).",
    "* open held: unresolved tickets they have acknowledged or been handed, now.",
    "* last active: their latest act in all of Upline's history; inactive: quiet (or, never active, since the",
    "  history began) for longer than the area's governance.inactive_after: suggested for emeritus there.",
]


def run(args, out, err, clock: Clock) -> int:
    if args.area is not None or args.kind is not None:
        return _usage("--people lists everyone: --area and --kind are for the ticket report", err)
    if args.format not in FORMATS:
        return _usage(f"--people prints {', '.join(FORMATS[:-1])} or {FORMATS[-1]}, not {args.format}", err)
    loaded, config = _config(args.config, err)
    if not loaded:
        return 1
    window = args.since or DEFAULT_SINCE

    def build(engine: Engine) -> int:
        with SqlUnitOfWork(make_session_factory(engine), read_only=True) as uow:
            now = database_now(uow, clock, err)
            history = whole_history(uow)
        since = now - parse_duration(window)
        entries = people_activity(config, history, since=since, now=now)
        name = display_names(config)
        entries.sort(key=lambda entry: (name(entry.person).casefold(), entry.person))
        if args.format == "csv":
            write_csv(entries, name, out)
        elif args.format == "json":
            out.write(json.dumps([as_record(entry, name) for entry in entries], indent=2) + "\n")
        else:
            out.write(as_table(entries, name, since=since, now=now, window=window, started_at=history.started_at))
        return 0

    return with_current_schema(database_url(args), err, build)


def whole_history(uow) -> History:
    """Every ticket and decision with its events: last activity can lie long before any report period."""
    decisions = uow.decisions.since(_EPOCH)
    return History(tickets=uow.tickets.opened_since(_EPOCH), ticket_events=uow.events.for_tickets_opened_since(_EPOCH),
                   decisions=decisions,
                   decision_events={decision.number: uow.events.for_ticket(decision.number) for decision in decisions})


def as_record(entry: PersonActivity, name) -> dict:
    return {
        "person": entry.person,
        "name": name(entry.person),
        "areas": list(entry.roles),
        "acknowledged": entry.acknowledged,
        "resolved": entry.resolved,
        "median_ack_seconds": _seconds(entry.median_ack),
        "open_held": len(entry.open_held),
        "open_held_tickets": list(entry.open_held),
        "votes": entry.votes,
        "rationales": entry.rationales,
        "last_active": _iso(entry.last_active),
        "inactive_since": _iso(entry.inactive_since),
        "inactive_in": list(entry.inactive_in),
    }


def write_csv(entries: Sequence[PersonActivity], name, out) -> None:
    """Lists (areas, tickets) are space-separated in one cell; no data is an empty cell."""
    writer = csv.DictWriter(out, fieldnames=RECORD_FIELDS, lineterminator="\n")
    writer.writeheader()
    for entry in entries:
        record = as_record(entry, name)
        writer.writerow({key: " ".join(map(str, value)) if isinstance(value, list) else value
                         for key, value in record.items()})


def as_table(entries: Sequence[PersonActivity], name, *, since: datetime, now: datetime, window: str,
             started_at: datetime | None) -> str:
    title = f"Activity from {utc_iso(since)} to {utc_iso(now)} (the last {window})"
    if not entries:
        return f"{title}: nobody to list.\n"
    begun = f"* Upline's history begins {utc_iso(started_at)}." if started_at else "* Upline has no history yet."
    cells = [[header for header, _ in _TABLE]] + [_cells(entry, name) for entry in entries]
    widths = [max(len(line[column]) for line in cells) for column in range(len(_TABLE))]
    lines = [title, ""]
    for line in cells:
        padded = (f"{cell:{align}{width}}" for cell, (_, align), width in zip(line, _TABLE, widths, strict=True))
        lines.append("  ".join(padded).rstrip())
    return "\n".join([*lines, "", *FOOTNOTES, begun]) + "\n"


def _cells(entry: PersonActivity, name) -> list[str]:
    last = entry.last_active.astimezone(UTC).date().isoformat() if entry.last_active else "never"
    return [name(entry.person), ", ".join(entry.roles) or NO_DATA, str(entry.acknowledged), str(entry.resolved),
            format_span(entry.median_ack), str(len(entry.open_held)), str(entry.votes), last, _note(entry)]


def _note(entry: PersonActivity) -> str:
    if not entry.inactive_in:
        return ""
    everywhere = set(entry.inactive_in) == set(entry.roles) - {"lead"}
    return "inactive" if everywhere else f"inactive in {', '.join(entry.inactive_in)}"


def _config(path: str | None, err) -> tuple[bool, Config | None]:
    """(True, app.yaml's config or None without one), or (False, None) once told why it cannot be used."""
    path = path or os.environ.get("UPLINE_CONFIG")
    if path is None and not Path("app.yaml").is_file():
        return True, None
    try:
        return True, load_config_file(path or "app.yaml").config
    except ConfigError as error:
        print_problems(error, err)
        return False, None


def _usage(message: str, err) -> int:
    print(f"upline report: error: {message}", file=err)
    return USAGE


def _seconds(value: timedelta | None) -> int | None:
    return None if value is None else round(value.total_seconds())


def _iso(moment: datetime | None) -> str | None:
    return None if moment is None else utc_iso(moment)
