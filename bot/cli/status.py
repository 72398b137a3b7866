"""`upline status N [--database-url URL]`: one ticket's state, deadlines, SLA and history (a decision as
the decision log shows it; an election of the lead: its phase, voters, candidates, polls and history).

    $ upline status 7
    #7  question in nn: acknowledged
      rung          area:nn
      ...
      2026-11-23T09:00:00Z  created       U0ASKER  area:nn

`N` may be written `#7` too. People are named as app.yaml names them (`--config`, else
$UPLINE_CONFIG or ./app.yaml when there is one; without a config, by their keys). Exit 1 for a
ticket that does not exist, a config that cannot be read, a database that cannot be reached, or one
whose schema is not this Upline's (the message says to run `upline db upgrade`). On a sandbox's
database, deadlines are relative to the sandbox's clock, as its page shows them.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import Engine

from bot.cli.check import print_problems
from bot.cli.db import add_database_option, database_now, database_url, with_current_schema
from bot.clock import Clock, SystemClock
from bot.config import ConfigError, load_config_file
from bot.domain.election_record import Election
from bot.reporting.decision_log import decision_section
from bot.reporting.timeline import describe_ticket, display_names
from storage.engine import make_session_factory
from storage.unit_of_work import SqlUnitOfWork


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser("status", help="one ticket's state, deadlines and history")
    parser.add_argument("ticket", type=ticket_number, metavar="N", help="the ticket number (7 or #7)")
    parser.add_argument("--config", metavar="FILE", default=None,
                        help="the app.yaml that names people (default: $UPLINE_CONFIG or ./app.yaml, if any)")
    add_database_option(parser)
    parser.set_defaults(func=run)


def ticket_number(text: str) -> int:
    try:
        number = int(text.removeprefix("#"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a ticket number: {text!r}") from None
    if number < 1:
        raise argparse.ArgumentTypeError(f"ticket numbers start at 1, not {number}")
    return number


def run(args, out=None, err=None, clock: Clock | None = None) -> int:
    out, err = out or sys.stdout, err or sys.stderr
    clock = clock or SystemClock()
    name = people_names(args.config, err)
    if name is None:
        return 1

    def show(engine: Engine) -> int:
        with SqlUnitOfWork(make_session_factory(engine), read_only=True) as uow:
            ticket = uow.tickets.get(args.ticket)
            decision = uow.decisions.get(args.ticket) if ticket is None else None
            election = uow.elections.get(args.ticket) if ticket is None and decision is None else None
            found = ticket is not None or decision is not None or election is not None
            events = uow.events.for_ticket(args.ticket) if found else []
            now = database_now(uow, clock, err)
        if decision is not None:  # decisions share the #N series: shown as the decision log has them
            out.write("\n".join(decision_section(decision, name)) + "\n")
            return 0
        if election is not None:
            out.write("\n".join(election_lines(election, events, name)) + "\n")
            return 0
        if ticket is None:
            print(f"There is no ticket or decision #{args.ticket}.", file=err)
            return 1
        out.write(describe_ticket(ticket, events, now, name))
        return 0

    return with_current_schema(database_url(args), err, show)


def election_lines(election: Election, events: list, name: Callable[[str], str]) -> list[str]:
    """An election of the lead: its phase, who elects and stands, its polls (who ranked, never how) and history."""
    names = lambda people: ", ".join(name(person) for person in people) or "nobody"  # noqa: E731
    lines = [f"#{election.number}  election of the lead ({election.vacancy.value.replace('_', ' ')}): "
             f"{election.phase.value}",
             f"  voters        {names(election.voters)}", f"  candidates    {names(election.candidates)}"]
    for index, poll in enumerate(election.polls, 1):
        ranked = [ballot.voter for ballot in poll.ballots]
        lines.append(f"  poll {index}        {names(poll.candidates)}; ranked by {names(ranked)}")
    if election.winner:
        lines.append(f"  elected       {name(election.winner)}")
    if election.failure:
        lines.append(f"  failed        {election.failure.value.replace('_', ' ')}")
    lines += [f"  {event.at:%Y-%m-%dT%H:%M:%SZ}  {event.kind:<16} {name(event.actor)}" for event in events]
    return lines


def people_names(path: str | None, err) -> Callable[[str], str] | None:
    """How to name people: from the config at `path`, else the default one if there is one, else by
    key. None after printing why a config could not be used."""
    path = path or os.environ.get("UPLINE_CONFIG")
    if path is None and not Path("app.yaml").is_file():
        return display_names(None)
    try:
        return display_names(load_config_file(path or "app.yaml").config)
    except ConfigError as error:
        print_problems(error, err)
        return None
