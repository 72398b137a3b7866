"""`upline decisions [--since 90d] [--area nn] [--format md|json|table]`: the decision log.

Every decision opened or published in the period, newest first. `md` (the default) is a Markdown
document to commit to the project's repository: per decision its area, dates, outcome, who voted how
in each round, the rationale, disputes and vetoes (see `bot.reporting.decision_log`); `json` is every
field for scripts; `table` is one line per decision. With none in the period it says so ("No
decisions since 2026-09-02."), or prints `[]`.

    $ upline decisions --since 30d --area nn > governance/decisions.md

`--area` takes an area's key or alias — app.yaml's (`--config`, else $UPLINE_CONFIG or ./app.yaml
when there is one) or one a decision was taken in — or `core` for the core's votes and the lead's.
Any other word is an error, exit 1 like `upline report`'s, naming the closest areas, or every one.
People are named as app.yaml names them. On a sandbox's database the period ends at the sandbox's clock.
"""

from __future__ import annotations

import os
import sys
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Engine

from bot.cli.check import print_problems
from bot.cli.db import add_database_option, database_now, database_url, with_current_schema
from bot.cli.report import UnknownArea, find_area, period, unknown_area
from bot.clock import Clock, SystemClock
from bot.config import ConfigError, load_config_file
from bot.config.schema import Config
from bot.domain.decision_record import CORE
from bot.domain.durations import parse_duration
from bot.reporting import decision_log
from bot.reporting.timeline import display_names
from storage.engine import make_session_factory
from storage.unit_of_work import SqlUnitOfWork

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser("decisions", help="the decision log: Markdown to commit, JSON or a table")
    parser.add_argument("--since", type=period, default="90d", metavar="DURATION",
                        help="decisions opened or published this long ago or later, e.g. 30d, 13w (default: 90d)")
    parser.add_argument("--area", metavar="KEY", help="only this area (its key or an alias), or core")
    parser.add_argument("--config", metavar="FILE", default=None,
                        help="the app.yaml that names areas and people (default: $UPLINE_CONFIG or ./app.yaml, "
                             "if any)")
    parser.add_argument("--format", choices=["md", "json", "table"], default="md", help="default: md")
    add_database_option(parser)
    parser.set_defaults(func=run)


def run(args, out=None, err=None, clock: Clock | None = None) -> int:
    out, err = out or sys.stdout, err or sys.stderr
    clock = clock or SystemClock()
    path = args.config or os.environ.get("UPLINE_CONFIG")
    config: Config | None = None
    if path is not None or Path("app.yaml").is_file():
        try:
            config = load_config_file(path or "app.yaml").config
        except ConfigError as error:
            print_problems(error, err)
            return 1

    def build(engine: Engine) -> int:
        with SqlUnitOfWork(make_session_factory(engine), read_only=True) as uow:
            now = database_now(uow, clock, err)
            since = now - parse_duration(args.since)
            try:
                area = None if args.area is None else area_named(uow, args.area, config)
            except UnknownArea as error:
                print(f"error: {error}", file=err)
                return 1
            found = uow.decisions.since(since, None if area == CORE else area)
            if area == CORE:
                found = [decision for decision in found if decision.area is None]
            entries = [(decision, uow.events.for_ticket(decision.number)) for decision in reversed(found)]
        if args.format == "json":
            out.write(decision_log.as_json(entries))
        elif args.format == "table":
            out.write(decision_log.as_table(entries, since=since, now=now, window=args.since, area=area))
        else:
            out.write(decision_log.as_markdown(entries, since=since, now=now, area=area, name=display_names(config),
                                               project=config.project if config else None))
        return 0

    return with_current_schema(database_url(args), err, build)


def area_named(uow, word: str, config: Config | None) -> str:
    """The key of the area `word` names (app.yaml's, else one a decision was taken in), or `core`."""
    if word.casefold() == CORE:
        return CORE
    names = {name.casefold(): area.key for area in (config.areas if config else ())
             for name in (area.key, *area.aliases)}
    if (area := find_area(word, names, ())) is not None:
        return area
    # Every decision, but only on the way to an error (a typo), or to an area app.yaml no longer has.
    areas_ever = {decision.area for decision in uow.decisions.since(_EPOCH) if decision.area}
    if (area := find_area(word, names, areas_ever)) is not None:
        return area
    if not names and not areas_ever:
        raise UnknownArea(f"unknown area {word!r}: no decision has an area yet, and there is no app.yaml naming any")
    raise UnknownArea(unknown_area(word, names, areas_ever))
