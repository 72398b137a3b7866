"""A digest whose moment passed while Upline was down is sent once when it starts — across two replicas.

The digests are scheduled as a sweep before the downtime left them, due at a Monday 09:00 that has passed,
with no `upline run` up. Then `upline run` starts — two processes on one PostgreSQL, one on
SQLite — and the core's channel and each area's get exactly one digest each, marked late: never one
per replica, never one per missed week.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from bot.config import load_config_text
from bot.config.decisions import digest_schedule
from bot.domain import digest_schedule as schedules
from bot.services.digests import scopes
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

    # As a sweep before the downtime left them: each scope's digest due at the Monday 09:00 just past
    # (at least a day ago, so it is late whenever this runs).
    missed = schedules.latest_at_or_before(digest_schedule(config), datetime.now(UTC) - timedelta(days=1))
    with unit_of_work() as uow:
        uow.digests.ensure({scope: (schedules.key(schedule), missed) for scope, schedule in scopes(config).items()})
        uow.commit()
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
