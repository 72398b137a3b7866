"""Votes whose deadline passed while Upline was down close once when it starts — across two replicas.

The decisions are written straight to the database as though called eight days ago (the demo votes
run 7d), with no `upline run` up. Then `upline run` starts — two processes on one PostgreSQL, one on
SQLite — and each vote must close exactly once, marked late, its no decision opening exactly one core
vote, and every message about it delivered once.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from bot.config import load_config_file
from bot.domain.decision_record import State
from bot.services.decisions import DecisionService
from bot.services.tickets import TicketService
from storage.engine import make_engine, make_session_factory
from storage.migrate import upgrade
from storage.unit_of_work import SqlUnitOfWork
from tests.cli.restarts import run_replicas_until
from tests.cli.test_run import APP_YAML
from tests.storage.conftest import database_url  # noqa: F401  (fixture)

VOTES = 40
CORE = "C0CORE"


def test_votes_due_while_down_close_once_on_start(database_url, tmp_path):  # noqa: F811
    upgrade(database_url)
    config = load_config_file(APP_YAML).config
    engine = make_engine(database_url)
    factory = make_session_factory(engine)

    def unit_of_work(**options):
        return SqlUnitOfWork(factory, **options)

    decisions = DecisionService(config, unit_of_work, TicketService(config, unit_of_work))
    called_at = datetime.now(UTC) - timedelta(days=8)
    numbers = [decisions.call(by="mikaylagawarecki", area="nn", proposal=f"Proposal {index}",
                              now=called_at).decision.number for index in range(VOTES)]
    slacks = run_replicas_until(database_url, tmp_path, lambda slacks: len(core_votes(slacks)) >= VOTES)

    try:
        for number in numbers:
            decision, history = decisions.get(number)
            closed = [event for event in history if event.kind == "closed"]
            assert len(closed) == 1 and closed[0].data.get("late") is True, (number, history)
            assert decision.level == "core" and decision.state is State.VOTING and len(decision.rounds) == 2
    finally:
        engine.dispose()
    posted = core_votes(slacks)
    assert sorted(posted) == numbers, "each core vote posted exactly once"


def core_votes(slacks) -> list[int]:
    """The number of each top-level message posted to #core (a core vote names its #N first)."""
    numbers = []
    for slack in slacks:
        for message in slack.history(CORE):
            found = re.search(r"#(\d+)", message.text)
            if found:
                numbers.append(int(found.group(1)))
    return numbers
