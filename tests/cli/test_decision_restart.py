"""Votes whose deadline passed while Upline was down close once when it starts — across two replicas.

The decisions are written straight to the database as though called eight days ago (the demo votes
run 7d), with no `upline run` up. Then `upline run` starts — two processes on one PostgreSQL, one on
SQLite — and each vote must close exactly once, marked late, its no decision opening exactly one core
vote, and every message about it delivered once.
"""

from __future__ import annotations

from tests.cli.restarts import assert_closed_once_into_core, core_votes, due_module_votes, run_replicas_until
from tests.storage.conftest import database_url  # noqa: F401  (fixture)

VOTES = 40


def test_votes_due_while_down_close_once_on_start(database_url, tmp_path):  # noqa: F811
    with due_module_votes(database_url, VOTES) as (decisions, numbers):
        slacks = run_replicas_until(database_url, tmp_path, lambda slacks: len(core_votes(slacks)) >= VOTES)
        assert_closed_once_into_core(decisions, numbers)
    posted = core_votes(slacks)
    assert sorted(posted) == numbers, "each core vote posted exactly once"
