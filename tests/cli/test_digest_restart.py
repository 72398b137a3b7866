"""A digest whose moment passed while Upline was down is sent once when it starts — across two replicas.

The digests are scheduled as though Upline had last swept eight days ago (so a Monday 09:00 has passed
since), with no `upline run` up. Then `upline run` starts — two processes on one PostgreSQL, one on
SQLite — and the core's channel and each area's get exactly one digest each, marked late: never one
per replica, never one per missed week.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from bot.config import load_config_text
from bot.services.decisions import DecisionService
from bot.services.digests import DigestService
from bot.services.tickets import TicketService
from storage.engine import make_engine, make_session_factory
from storage.migrate import upgrade
from storage.unit_of_work import SqlUnitOfWork
from tests.cli.restarts import run_replicas_until
from tests.cli.test_run import APP_YAML
from tests.storage.conftest import database_url  # noqa: F401  (fixture)

DIGEST = 'digest: {every: "mon 09:00", tz: Europe/London}\n'


def config_with_digest(tmp_path):
    """The demo app.yaml with a weekly digest (added at the end, unless the file has one already)."""
    text = APP_YAML.read_text(encoding="utf-8")
    if not re.search(r"^digest:", text, flags=re.MULTILINE):
        text = text.rstrip("\n") + "\n" + DIGEST
    path = tmp_path / "app.yaml"
    path.write_text(text, encoding="utf-8")
    return path, load_config_text(text).config


def test_a_digest_missed_while_down_is_sent_once_on_start(database_url, tmp_path):  # noqa: F811
    upgrade(database_url)
    path, config = config_with_digest(tmp_path)
    engine = make_engine(database_url)
    factory = make_session_factory(engine)

    def unit_of_work(**options):
        return SqlUnitOfWork(factory, **options)

    tickets = TicketService(config, unit_of_work)
    # The last sweep, eight days ago, scheduled each digest for the Monday after it: that has passed.
    DigestService(config, unit_of_work, DecisionService(config, unit_of_work, tickets)).sweep_due(
        datetime.now(UTC) - timedelta(days=8))
    engine.dispose()
    channels = {"C0CORE": "the core's week", **{area.channel: "the week" for area in config.areas
                                                if area.channel and not area.sunset}}
    slacks = run_replicas_until(database_url, tmp_path, lambda slacks: set(digests(slacks, channels)) >= set(channels),
                                UPLINE_CONFIG=str(path))

    posted = digests(slacks, channels)
    assert sorted(posted) == sorted(channels), "one digest in each channel, from one replica"
    assert all("Late: this digest was due" in text for text in posted.values()), posted


def digests(slacks, channels) -> dict[str, str]:
    """Each channel's digest messages (their text and blocks flattened), failing on a second one."""
    found: dict[str, str] = {}
    for slack in slacks:
        for channel, marker in channels.items():
            for message in slack.history(channel):
                shown = message.text + str(message.blocks or "")
                if marker in shown:
                    assert channel not in found, f"a second digest in {channel}"
                    found[channel] = shown
    return found
