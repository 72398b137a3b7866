"""An election whose standing phase ended while Upline was down opens its ballot once on start — across
two replicas.

The lead stepped down eight days ago and two core maintainers stood, with no `upline run` up (the core
votes for 5d, so standing closed three days ago). Then `upline run` starts — two processes on one
PostgreSQL, one on SQLite — and the ballot must open exactly once, late, the election's message be
posted to #core once and its ballot note said once in its thread.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.config import load_config_file
from bot.domain.election_record import Phase
from bot.services.decisions import DecisionService
from bot.services.elections import ElectionService
from bot.services.tickets import TicketService
from storage.engine import make_engine, make_session_factory
from storage.migrate import upgrade
from storage.unit_of_work import SqlUnitOfWork
from tests.cli.restarts import run_replicas_until
from tests.cli.test_run import APP_YAML
from tests.storage.conftest import database_url  # noqa: F401  (fixture)

CORE = "C0CORE"
HEADER = "Electing the lead"


def test_a_ballot_due_while_down_opens_once_on_start(database_url, tmp_path):  # noqa: F811
    upgrade(database_url)
    config = load_config_file(APP_YAML).config
    engine = make_engine(database_url)
    factory = make_session_factory(engine)

    def unit_of_work(**options):
        return SqlUnitOfWork(factory, **options)

    tickets = TicketService(config, unit_of_work)
    elections = ElectionService(config, unit_of_work, DecisionService(config, unit_of_work, tickets), tickets)
    opened_at = datetime.now(UTC) - timedelta(days=8)
    number = elections.open(by=config.people[config.lead].slack, now=opened_at).election.number
    for person in ("ezyang", "albanD"):
        elections.stand(number, by=person, stands=True, now=opened_at)
    slacks = run_replicas_until(database_url, tmp_path, ballot_notes)

    try:
        election, history = elections.get(number)
        assert election.phase is Phase.VOTING and election.poll.candidates == ("ezyang", "albanD")
        closed = [event for event in history if event.kind == "standing_closed"]
        assert len(closed) == 1 and closed[0].data.get("late") is True, history
        assert [event.kind for event in history].count("ballot_opened") == 1
    finally:
        engine.dispose()
    posted = [message for slack in slacks for message in slack.history(CORE) if HEADER in str(message.blocks)]
    assert len(posted) == 1, "the election's message is posted to #core once"
    assert len(ballot_notes(slacks)) == 1, "the ballot's opening is said once"


def ballot_notes(slacks) -> list[str]:
    """The notes in the threads of #core's election messages that say the ballot is open."""
    notes = []
    for slack in slacks:
        for message in slack.history(CORE):
            if HEADER in str(message.blocks):
                notes += [reply.text for reply in slack.thread(CORE, message.ts)[1:] if "rank" in reply.text.lower()]
    return notes
