"""`upline report [--since 30d|DATE] [--until DATE] [--compare previous] [--area nn] [--kind question|escalation]
[--format table|csv|json|html] [-o FILE]`.

For the tickets opened in the period, per area and kind and in total: how many, the median and p90
time to the first acknowledgement and to the first resolution, the SLA breaches, and the share of
tickets that kept every promise. `table` is for people (durations like `3h12m` or `40s`, `—` for no
data, and footnotes saying how each number is counted); `csv` and `json` are for spreadsheets and
scripts, with durations in seconds and the total row's area and kind written `*`. See
`bot.reporting.metrics`. `html` is one self-contained page with charts (`bot.reporting.html_report`);
`-o FILE` writes any format to FILE in one step (a reader sees the old file or the new one), else
it goes to stdout.

The period: `--since` is a duration back from its end (`30d`, default) or a date (`2026-11-01`, the
start of that day, UTC) or a moment (`2026-11-01T09:00`, UTC unless it says `+01:00`); `--until`
(default now) is a date, meaning the end of that day, or a moment. The numbers of a past period are
as they stood at its end: what happened after `--until` is not counted, so last month's report reads
the same next year. `--compare previous` puts each row beside the period of the same length just
before (ending where this one starts): in the table a second line, `before`, with that period's
numbers, and the change in compliance with an arrow (`↑ 25 pts`); in csv and json `previous_*`
fields beside each field. The weekly digest reads the same numbers, from the same `report()`.

    $ upline report --since 2026-11-01 --until 2026-11-30 --compare previous
    $ upline report --since 7d --until 2026-11-01
    error: --until 2026-10-01 comes before --since 2026-11-01

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
import difflib
import json
import os
import sys
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import Engine

from bot.cli import report_people
from bot.cli.check import print_problems
from bot.cli.db import add_database_option, database_now, database_url, with_current_schema
from bot.cli.report_formats import as_compared, as_compared_table, as_csv, as_record, as_table
from bot.clock import Clock, SystemClock
from bot.config import ConfigError, load_config_file
from bot.domain.durations import parse_duration
from bot.domain.ticket import Kind, Ticket
from bot.reporting import format_span, utc_iso
from bot.reporting.activity import History
from bot.reporting.comparison import paired
from bot.reporting.metrics import report
from bot.reporting.periods import Period
from storage.engine import make_session_factory
from storage.unit_of_work import SqlUnitOfWork

DEFAULT_SINCE = "30d"
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_INSTANT = timedelta(microseconds=1)  # the smallest step the databases keep


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser("report", help="time to acknowledge and resolve, breaches and SLA compliance")
    parser.add_argument("--since", type=since_option, default=None, metavar="DURATION|DATE",
                        help="tickets opened this long before the period's end (7d, 2w) or from this date"
                             f" (2026-11-01, UTC) (default: {DEFAULT_SINCE}; with --people, on what people did,"
                             f" a duration: {report_people.DEFAULT_SINCE})")
    parser.add_argument("--until", type=until_option, default=None, metavar="DATE",
                        help="the period ends at the end of this day (2026-11-30) or at this moment"
                             " (2026-11-30T12:00, UTC); default: now")
    parser.add_argument("--compare", choices=["previous"], default=None,
                        help="each row beside the period of the same length just before")
    parser.add_argument("--people", action="store_true",
                        help="per person: acknowledged, resolved, open tickets held, votes, last active, inactive")
    parser.add_argument("--area", metavar="KEY", help="only this area (its key or an alias)")
    parser.add_argument("--config", metavar="FILE", default=None,
                        help="the app.yaml whose areas --area knows (default: $UPLINE_CONFIG or ./app.yaml, if any)")
    parser.add_argument("--kind", choices=[kind.value for kind in Kind], help="only this kind of ticket")
    parser.add_argument("--format", choices=["table", "csv", "json", "html"], default="table", help="default: table")
    parser.add_argument("-o", "--output", metavar="FILE", default=None, help="write to FILE (default: stdout)")
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


def since_option(text: str) -> str:
    """A positive duration or a date or moment, kept as written (the period needs its end to be read)."""
    if not _is_duration(text):
        return text.strip()
    if text.strip()[:1].isdigit() and "-" in text:
        raise argparse.ArgumentTypeError(f"not a date (2026-11-01) or a moment (2026-11-01T09:00): {text!r}")
    return period(text)


def until_option(text: str) -> str:
    """A date or a moment, kept as written so that an error can say it as the user did."""
    try:
        parse_moment(text, day_end=True)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None
    return text.strip()


def parse_moment(text: str, day_end: bool = False) -> datetime:
    """`2026-11-30` (that day's start in UTC, or with `day_end` its end: the next day's start) or an ISO
    8601 moment (`2026-11-30T12:00`, UTC unless it carries an offset)."""
    text = text.strip()
    try:
        moment = datetime.fromisoformat(text.replace(" ", "T"))
    except ValueError:
        raise ValueError(f"not a date (2026-11-30) or a moment (2026-11-30T12:00): {text!r}") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    if day_end and "T" not in text and " " not in text:
        moment += timedelta(days=1)
    return moment.astimezone(UTC)


def report_period(since: str, until: str | None, now: datetime) -> Period:
    """[since, until]: `until` (never later than now: nothing has happened after it) and `since` a moment
    or a duration back from there. ValueError when it would end before it starts."""
    end = now if until is None else min(parse_moment(until, day_end=True), now)
    start = end - parse_duration(since) if _is_duration(since) else parse_moment(since)
    if end < start:
        if until is not None and parse_moment(until, day_end=True) < start:
            raise ValueError(f"--until {until} comes before --since {since}")
        raise ValueError(f"--since {since} is later than now ({utc_iso(now)})")
    return Period(start, end)


def run(args, out=None, err=None, clock: Clock | None = None) -> int:
    out, err = out or sys.stdout, err or sys.stderr
    clock = clock or SystemClock()
    if args.people:
        if args.until or args.compare or args.output or (args.since and not _is_duration(args.since)):
            return report_people._usage("--people takes --since as a duration; --until, --compare and -o are for"
                                        " the ticket report", err)
        return report_people.run(args, out, err, clock)
    window = args.since or DEFAULT_SINCE
    names = config_area_names(args.config, err)
    if names is None:
        return 1

    def build(engine: Engine) -> int:
        with SqlUnitOfWork(make_session_factory(engine), read_only=True) as uow:
            try:
                span = report_period(window, args.until, database_now(uow, clock, err))
            except ValueError as error:
                print(f"error: {error}", file=err)
                return 1
            before = span.previous() if args.compare else None
            loaded = Loaded.read(uow, (before or span).since, span.until, with_decisions=args.format == "html")
            try:
                area = None if args.area is None else area_named(uow, args.area, names, loaded.tickets)
            except UnknownArea as error:
                print(f"error: {error}", file=err)
                return 1
        text = render(args, loaded, span, before, area, _title(span, window, args.until))
        return write_output(args.output, text, out, err)

    return with_current_schema(database_url(args), err, build)


@dataclass(frozen=True)
class Loaded:
    """What the report reads, from the earliest period's start (tickets opened since, and the history)."""

    tickets: list[Ticket]
    events: dict
    decisions: list = field(default_factory=list)
    history: History | None = None

    @classmethod
    def read(cls, uow, since: datetime, until: datetime, with_decisions: bool) -> Loaded:
        tickets, events = uow.tickets.opened_since(since), uow.events.for_tickets_opened_since(since)
        if not with_decisions:
            return cls(tickets, events)
        return cls(tickets, events, uow.decisions.since(since, until=until), report_people.whole_history(uow))


