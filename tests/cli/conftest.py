"""CLI tests that need a database run on SQLite and, when UPLINE_TEST_DATABASE_URL is set, PostgreSQL.

`upline(*argv, now=...)` runs one command with a fixed clock and returns its exit code and output;
`service` fills the database the way the bot does.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from textwrap import dedent

import pytest

from bot.cli import build_parser
from bot.clock import FakeClock
from bot.config import load_config_text
from bot.services.tickets import TicketService
from tests.storage.conftest import (  # noqa: F401  (fixtures)
    database_url,
    engine,
    make_uow,
    migrated_engine,
    session_factory,
)

CONFIG = load_config_text(dedent("""\
    project: Acme
    lead: lead
    core: {maintainers: [core1, core2]}
    sla:
      question: {ack: 1d, resolve: 7d}
      escalation: {ack: 4h, resolve: 2d}
      reminders: [0.5]
    areas:
      - key: nn
        maintainers: [nn1, nn2]
        sla: {question: {ack: 8h}}
      - key: cuda
        maintainers: [cu1]
    people:
      lead: {slack: U0LEAD}
      core1: {slack: U0CORE1}
      core2: {slack: U0CORE2}
      nn1: {slack: U0NN1}
      nn2: {slack: U0NN2}
      cu1: {slack: U0CU1}
    """)).config


@dataclass(frozen=True)
class Ran:
    code: int
    out: str
    err: str


@pytest.fixture
def service(make_uow) -> TicketService:  # noqa: F811  (the fixture imported above)
    return TicketService(CONFIG, make_uow)


@pytest.fixture
def upline(capsys) -> Callable[..., Ran]:
    def run(*argv: str, now: datetime | None = None) -> Ran:
        args = build_parser().parse_args(argv)
        code = args.func(args, clock=FakeClock(now)) if now is not None else args.func(args)
        captured = capsys.readouterr()
        return Ran(code, captured.out, captured.err)

    return run
