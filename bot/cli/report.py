"""`upline report [--since 30d] [--area nn] [--kind question|escalation] [--format table|csv|json]`.

For the tickets opened in the period, per area and kind and in total: how many, the median and p90
time to the first acknowledgement and to the first resolution, the SLA breaches, and the share of
tickets that kept every promise. `table` is for people (durations like `3h12m` or `40s`, `—` for no
data, and footnotes saying how each number is counted); `csv` and `json` are for spreadsheets and
scripts, with durations in seconds and the total row's area and kind written `*`. See
`bot.reporting.metrics`.

`--area` takes an area's key or alias: the areas of app.yaml (`--config`, else $UPLINE_CONFIG or
./app.yaml when there is one) and those of the tickets in the database. Any other word is an error,
exit 1, naming the closest areas, or every one. On a sandbox's database the period ends at the
sandbox's clock, as its page shows it.

    $ upline report --area nnn
    error: unknown area 'nnn': did you mean nn?

`--people` reports on people instead of tickets: each maintainer's acknowledgements, resolutions,
open tickets, votes and last activity, and who is inactive (`bot.cli.report_people`; `--since`
defaults to 90d there).
"""

from __future__ import annotations

import argparse
import csv
import difflib
import json
import os
import sys
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import Engine

from bot.cli import report_people
from bot.cli.check import print_problems
from bot.cli.db import add_database_option, database_now, database_url, with_current_schema
from bot.clock import Clock, SystemClock
from bot.config import ConfigError, load_config_file
from bot.domain.durations import parse_duration
from bot.domain.ticket import Kind, Ticket
from bot.reporting import format_span, utc_iso
from bot.reporting.metrics import Row, report
from storage.engine import make_session_factory
from storage.unit_of_work import SqlUnitOfWork

DEFAULT_SINCE = "30d"
TOTAL = "*"  # the total row's area and kind in csv and json: no area key can be spelled so
FOOTNOTES = [
    "* ack and resolve times run from creation to the first acknowledgement and the first resolution",
    "  (a reopened ticket keeps its first); tickets without one yet are left out of those columns.",
    "* ack breaches: ack deadlines missed (escalated by upline, or the lead reminded as overdue);",
    "  resolve breaches: resolve deadlines missed.",
    "* compliant: the share of tickets with no breach; a ticket still open and not yet overdue counts",
    "  as compliant so far.",
]
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
RECORD_FIELDS = ("area", "kind", "opened", "acknowledged", "resolved", "ack_p50_seconds", "ack_p90_seconds",
                 "resolve_p50_seconds", "resolve_p90_seconds", "ack_breaches", "resolve_breaches", "compliant",
                 "compliance_percent")  # fmt: skip
_TABLE = (("area", "<"), ("kind", "<"), ("opened", ">"), ("ack p50", ">"), ("ack p90", ">"),
          ("resolve p50", ">"), ("resolve p90", ">"), ("ack breaches", ">"), ("resolve breaches", ">"),
          ("compliant", ">"))  # fmt: skip


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser("report", help="time to acknowledge and resolve, breaches and SLA compliance")
    parser.add_argument("--since", type=period, default=None, metavar="DURATION",
                        help=f"report on tickets opened this long ago or later, e.g. 7d, 2w (default: {DEFAULT_SINCE};"
                             f" with --people, on what people did: {report_people.DEFAULT_SINCE})")
    parser.add_argument("--people", action="store_true",
                        help="per person: acknowledged, resolved, open tickets held, votes, last active, inactive")
    parser.add_argument("--area", metavar="KEY", help="only this area (its key or an alias)")
    parser.add_argument("--config", metavar="FILE", default=None,
                        help="the app.yaml whose areas --area knows (default: $UPLINE_CONFIG or ./app.yaml, if any)")
    parser.add_argument("--kind", choices=[kind.value for kind in Kind], help="only this kind of ticket")
    parser.add_argument("--format", choices=["table", "csv", "json"], default="table", help="default: table")
    add_database_option(parser)
    parser.set_defaults(func=run)