def render(args, loaded: Loaded, span: Period, before: Period | None, area: str | None, title: str) -> str:
    rows = report(loaded.tickets, loaded.events, since=span.since, now=span.until, area=area, kind=args.kind)
    pairs = None
    if before is not None:
        # The period before ends where this one starts, and holds its start, not its end (periods.py).
        previous = report(loaded.tickets, loaded.events, since=before.since, now=before.until - _INSTANT,
                          area=area, kind=args.kind)
        pairs = paired(rows, previous)
    if args.format == "html":
        from bot.reporting import html_report  # pygal is loaded only for the page

        return html_report.render_page(html_report.Inputs(
            title=title, span=span, before=before, rows=rows, pairs=pairs, tickets=loaded.tickets,
            events=loaded.events, decisions=loaded.decisions, history=loaded.history,
            config=load_config(args.config), area=area, kind=args.kind))
    if args.format == "csv":
        return as_csv(rows, pairs)
    if args.format == "json":
        records = [as_record(row) for row in rows] if pairs is None else [as_compared(pair) for pair in pairs]
        return json.dumps(records, indent=2) + "\n"
    if pairs is not None:
        return as_compared_table(pairs, title, before)
    return as_table(rows, title)


def write_output(path: str | None, text: str, out, err) -> int:
    """`text` to stdout, or to `path` in one step (a crash or a reader sees the old file or the new one)."""
    if path is None:
        out.write(text)
        return 0
    target = Path(path)
    try:
        handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    except OSError as error:
        print(f"error: cannot write {path}: {error.strerror}", file=err)
        return 1
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as file:
            file.write(text)
        os.chmod(temporary, target.stat().st_mode & 0o777 if target.exists() else 0o644)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    print(f"wrote {path}", file=err)
    return 0


def load_config(path: str | None):
    """The config that names people in the html report, or None (already checked by config_area_names)."""
    path = path or os.environ.get("UPLINE_CONFIG")
    if path is None and not Path("app.yaml").is_file():
        return None
    return load_config_file(path or "app.yaml").config


def _is_duration(text: str) -> bool:
    try:
        parse_moment(text)
    except ValueError:
        return True
    return False


def _title(span: Period, window: str, until: datetime | None) -> str:
    spoken = f"the last {window}" if until is None and _is_duration(window) else format_span(span.length)
    return f"Tickets opened from {utc_iso(span.since)} to {utc_iso(span.until)} ({spoken})"


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


