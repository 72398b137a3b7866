"""The digests' schedules: made to match the config, claimed once, paused when switched off."""

from dataclasses import replace
from datetime import timedelta

import pytest

from tests.storage.conftest import NOW

WEEKLY = "1 09:00 Europe/London"


def test_ensure_makes_each_scope_once_and_pauses_the_others(make_uow):
    with make_uow() as uow:
        uow.digests.ensure({"core": (WEEKLY, NOW), "area:nn": (WEEKLY, NOW)})
        uow.digests.ensure({"core": (WEEKLY, NOW + timedelta(days=1))})  # same schedule: unchanged
        uow.commit()
    with make_uow(read_only=True) as uow:
        assert {s.scope: s.next_due_at for s in uow.digests.all()} == {"core": NOW, "area:nn": None}
        assert uow.digests.earliest_due() == NOW


def test_a_claimed_digest_is_skipped_by_another_sweep(make_uow, database_url):
    if database_url.startswith("sqlite"):
        pytest.skip("SQLite has one writer at a time: the second sweep waits instead of skipping")
    with make_uow() as uow:
        uow.digests.ensure({"core": (WEEKLY, NOW)})
        uow.commit()
    with make_uow() as first:
        assert [s.scope for s in first.digests.claim_due(NOW)] == ["core"]
        with make_uow() as second:
            assert second.digests.claim_due(NOW) == []
            assert second.digests.due(NOW) == ["core"]  # still due until the first commits


def test_a_saved_digest_is_no_longer_due(make_uow):
    with make_uow() as uow:
        uow.digests.ensure({"core": (WEEKLY, NOW)})
        [state] = uow.digests.claim_due(NOW)
        uow.digests.save(replace(state, next_due_at=NOW + timedelta(weeks=1), last_sent_at=NOW))
        uow.commit()
    with make_uow(read_only=True) as uow:
        assert uow.digests.claim_due(NOW) == [] and uow.digests.get("core").last_sent_at == NOW