def period(text: str) -> str:
    """A positive app.yaml duration, kept as written so that the report can echo it."""
    try:
        value = parse_duration(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None
    if value <= timedelta(0):
        raise argparse.ArgumentTypeError(f"--since must be a positive duration, not {text!r}")
    return text.strip()


def run(args, out=None, err=None, clock: Clock | None = None) -> int:
    out, err = out or sys.stdout, err or sys.stderr
    clock = clock or SystemClock()
    if args.people:
        return report_people.run(args, out, err, clock)
    window = args.since or DEFAULT_SINCE
    names = config_area_names(args.config, err)
    if names is None:
        return 1

    def build(engine: Engine) -> int:
        with SqlUnitOfWork(make_session_factory(engine), read_only=True) as uow:
            now = database_now(uow, clock, err)
            since = now - parse_duration(window)
            tickets = uow.tickets.opened_since(since)
            events = uow.events.for_tickets_opened_since(since)
            try:
                area = None if args.area is None else area_named(uow, args.area, names, tickets)
            except UnknownArea as error:
                print(f"error: {error}", file=err)
                return 1
        rows = report(tickets, events, since=since, now=now, area=area, kind=args.kind)
        if args.format == "csv":
            write_csv(rows, out)
        elif args.format == "json":
            out.write(json.dumps([as_record(row) for row in rows], indent=2) + "\n")
        else:
            out.write(as_table(rows, since, now, window))
        return 0

    return with_current_schema(database_url(args), err, build)


def config_area_names(path: str | None, err) -> dict[str, str] | None:
    """Every key and alias of the config's areas (folded) -> the area's key; {} without a config.
    None after printing why the config named (`--config` or $UPLINE_CONFIG) cannot be used."""
    path = path or os.environ.get("UPLINE_CONFIG")
    if path is None and not Path("app.yaml").is_file():
        return {}
    try:
        config = load_config_file(path or "app.yaml").config
    except ConfigError as error:
        print_problems(error, err)
        return None
    return {name.casefold(): area.key for area in config.areas for name in (area.key, *area.aliases)}


class UnknownArea(LookupError):
    """`--area` names no area; the message says which there are."""


def area_named(uow, word: str, names: Mapping[str, str], tickets: Iterable[Ticket]) -> str:
    """The key of the area `word` names: app.yaml's, the period's tickets', else any ticket's."""
    area = find_area(word, names, {ticket.area for ticket in tickets if ticket.area})
    if area is not None:
        return area
    # Every ticket, but only on the way to an error (a typo), or to an area quiet for a while.
    areas_ever = {ticket.area for ticket in uow.tickets.opened_since(_EPOCH) if ticket.area}
    area = find_area(word, names, areas_ever)
    if area is None:
        raise UnknownArea(unknown_area(word, names, areas_ever))
    return area


def find_area(word: str, names: Mapping[str, str], ticket_areas: Iterable[str]) -> str | None:
    """The key `word` names, in any case: one of the config's keys or aliases, or a ticket's area."""
    folded = word.casefold()
    if folded in names:
        return names[folded]
    return next((area for area in ticket_areas if area.casefold() == folded), None)


def unknown_area(word: str, names: Mapping[str, str], ticket_areas: Iterable[str]) -> str:
    """Why `word` is no area, with the closest areas if any is close, else every one."""
    spelled = {**{area.casefold(): area for area in ticket_areas}, **names}  # folded name -> key
    close = difflib.get_close_matches(word.casefold(), spelled, n=5, cutoff=0.6)
    suggested = list(dict.fromkeys(spelled[name] for name in close))[:3]
    if suggested:
        return f"unknown area {word!r}: did you mean {' or '.join(suggested)}?"
    if spelled:
        return f"unknown area {word!r}; the areas are {', '.join(sorted(set(spelled.values())))}"
    return f"unknown area {word!r}: no ticket has an area yet, and there is no app.yaml naming any"


def as_record(row: Row) -> dict:
    """One row for csv and json: counts, durations in whole seconds (None: no data), compliance in %."""
    return {
        "area": TOTAL if row.total else row.area,
        "kind": TOTAL if row.total else row.kind,
        "opened": row.opened,
        "acknowledged": row.acknowledged,
        "resolved": row.resolved,
        "ack_p50_seconds": _seconds(row.ack_p50),
        "ack_p90_seconds": _seconds(row.ack_p90),
        "resolve_p50_seconds": _seconds(row.resolve_p50),
        "resolve_p90_seconds": _seconds(row.resolve_p90),
        "ack_breaches": row.ack_breaches,
        "resolve_breaches": row.resolve_breaches,
        "compliant": row.compliant,
        "compliance_percent": None if row.compliance is None else round(row.compliance, 1),
    }


def write_csv(rows: Sequence[Row], out) -> None:
    writer = csv.DictWriter(out, fieldnames=RECORD_FIELDS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(as_record(row) for row in rows)


def as_table(rows: Sequence[Row], since: datetime, now: datetime, window: str) -> str:
    title = f"Tickets opened from {utc_iso(since)} to {utc_iso(now)} (the last {window})"
    if not rows:
        return f"{title}: none.\n"
    cells = [[header for header, _ in _TABLE]] + [_cells(row) for row in rows]
    widths = [max(len(line[column]) for line in cells) for column in range(len(_TABLE))]
    lines = [title, ""]
    for line in cells:
        padded = (f"{cell:{align}{width}}" for cell, (_, align), width in zip(line, _TABLE, widths, strict=True))
        lines.append("  ".join(padded).rstrip())
    lines.append("")
    lines += FOOTNOTES
    return "\n".join(lines) + "\n"


def _cells(row: Row) -> list[str]:
    compliance = "—" if row.compliance is None else f"{row.compliance:.0f}%"
    area = "total" if row.total else (row.area or "(no area)")
    return [area, "" if row.total else str(row.kind), str(row.opened), format_span(row.ack_p50),
            format_span(row.ack_p90), format_span(row.resolve_p50), format_span(row.resolve_p90),
            str(row.ack_breaches), str(row.resolve_breaches), compliance]


def _seconds(value: timedelta | None) -> int | None:
    return None if value is None else round(value.total_seconds())

